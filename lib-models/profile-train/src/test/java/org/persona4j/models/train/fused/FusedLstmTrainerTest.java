package org.persona4j.models.train.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FusedLstmTrainerTest {
    static final FusedLstmConfig CFG = FusedLstmConfig.of(30, 6, 5, 8, 7, 0.01);

    static List<List<int[]>> batches(long seed) {
        Random rng = new Random(seed);
        List<List<int[]>> out = new ArrayList<>();
        for (int b = 0; b < 6; b++) {
            List<int[]> batch = new ArrayList<>();
            int mb = 1 + rng.nextInt(8);
            for (int i = 0; i < mb; i++) {
                int[] s = new int[2 + rng.nextInt(7)];
                for (int k = 0; k < s.length; k++) {
                    s[k] = 1 + (k * 3 + i + rng.nextInt(4)) % 29;
                }
                batch.add(s);
            }
            out.add(batch);
        }
        return out;
    }

    @Test
    void deterministicAndLearns() {
        FusedLstmWeights init = FusedLstmWeights.xavier(30, 6, 5, 3);
        List<List<int[]>> data = batches(11);
        double first;
        double last = 0;
        FusedLstmWeights a;
        try (FusedLstmTrainer t = new FusedLstmTrainer(CFG, init)) {
            first = t.fit(data.get(0));
            for (int epoch = 0; epoch < 15; epoch++) {
                for (List<int[]> b : data) {
                    t.fit(b);
                }
            }
            last = t.fit(data.get(0));
            assertEquals(6 * 15 + 2, t.iterations());
            assertEquals(FusedLstmTrainer.PHASES, List.copyOf(t.phaseSeconds().keySet()));
            a = t.weights();
        }
        assertTrue(last < 0.8 * first, "loss " + first + " -> " + last);
        try (FusedLstmTrainer t = new FusedLstmTrainer(CFG, init)) {
            t.fit(data.get(0));
            for (int epoch = 0; epoch < 15; epoch++) {
                for (List<int[]> b : data) {
                    t.fit(b);
                }
            }
            assertEquals(last, t.fit(data.get(0)));
            FusedLstmWeights b = t.weights();
            assertArrayEquals(a.outputBias(), b.outputBias());
            for (int i = 0; i < a.embedding().length; i++) {
                assertArrayEquals(a.embedding()[i], b.embedding()[i]);
            }
        }
    }

    @Test
    void weightsRoundTripAndValidation() {
        FusedLstmWeights init = FusedLstmWeights.xavier(30, 6, 5, 9);
        try (FusedLstmTrainer t = new FusedLstmTrainer(CFG, init)) {
            FusedLstmWeights w = t.weights();
            assertArrayEquals(init.recurrentWeights()[4], w.recurrentWeights()[4]);
            assertArrayEquals(init.bias(), w.bias());
            assertEquals(1f, w.bias()[5]); // forget-gate block starts at hidden
            assertThrows(IllegalArgumentException.class, () -> t.fit(List.of(new int[9]))); // 8 inputs > 7
            List<int[]> big = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                big.add(new int[] {1, 2});
            }
            assertThrows(IllegalArgumentException.class, () -> t.fit(big));
            t.close();
            t.close();
            assertThrows(IllegalStateException.class, () -> t.fit(List.of(new int[] {1, 2})));
        }
        assertThrows(IllegalArgumentException.class,
                () -> new FusedLstmTrainer(CFG, FusedLstmWeights.xavier(31, 6, 5, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FusedLstmConfig.of(30, 0, 5, 8, 7, 0.01));
        assertTrue(e.getMessage().contains("embedding"), e.getMessage());
    }
}
