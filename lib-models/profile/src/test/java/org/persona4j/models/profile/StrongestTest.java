package org.persona4j.models.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bounded top-k behind a profile's category interests. */
class StrongestTest {
    @Test
    void strongestEqualsAStableDescendingSort() {
        Random r = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int len = 1 + r.nextInt(300);
            float[] v = new float[len];
            for (int i = 0; i < len; i++) {
                v[i] = r.nextInt(4) == 0 ? 0.5f : r.nextInt(50) / 50f; // many ties
            }
            int from = r.nextInt(Math.min(3, len));
            int k = r.nextInt(25);
            List<Integer> order = new ArrayList<>();
            for (int i = from; i < len; i++) {
                order.add(i);
            }
            order.sort((a, b) -> Float.compare(v[b], v[a]));
            int[] expected = order.subList(0, Math.min(k, order.size())).stream().mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, DeepProfileModel.strongest(v, from, len, k), "trial " + trial);
        }
    }

    @Test
    void emptyRangeOrZeroKGivesNothing() {
        float[] v = {0.3f, 0.9f, 0.1f};
        assertEquals(0, DeepProfileModel.strongest(v, 0, 3, 0).length);
        assertEquals(0, DeepProfileModel.strongest(v, 2, 2, 5).length);
        assertArrayEquals(new int[] {1, 0, 2}, DeepProfileModel.strongest(v, 0, 3, 10));
    }
}
