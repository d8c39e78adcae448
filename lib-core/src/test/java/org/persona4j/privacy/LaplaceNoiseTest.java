package org.persona4j.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;

class LaplaceNoiseTest {

    @Test
    void noiseHasTheLaplaceScaleOfEpsilon() {
        long seed = 7L;
        System.out.println("LaplaceNoiseTest seed " + seed);
        for (double eps : new double[] {0.1, 0.5, 2.0}) {
            LaplaceNoise n = new LaplaceNoise(eps, 1.0, seed);
            double b = 1.0 / eps;
            int draws = 200_000;
            double sum = 0, sumAbs = 0, sumSq = 0;
            int beyond = 0;
            for (int i = 0; i < draws; i++) {
                double x = n.sample();
                sum += x;
                sumAbs += Math.abs(x);
                sumSq += x * x;
                if (Math.abs(x) > 3 * b) {
                    beyond++;
                }
            }
            // Laplace(0, b): mean 0, E|x| = b, Var = 2 b^2, P(|x| > 3b) = e^-3
            // tolerances are about 5 standard errors of each estimate at 200k draws
            assertEquals(0, sum / draws, 5 * Math.sqrt(2) * b / Math.sqrt(draws), "mean, eps=" + eps);
            assertEquals(b, sumAbs / draws, 5 * b / Math.sqrt(draws), "mean |x|, eps=" + eps);
            assertEquals(2 * b * b, sumSq / draws, 5 * Math.sqrt(20) * b * b / Math.sqrt(draws), "variance, eps=" + eps);
            double p = Math.exp(-3);
            assertEquals(p, beyond / (double) draws, 5 * Math.sqrt(p * (1 - p) / draws), "tail, eps=" + eps);
        }
    }

    @Test
    void sameSeedSameDraws() {
        LaplaceNoise a = new LaplaceNoise(1, 1, 99);
        LaplaceNoise b = new LaplaceNoise(1, 1, 99);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.sample(), b.sample());
        }
    }

    @Test
    void badParametersAreNamed() {
        assertEquals("LaplaceNoise: field 'epsilon': expected a finite number > 0, was 0.0",
                assertThrows(BadInputException.class, () -> new LaplaceNoise(0, 1, 1)).getMessage());
        assertThrows(BadInputException.class, () -> new LaplaceNoise(Double.NaN, 1, 1));
        assertThrows(BadInputException.class, () -> new LaplaceNoise(1, -1, 1));
    }
}
