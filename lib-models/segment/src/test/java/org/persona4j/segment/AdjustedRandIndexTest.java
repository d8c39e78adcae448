package org.persona4j.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;

/** The adjusted Rand index on hand-computed cases (contingency tables worked out in the comments). */
class AdjustedRandIndexTest {
    @Test
    void identicalUpToRelabellingIsOne() {
        assertEquals(1.0, AdjustedRandIndex.of(new int[] {0, 0, 1, 1, 2}, new int[] {7, 7, 3, 3, 5}), 1e-12);
        assertEquals(1.0, AdjustedRandIndex.of(List.of("a", "a", "b"), List.of(1, 1, 2)), 1e-12);
    }

    @Test
    void handComputed() {
        // table [[2,1],[0,... ]]: index = 1 + 1 = 2, sum_a = 3 + 3 = 6, sum_b = 1 + 1 + 1 = 3, pairs = 15
        // expected = 6 * 3 / 15 = 1.2, max = 4.5, ARI = 0.8 / 3.3
        assertEquals(0.8 / 3.3, AdjustedRandIndex.of(new int[] {0, 0, 0, 1, 1, 1}, new int[] {0, 0, 1, 1, 2, 2}), 1e-12);
        // index = 1, sum_a = 1, sum_b = 2, pairs = 6: expected 1/3, max 1.5, ARI = (2/3) / (7/6) = 4/7
        assertEquals(4.0 / 7, AdjustedRandIndex.of(new int[] {0, 0, 1, 2}, new int[] {0, 0, 1, 1}), 1e-12);
        // crossing halves: index 0, expected 2*2/6, max 2: ARI = -0.5
        assertEquals(-0.5, AdjustedRandIndex.of(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}), 1e-12);
    }

    @Test
    void symmetric() {
        int[] a = {0, 1, 1, 2, 2, 2, 0, 1};
        int[] b = {1, 1, 0, 0, 2, 2, 1, 0};
        assertEquals(AdjustedRandIndex.of(a, b), AdjustedRandIndex.of(b, a), 1e-12);
    }

    @Test
    void badInput() {
        assertThrows(BadInputException.class, () -> AdjustedRandIndex.of(new int[] {1}, new int[] {1, 2}));
        assertThrows(BadInputException.class, () -> AdjustedRandIndex.of(new int[0], new int[0]));
    }
}
