package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;

class RocAucTest {
    @Test
    void perfectReversedTiedAndOneClass() {
        assertEquals(1.0, RocAuc.of(new double[] {0.1, 0.2, 0.8, 0.9}, new boolean[] {false, false, true, true}));
        assertEquals(0.0, RocAuc.of(new double[] {0.9, 0.8, 0.2, 0.1}, new boolean[] {false, false, true, true}));
        assertEquals(0.5, RocAuc.of(new double[] {0.5, 0.5, 0.5, 0.5}, new boolean[] {true, false, true, false}));
        // 2 positives {0.4, 0.7} vs 2 negatives {0.4, 0.1}: pairs won 1 + 1 + 0.5 (tie) + 1 = 3.5 of 4
        assertEquals(0.875, RocAuc.of(new double[] {0.4, 0.7, 0.4, 0.1}, new boolean[] {true, true, false, false}), 1e-12);
        assertTrue(Double.isNaN(RocAuc.of(new double[] {0.1, 0.2}, new boolean[] {true, true})));
    }

    @Test
    void equalsThePairCountOnRandomData() {
        long seed = 7;
        System.out.println("seed " + seed);
        Random r = new Random(seed);
        int n = 300;
        double[] s = new double[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextBoolean();
            s[i] = Math.round((r.nextGaussian() + (y[i] ? 0.8 : 0)) * 4) / 4.0; // coarse, so there are ties
        }
        double won = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (y[i] && !y[j]) {
                    pairs++;
                    won += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        assertEquals(won / pairs, RocAuc.of(s, y), 1e-12);
    }

    @Test
    void badInputIsRefused() {
        assertThrows(BadInputException.class, () -> RocAuc.of(new double[] {1}, new boolean[] {true, false}));
        assertThrows(BadInputException.class, () -> RocAuc.of(null, new boolean[0]));
        assertThrows(BadInputException.class, () -> RocAuc.of(new double[] {Double.NaN, 1}, new boolean[] {true, false}));
    }
}
