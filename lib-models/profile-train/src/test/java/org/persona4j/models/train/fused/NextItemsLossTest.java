package org.persona4j.models.train.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The next-items loss ({@code Settings.nextItems > 1}) is, by definition, the next-item loss of
 * the same steps against each of the following items, weighted by that item's share: its score
 * and every gradient must equal those of a one-target trainer with the same parameters on copies
 * of the sequences whose targets are shifted and whose step weights are the shares.
 */
class NextItemsLossTest {
    private static final int ITEMS = 23;
    private static final FusedProfileTrainer.Shapes SHAPES = new FusedProfileTrainer.Shapes(
            new int[] {ITEMS, 3, 4, 3}, new int[] {6, 2, 3, 2}, 5, 1, 6, 0, true, false, false);

    private static FusedProfileTrainer.Sequence sequence(int[] item, int[] next, float[] nextWeight) {
        int n = item.length;
        return new FusedProfileTrainer.Sequence(item, new int[n], new int[n], new int[n], next, nextWeight,
                new float[n], new float[n], new float[n], new float[n], 0, 0f, null);
    }

    /** Gives every trainer the same seeded random parameters (a fresh trainer's are not trained-like). */
    private static void randomParameters(FusedProfileTrainer... trainers) {
        Random init = new Random(3);
        for (String name : trainers[0].parameterNames()) {
            float[] p = trainers[0].parameter(name);
            for (int k = 0; k < p.length; k++) {
                p[k] = (float) (init.nextGaussian() * 0.3);
            }
            for (FusedProfileTrainer t : trainers) {
                t.setParameter(name, p);
            }
        }
    }

    @Test
    void equalsTheShareWeightedSumOfShiftedNextItemLosses() {
        int ahead = 3;
        double decay = 0.5;
        Random rng = new Random(7);
        List<FusedProfileTrainer.Sequence> batch = new ArrayList<>();
        List<FusedProfileTrainer.Sequence> shifted = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            int n = 2 + rng.nextInt(7);
            int[] item = new int[n];
            int[] next = new int[n];
            float[] w = new float[n];
            for (int t = 0; t < n; t++) {
                item[t] = 1 + rng.nextInt(ITEMS - 1);
                // repeats on purpose: a row's shares of one item add up
                next[t] = t > 0 && rng.nextInt(4) == 0 ? next[t - 1] : 1 + rng.nextInt(ITEMS - 1);
                w[t] = s == 2 && t == 1 ? 0f : 1f; // a step without a target, skipped as a later target too
            }
            batch.add(sequence(item, next, w));
            // the reference: for j = 0..ahead-1 a copy learning next[t + j] with weight share_j(t)
            float[][] share = new float[ahead][n];
            for (int t = 0; t < n; t++) {
                if (w[t] == 0) {
                    continue;
                }
                double sum = 0;
                for (int j = 0; j < ahead && t + j < n; j++) {
                    if (w[t + j] != 0) {
                        sum += Math.pow(decay, j);
                    }
                }
                for (int j = 0; j < ahead && t + j < n; j++) {
                    if (w[t + j] != 0) {
                        share[j][t] = (float) (Math.pow(decay, j) / sum);
                    }
                }
            }
            for (int j = 0; j < ahead; j++) {
                int[] nj = new int[n];
                for (int t = 0; t < n; t++) {
                    nj[t] = t + j < n ? next[t + j] : 1;
                }
                shifted.add(sequence(item, nj, share[j]));
            }
        }
        FusedProfileTrainer.Settings many = new FusedProfileTrainer.Settings(0, 5, 0, 16, 10, 1, false, ahead, decay);
        FusedProfileTrainer.Settings one = new FusedProfileTrainer.Settings(0, 5, 0, 16, 10, 1);
        try (FusedProfileTrainer a = new FusedProfileTrainer(SHAPES, many);
             FusedProfileTrainer b = new FusedProfileTrainer(SHAPES, one)) {
            randomParameters(a, b);
            double scoreA = a.gradients(batch);
            // the one-target score divides by the three times larger batch
            double scoreB = b.gradients(shifted) * ahead;
            assertEquals(scoreB, scoreA, 1e-4 * Math.abs(scoreB));
            int moved = 0;
            for (String name : a.parameterNames()) {
                float[] ga = a.gradient(name);
                float[] gb = b.gradient(name);
                double norm = 0;
                for (int k = 0; k < ga.length; k++) {
                    norm = Math.max(norm, Math.abs(gb[k] * ahead));
                }
                for (int k = 0; k < ga.length; k++) {
                    assertEquals(gb[k] * ahead, ga[k], 1e-4 * Math.max(norm, 1e-3), name + "[" + k + "]");
                }
                moved += norm > 0 ? 1 : 0;
            }
            // the embeddings, the LSTM, the projection and the next-item head (the other heads have weight 0)
            assertTrue(moved >= 6, moved + " parameters with a gradient");
        }
    }

    @Test
    void maskSeenLeavesTheHistoryOutOfTheSoftmax() {
        // item 5 is only ever an input (step 0 of both): masked at every step, so its head column learns nothing
        List<FusedProfileTrainer.Sequence> batch = List.of(
                sequence(new int[] {5, 7, 9, 11}, new int[] {7, 9, 11, 13}, new float[] {1, 1, 1, 1}),
                sequence(new int[] {5, 3, 2}, new int[] {3, 2, 4}, new float[] {1, 1, 1}));
        double[] score = new double[2];
        float[][] bias = new float[2][];
        float[][] weights = new float[2][];
        for (int masked = 0; masked < 2; masked++) {
            FusedProfileTrainer.Settings settings = new FusedProfileTrainer.Settings(0, 5, 0, 4, 6, 1, false, 1, 1.0,
                    masked == 1);
            try (FusedProfileTrainer t = new FusedProfileTrainer(SHAPES, settings)) {
                randomParameters(t);
                score[masked] = t.gradients(batch);
                bias[masked] = t.gradient("next_b");
                weights[masked] = t.gradient("next_W");
            }
        }
        assertTrue(bias[0][5] != 0, "unmasked, the seen item is pushed down");
        assertEquals(0f, bias[1][5]);
        for (int k = 0; k < 6; k++) {
            assertEquals(0f, weights[1][k * ITEMS + 5], "next_W[" + k + ", 5]");
        }
        // the targets still learn
        assertTrue(bias[1][2] != 0);
        assertTrue(bias[1][3] != 0);
        assertTrue(score[1] < score[0], "fewer competitors, a lower loss: " + score[0] + " -> " + score[1]);
    }

    @Test
    void refusedWithASampledHeadAndOutOfRange() {
        FusedProfileTrainer.Shapes sampled = new FusedProfileTrainer.Shapes(new int[] {ITEMS, 3, 4, 3},
                new int[] {6, 2, 3, 2}, 5, 1, 6, 0, false, false, false, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FusedProfileTrainer(sampled,
                new FusedProfileTrainer.Settings(0, 5, 0, 4, 4, 1, false, 2, 0.5)));
        assertTrue(e.getMessage().contains("full softmax"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FusedProfileTrainer.Settings(0, 5, 0, 4, 4, 1, false, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new FusedProfileTrainer.Settings(0, 5, 0, 4, 4, 1, false, 2, 0));
    }
}
