package org.persona4j.models.train.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPlanTest {

    @Test
    void packsTimeMajorLongestFirstWithStableTies() {
        // input lengths 2, 4, 1, 4: order by length desc, ties in batch order -> seq 1, 3, 0, 2
        List<int[]> batch = List.of(new int[] {1, 2, 3}, new int[] {4, 5, 6, 7, 8}, new int[] {9, 1},
                new int[] {2, 3, 4, 5, 6});
        BatchPlan p = BatchPlan.of(batch, 10);
        assertEquals(4, p.batch);
        assertEquals(11, p.positions);
        assertEquals(4, p.steps);
        assertArrayEquals(new int[] {4, 3, 2, 2}, p.running);
        assertArrayEquals(new int[] {0, 4, 7, 9, 11}, p.offset);
        assertArrayEquals(new int[] {4, 2, 1, 9, 5, 3, 2, 6, 4, 7, 5}, p.inputs);
        assertArrayEquals(new int[] {5, 3, 2, 1, 6, 4, 3, 7, 5, 8, 6}, p.targets);
        assertArrayEquals(new int[] {-1, -1, -1, -1, 0, 1, 2, 4, 5, 7, 8}, p.previous);
    }

    @Test
    void rejectsBadSequencesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchPlan.of(List.of(new int[] {1, 2}, new int[] {3}), 10));
        assertTrue(e.getMessage().contains("sequence 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BatchPlan.of(List.of(new int[] {1, 10}), 10));
        assertTrue(e.getMessage().contains("10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BatchPlan.of(List.of(new int[] {0, 1}), 10));
        assertTrue(e.getMessage().contains("item id 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchPlan.of(List.of(), 10));
    }
}
