package org.persona4j.eval.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;

/** Every metric against values computed by hand (comments show the arithmetic). */
class MetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void rocAucCountsOrderedPairs() {
        // positives 0.35, 0.8; negatives 0.1, 0.4: pairs won 0.35>0.1, 0.8>0.1, 0.8>0.4; lost 0.35<0.4 -> 3/4
        assertEquals(0.75, Metrics.rocAuc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}), EPS);
    }

    @Test
    void rocAucCountsTiesAsHalf() {
        // positives 0.5, 0.9; negatives 0.2, 0.5: 0.5>0.2 (1), 0.5=0.5 (1/2), 0.9>0.2 (1), 0.9>0.5 (1) -> 3.5/4
        assertEquals(0.875, Metrics.rocAuc(new double[] {0.2, 0.5, 0.5, 0.9}, new boolean[] {false, true, false, true}), EPS);
        assertEquals(0.5, Metrics.rocAuc(new double[] {0.3, 0.3, 0.3, 0.3}, new boolean[] {true, false, true, false}), EPS);
    }

    @Test
    void rocAucIsUndefinedWithOneClass() {
        assertTrue(Double.isNaN(Metrics.rocAuc(new double[] {0.1, 0.2}, new boolean[] {true, true})));
        assertTrue(Double.isNaN(Metrics.rocAuc(new double[0], new boolean[0])));
    }

    @Test
    void averagePrecisionSumsPrecisionAtEachRecallStep() {
        // descending: 0.8 (+) P=1 R=.5; 0.4 (-); 0.35 (+) P=2/3 R=1 -> .5*1 + .5*2/3 = 5/6
        assertEquals(5.0 / 6, Metrics.averagePrecision(new double[] {0.1, 0.4, 0.35, 0.8},
                new boolean[] {false, false, true, true}), EPS);
    }

    @Test
    void averagePrecisionTreatsTiesAsOneThreshold() {
        // 0.9 (-): R=0; tie at 0.5 {+, -}: tp=1 of 3 seen, R=1, P=1/3 -> 1/3
        assertEquals(1.0 / 3, Metrics.averagePrecision(new double[] {0.9, 0.5, 0.5}, new boolean[] {false, true, false}), EPS);
        assertTrue(Double.isNaN(Metrics.averagePrecision(new double[] {0.9}, new boolean[] {false})));
    }

    @Test
    void brierIsTheMeanSquaredError() {
        // (.01 + .01 + .04 + .09) / 4
        assertEquals(0.0375, Metrics.brier(new double[] {0.1, 0.9, 0.8, 0.3}, new boolean[] {false, true, true, false}), EPS);
    }

    @Test
    void eceWeighsEachBinsGap() {
        double[] p = {0.05, 0.15, 0.15, 0.95};
        boolean[] y = {false, true, false, true};
        // bin 0: |.05 - 0| * 1/4; bin 1: |.15 - .5| * 2/4; bin 9: |.95 - 1| * 1/4 -> .0125 + .175 + .0125
        assertEquals(0.2, Metrics.expectedCalibrationError(p, y, 10), 1e-12);
        List<ReliabilityBin> t = Metrics.reliability(p, y, 10);
        assertEquals(10, t.size());
        assertEquals(2, t.get(1).count());
        assertEquals(0.15, t.get(1).meanPredicted(), EPS);
        assertEquals(0.5, t.get(1).observedRate(), EPS);
        assertEquals(0, t.get(5).count());
        assertTrue(Double.isNaN(t.get(5).meanPredicted()));
    }

    @Test
    void probabilityOneFallsInTheLastBin() {
        List<ReliabilityBin> t = Metrics.reliability(new double[] {1.0, 0.0}, new boolean[] {true, false}, 10);
        assertEquals(1, t.get(9).count());
        assertEquals(1, t.get(0).count());
        assertEquals(0, Metrics.expectedCalibrationError(new double[] {1.0, 0.0}, new boolean[] {true, false}, 10), EPS);
    }

    @Test
    void rankingBreaksTiesByName() {
        Map<String, Double> s = Map.of("a", 0.5, "b", 0.9, "c", 0.5);
        // b first; a and c tie, a before c by name
        assertEquals(1, Metrics.rankOf(s, "b"));
        assertEquals(2, Metrics.rankOf(s, "a"));
        assertEquals(3, Metrics.rankOf(s, "c"));
        assertEquals(0, Metrics.rankOf(s, "z"));
        assertEquals(1, Metrics.hit(3, 3));
        assertEquals(0, Metrics.hit(4, 3));
        assertEquals(0, Metrics.hit(0, 3));
        assertEquals(0.5, Metrics.ndcg(3, 3), EPS); // 1 / log2(4)
        assertEquals(1, Metrics.ndcg(1, 3), EPS);
        assertEquals(0, Metrics.ndcg(4, 3), EPS);
    }

    @Test
    void badInputNamesTheProblem() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> Metrics.brier(new double[] {0.2, 1.5}, new boolean[] {true, false}));
        assertTrue(e.getMessage().contains("score[1]") && e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> Metrics.rocAuc(new double[] {0.2}, new boolean[] {true, false}));
        assertTrue(e.getMessage().contains("1 scores but 2 labels"), e.getMessage());
        assertThrows(BadInputException.class, () -> Metrics.rocAuc(new double[] {Double.NaN}, new boolean[] {true}));
    }
}
