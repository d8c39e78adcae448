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

    SoftmaxTargets(int maxRows) {
        this.maxRows = maxRows;
        this.scratch = new long[maxRows];
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            targetIdx = Nd4j.create(DataType.INT64, maxRows);
            picked = Nd4j.create(DataType.FLOAT, maxRows);
            ones = Nd4j.ones(DataType.FLOAT, maxRows);
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
        targetIdx.data().setData(scratch);
        INDArray idx = targetIdx.get(NDArrayIndex.interval(0, n));
        INDArray flat = logits.reshape(logits.length());
        INDArray p = picked.get(NDArrayIndex.interval(0, n));
        Nd4j.exec(DynamicCustomOp.builder("gather").addInputs(flat, idx).addOutputs(p).addIntegerArguments(0).build());
        Nd4j.exec(DynamicCustomOp.builder("scatter_sub").addInputs(flat, idx, ones.get(NDArrayIndex.interval(0, n)))
                .addOutputs(flat).build());
        float[] pv = p.toFloatVector();
        double loss = 0;
        for (int k = 0; k < n; k++) {
            loss -= (weights == null ? 1.0 : weights[from + k]) * Math.log(Math.max(pv[k], LOG_CLIP));
        }
        return loss;
    }

    @Override
    public void close() {
        for (INDArray a : new INDArray[] {targetIdx, picked, ones}) {
            if (a.closeable()) {
                a.close();
            }
        }
    }
}
