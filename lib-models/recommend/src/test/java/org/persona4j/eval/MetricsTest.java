package org.persona4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;

/** Each metric on cases computed by hand. */
class MetricsTest {
    private static final int MISS = Integer.MAX_VALUE;

    @Test
    void singleTarget() {
        int[] r = {3};
        assertEquals(1, Metrics.hitRate(r, 3));
        assertEquals(0, Metrics.hitRate(r, 2));
        assertEquals(1, Metrics.recall(r, 10));
        assertEquals(0.1, Metrics.precision(r, 10), 1e-12);
        assertEquals(0.5, Metrics.ndcg(r, 10), 1e-12); // 1 / log2(4)
        assertEquals(1.0 / 3, Metrics.mrr(r, 10), 1e-12);
        assertEquals(0, Metrics.mrr(r, 2));
        assertEquals(1, Metrics.ndcg(new int[] {1}, 1), 1e-12);
    }

    @Test
    void missIsZeroEverywhere() {
        int[] r = {MISS};
        assertEquals(0, Metrics.hitRate(r, 20));
        assertEquals(0, Metrics.ndcg(r, 20));
        assertEquals(0, Metrics.mrr(r, 20));
        assertEquals(0, Metrics.precision(r, 20));
    }

    @Test
    void severalTargets() {
        int[] r = {1, 4, MISS};
        assertEquals(1, Metrics.hitRate(r, 5));
        assertEquals(2.0 / 3, Metrics.recall(r, 5), 1e-12);
        assertEquals(2.0 / 5, Metrics.precision(r, 5), 1e-12);
        double dcg = 1 + 1 / (Math.log(5) / Math.log(2));
        double idcg = 1 + 1 / (Math.log(3) / Math.log(2)) + 1 / (Math.log(4) / Math.log(2));
        assertEquals(dcg / idcg, Metrics.ndcg(r, 5), 1e-12);
        assertEquals(1, Metrics.mrr(r, 5));
        // ideal DCG is capped at k positions
        assertEquals(1, Metrics.ndcg(new int[] {1, 2}, 2), 1e-12);
        assertEquals(1.0, Metrics.ndcg(new int[] {1, 5}, 1), 1e-12);
    }

    @Test
    void aucWithTiesAsHalf() {
        // positives 0.9 and 0.5; negatives 0.5 and 0.1: pairs (0.9>0.5, 0.9>0.1, 0.5=0.5 -> 0.5, 0.5>0.1) = 3.5/4
        assertEquals(0.875, Metrics.auc(new double[] {0.9, 0.5, 0.5, 0.1}, new boolean[] {true, true, false, false}), 1e-12);
        assertEquals(1.0, Metrics.auc(new double[] {0.2, 0.1}, new boolean[] {true, false}), 1e-12);
        assertEquals(0.0, Metrics.auc(new double[] {0.2, 0.1}, new boolean[] {false, true}), 1e-12);
        assertTrue(Double.isNaN(Metrics.auc(new double[] {0.2}, new boolean[] {true})));
        assertThrows(BadInputException.class, () -> Metrics.auc(new double[] {1}, new boolean[0]));
    }

    @Test
    void coverageAndNovelty() {
        assertEquals(0.25, Metrics.coverage(5, 20), 1e-12);
        assertEquals(0, Metrics.coverage(0, 0));
        assertEquals(3, Metrics.novelty(1, 8), 1e-12); // -log2(1/8)
        assertEquals(3, Metrics.novelty(0, 8), 1e-12); // smoothed to 1
        assertEquals(0, Metrics.novelty(8, 8), 1e-12);
    }
}
