package org.persona4j.models.train.fused;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The full-softmax cross-entropy of a chunk of logits against one target per row, with the
 * buffers it needs allocated once: the chunk becomes {@code softmax - onehot(target)} in place (the
 * gradient of the summed loss with respect to the logits) and the summed
 * {@code -log max(p_target, 1e-10)} is returned, the clip of DL4J's {@code LossMCXENT}.
 */
final class SoftmaxTargets implements AutoCloseable {
    private static final float LOG_CLIP = 1e-10f;
    private final int maxRows;
    private final long[] scratch;
    private final INDArray targetIdx; // INT64 [maxRows] flat indices of the targets
    private final INDArray picked;    // [maxRows]
    private final INDArray ones;      // [maxRows]
    private final int maxEntries;
    private final float[] shareScratch; // [maxEntries] with several targets per row
    private final int[] rowOf;          // [maxEntries] the chunk row of each entry
    private final INDArray shares;      // [maxEntries] or null

    SoftmaxTargets(int maxRows) {
        this(maxRows, 1);
    }

    /**
     * @param maxRows most rows of a chunk
     * @param targetsPerRow most targets of one row (1: {@link #apply(INDArray, int[], int, float[])} only)
     */
    SoftmaxTargets(int maxRows, int targetsPerRow) {
        this.maxRows = maxRows;
        this.maxEntries = Math.multiplyExact(maxRows, targetsPerRow);
        this.scratch = new long[maxEntries];
        this.shareScratch = targetsPerRow > 1 ? new float[maxEntries] : null;
        this.rowOf = targetsPerRow > 1 ? new int[maxEntries] : null;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            targetIdx = Nd4j.create(DataType.INT64, maxEntries);
            picked = Nd4j.create(DataType.FLOAT, maxEntries);
            ones = Nd4j.ones(DataType.FLOAT, maxRows);
            shares = targetsPerRow > 1 ? Nd4j.create(DataType.FLOAT, maxEntries) : null;
        }
    }

    /**
     * @param logits a contiguous row-major {@code [n, V]} chunk, {@code n <= maxRows}; replaced by
     *     {@code softmax - onehot}
     * @param targets target of row {@code k} at {@code targets[from + k]}
     * @param weights loss weight of row {@code k} at {@code weights[from + k]}, or null for 1
     * @return the weighted summed cross-entropy of the chunk
     */
    double apply(INDArray logits, int[] targets, int from, float[] weights) {
        int n = (int) logits.rows();
        long v = logits.columns();
        if (n > maxRows) {
            throw new IllegalArgumentException(n + " rows, at most " + maxRows);
        }
        Nd4j.exec(new SoftMax(logits, logits, 1));
        for (int k = 0; k < n; k++) {
            scratch[k] = k * v + targets[from + k];
        }
        float[] pv = pickAndSubtract(logits, n, ones);
        double loss = 0;
        for (int k = 0; k < n; k++) {
            loss -= (weights == null ? 1.0 : weights[from + k]) * Math.log(Math.max(pv[k], LOG_CLIP));
        }
        return loss;
    }

    /**
     * The cross-entropy against a distribution of targets per row: row {@code k} of the chunk has
     * the targets {@code item[e]} with the shares {@code share[e]} for {@code e} in
     * {@code [start[from + k], start[from + k + 1])}, shares summing to 1 (a repeated item's shares
     * add up). The chunk becomes {@code softmax - sum_e share_e onehot(item_e)} in place and
     * {@code -sum_e share_e log max(p_e, 1e-10)}, weighted per row, is returned.
     *
     * @param logits a contiguous row-major {@code [n, V]} chunk, {@code n <= maxRows}
     * @param start offsets of each row's targets (one more entry than rows)
     * @param item target items
     * @param share their shares
     * @param from the chunk's first row
     * @param weights loss weight of row {@code k} at {@code weights[from + k]}, or null for 1
     * @return the weighted summed cross-entropy of the chunk
     */
    double apply(INDArray logits, int[] start, int[] item, float[] share, int from, float[] weights) {
        int n = (int) logits.rows();
        long v = logits.columns();
        if (n > maxRows || shares == null) {
            throw new IllegalArgumentException(n + " rows, at most " + maxRows + (shares == null ? ", one target per row" : ""));
        }
        Nd4j.exec(new SoftMax(logits, logits, 1));
        int m = 0;
        for (int k = 0; k < n; k++) {
            int rowStart = m;
            for (int e = start[from + k]; e < start[from + k + 1]; e++) {
                long f = k * v + item[e];
                int j = rowStart;
                while (j < m && scratch[j] != f) {
                    j++;
                }
                if (j < m) {
                    shareScratch[j] += share[e];
                } else {
                    if (m == maxEntries) {
                        throw new IllegalArgumentException("more than " + maxEntries + " targets in a chunk");
                    }
                    scratch[m] = f;
                    shareScratch[m] = share[e];
                    rowOf[m] = k;
                    m++;
                }
            }
        }
        if (m == 0) {
            return 0;
        }
        shares.data().setData(shareScratch);
        float[] pv = pickAndSubtract(logits, m, shares);
        double loss = 0;
        for (int j = 0; j < m; j++) {
            double w = weights == null ? 1.0 : weights[from + rowOf[j]];
            loss -= w * shareScratch[j] * Math.log(Math.max(pv[j], LOG_CLIP));
        }
        return loss;
    }

    /**
     * The probabilities at the first {@code m} flat indices of {@link #scratch}, which then lose
     * the first {@code m} values of {@code amounts} (the one-hot targets or their shares).
     */
    private float[] pickAndSubtract(INDArray logits, int m, INDArray amounts) {
        targetIdx.data().setData(scratch);
        INDArray idx = targetIdx.get(NDArrayIndex.interval(0, m));
        INDArray flat = logits.reshape(logits.length());
        INDArray p = picked.get(NDArrayIndex.interval(0, m));
        Nd4j.exec(DynamicCustomOp.builder("gather").addInputs(flat, idx).addOutputs(p).addIntegerArguments(0).build());
        Nd4j.exec(DynamicCustomOp.builder("scatter_sub").addInputs(flat, idx, amounts.get(NDArrayIndex.interval(0, m)))
                .addOutputs(flat).build());
        return p.toFloatVector();
    }

    @Override
    public void close() {
        for (INDArray a : new INDArray[] {targetIdx, picked, ones, shares}) {
            if (a != null && a.closeable()) {
                a.close();
            }
        }
    }
}
