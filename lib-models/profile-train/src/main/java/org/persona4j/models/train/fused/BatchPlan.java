package org.persona4j.models.train.fused;

import java.util.Arrays;
import java.util.List;

/**
 * The packed, time-major layout of one mini-batch (what {@code pack_padded_sequence} does in
 * PyTorch). Sequences are ordered by input length, longest first (ties keep their batch order), so
 * the sequences still running at step {@code t} are always rows {@code 0..n[t]-1} of that step's
 * block, and the block of step {@code t} starts at packed row {@code offset[t]}. Row {@code r} of
 * block {@code t} and row {@code r} of block {@code t-1} belong to the same sequence. Only real
 * positions exist: padding is never stored nor computed.
 *
 * <p>A sequence {@code s} of {@code k >= 2} items gives {@code k-1} positions: input {@code s[j]},
 * target {@code s[j+1]}.
 */
final class BatchPlan {
    /** Number of sequences. */
    final int batch;
    /** Number of real positions (rows of every packed matrix). */
    final int positions;
    /** Longest input length (number of time steps). */
    final int steps;
    /** Sequences still running at step t. */
    final int[] running;
    /** First packed row of step t; {@code offset[steps] == positions}. */
    final int[] offset;
    /** Input item of each packed row. */
    final int[] inputs;
    /** Target item of each packed row. */
    final int[] targets;
    /** The packed row of the same sequence one step earlier, -1 at step 0. */
    final int[] previous;

    private BatchPlan(int batch, int positions, int steps, int[] running, int[] offset, int[] inputs,
                      int[] targets, int[] previous) {
        this.batch = batch;
        this.positions = positions;
        this.steps = steps;
        this.running = running;
        this.offset = offset;
        this.inputs = inputs;
        this.targets = targets;
        this.previous = previous;
    }

    /**
     * Packs a batch.
     *
     * @param sequences item ids, each with at least two items, every id in {@code [1, vocabulary)}
     * @param vocabulary number of item ids including the padding id 0
     * @throws IllegalArgumentException naming the sequence and the bad value
     */
    static BatchPlan of(List<int[]> sequences, int vocabulary) {
        int mb = sequences.size();
        if (mb == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        long[] keys = new long[mb]; // (-length, index) sorted ascending = longest first, stable
        int positions = 0;
        int steps = 0;
        for (int i = 0; i < mb; i++) {
            int[] s = sequences.get(i);
            if (s == null || s.length < 2) {
                throw new IllegalArgumentException("sequence " + i + " of the batch has "
                        + (s == null ? "no" : Integer.toString(s.length)) + " items, needs at least 2");
            }
            for (int item : s) {
                if (item <= 0 || item >= vocabulary) {
                    throw new IllegalArgumentException("sequence " + i + " of the batch has item id " + item
                            + ", expected 1.." + (vocabulary - 1));
                }
            }
            int len = s.length - 1;
            positions += len;
            steps = Math.max(steps, len);
            keys[i] = ((long) (Integer.MAX_VALUE - len) << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[mb];
        int[] lens = new int[mb];
        for (int r = 0; r < mb; r++) {
            order[r] = (int) keys[r];
            lens[r] = sequences.get(order[r]).length - 1;
        }
        int[] running = new int[steps];
        int[] offset = new int[steps + 1];
        int n = mb;
        for (int t = 0; t < steps; t++) {
            while (n > 0 && lens[n - 1] <= t) {
                n--;
            }
            running[t] = n;
            offset[t + 1] = offset[t] + n;
        }
        int[] inputs = new int[positions];
        int[] targets = new int[positions];
        int[] previous = new int[positions];
        for (int t = 0; t < steps; t++) {
            int base = offset[t];
            for (int r = 0; r < running[t]; r++) {
                int[] s = sequences.get(order[r]);
                int row = base + r;
                inputs[row] = s[t];
                targets[row] = s[t + 1];
                previous[row] = t == 0 ? -1 : offset[t - 1] + r;
            }
        }
        return new BatchPlan(mb, positions, steps, running, offset, inputs, targets, previous);
    }
}
