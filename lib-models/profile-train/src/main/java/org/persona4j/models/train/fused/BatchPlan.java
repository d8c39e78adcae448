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
    /** The batch index of the sequence of each packed row. */
    final int[] sequence;
    /** The packed row of each sequence's last input step, by batch index. */
    final int[] lastRow;

    private BatchPlan(int batch, int positions, int steps, int[] running, int[] offset, int[] inputs,
                      int[] targets, int[] previous, int[] sequence, int[] lastRow) {
        this.batch = batch;
        this.positions = positions;
        this.steps = steps;
        this.running = running;
        this.offset = offset;
        this.inputs = inputs;
        this.targets = targets;
        this.previous = previous;
        this.sequence = sequence;
        this.lastRow = lastRow;
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
        int[] lens = new int[mb];
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
            lens[i] = s.length - 1;
        }
        BatchPlan p = ofLengths(lens);
        for (int t = 0; t < p.steps; t++) {
            for (int row = p.offset[t]; row < p.offset[t + 1]; row++) {
                int[] s = sequences.get(p.sequence[row]);
                p.inputs[row] = s[t];
                p.targets[row] = s[t + 1];
            }
        }
        return p;
    }

    /**
     * The layout of a batch of sequences with the given numbers of input steps; {@link #inputs} and
     * {@link #targets} are left for the caller to fill (zeros).
     *
     * @param inputLengths input steps of each sequence, each {@code >= 1}
     * @throws IllegalArgumentException for an empty batch or a length below 1
     */
    static BatchPlan ofLengths(int[] inputLengths) {
        int mb = inputLengths.length;
        if (mb == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        long[] keys = new long[mb]; // (-length, index) sorted ascending = longest first, stable
        int positions = 0;
        int steps = 0;
        for (int i = 0; i < mb; i++) {
            int len = inputLengths[i];
            if (len < 1) {
                throw new IllegalArgumentException("sequence " + i + " of the batch has " + len + " input steps, needs at least 1");
            }
            positions += len;
            steps = Math.max(steps, len);
            keys[i] = ((long) (Integer.MAX_VALUE - len) << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[mb];
        int[] lens = new int[mb];
        for (int r = 0; r < mb; r++) {
            order[r] = (int) keys[r];
            lens[r] = inputLengths[order[r]];
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
        int[] previous = new int[positions];
        int[] sequence = new int[positions];
        int[] lastRow = new int[mb];
        for (int t = 0; t < steps; t++) {
            int base = offset[t];
            for (int r = 0; r < running[t]; r++) {
                int row = base + r;
                sequence[row] = order[r];
                previous[row] = t == 0 ? -1 : offset[t - 1] + r;
                if (t == lens[r] - 1) {
                    lastRow[order[r]] = row;
                }
            }
        }
        return new BatchPlan(mb, positions, steps, running, offset, new int[positions], new int[positions], previous,
                sequence, lastRow);
    }
}
