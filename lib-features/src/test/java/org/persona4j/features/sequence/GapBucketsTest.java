package org.persona4j.features.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;

/** The gap buckets (moved here from the removed {@code features.time.GapBuckets} test, adapted to these boundaries). */
class GapBucketsTest {
    private static final long MIN = 60_000L;
    private static final long DAY = 86_400_000L;

    @Test
    void defaultBoundariesAreBakedIntoTrainedModels() {
        GapBuckets g = GapBuckets.defaults();
        // part of every trained sequence model's schema: changing them invalidates saved models
        assertArrayEquals(new long[] {MIN, 10 * MIN, 60 * MIN, DAY, 7 * DAY, 30 * DAY}, g.boundariesMillis());
        assertEquals(9, g.size(), "padding, first event and 7 gap ranges");
    }

    @Test
    void bucketsFromNoPreviousEventToTheLongestGaps() {
        GapBuckets g = GapBuckets.defaults();
        assertEquals(GapBuckets.FIRST, g.bucket(-1, 5), "no previous event");
        assertEquals(GapBuckets.FIRST_GAP, g.bucket(0, 0));
        assertEquals(GapBuckets.FIRST_GAP, g.bucket(0, MIN - 1));
        assertEquals(GapBuckets.FIRST_GAP + 1, g.bucket(0, MIN), "a boundary opens the next bucket");
        assertEquals(GapBuckets.FIRST_GAP + 3, g.bucket(0, 2 * 60 * MIN), "2 h: [1 h, 1 d)");
        assertEquals(g.size() - 1, g.bucket(0, 40L * DAY), ">= 30 d");
        assertEquals(GapBuckets.FIRST_GAP, g.bucket(100, 50), "a negative gap counts as 0");
        for (long gap = 0; gap < 400 * DAY; gap = gap * 3 + 1) {
            int b = g.bucket(0, gap);
            assertTrue(b > GapBuckets.PADDING && b < g.size(), "bucket " + b + " for gap " + gap);
        }
    }

    @Test
    void customBoundaries() {
        GapBuckets g = GapBuckets.of(1000, 5000);
        assertEquals(GapBuckets.FIRST_GAP + 3, g.size());
        assertEquals(GapBuckets.FIRST_GAP + 2, g.bucket(0, 5000));
        assertEquals(GapBuckets.of(1000, 5000), g);
        assertEquals(GapBuckets.FIRST_GAP + 1, GapBuckets.of().size(), "no boundaries: one gap bucket");
        assertThrows(BadInputException.class, () -> GapBuckets.of(10, 10));
        assertThrows(BadInputException.class, () -> GapBuckets.of(0));
    }
}
