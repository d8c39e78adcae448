package org.persona4j.models.train.fused;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterUpdate;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Puts rows back at distinct row positions of a larger matrix, zero elsewhere: the inverse of
 * gathering a subset of rows, with one scatter of distinct indices (see {@link RowSums} for why not
 * libnd4j's {@code unsorted_segment_sum}). Holds one native index buffer: {@link #close()} it.
 * Not thread-safe.
 */
final class RowPlacer implements AutoCloseable {
    private final int maxRows;
    private final int[] at;
    private final INDArray ids; // INT32 [maxRows]

    RowPlacer(int maxRows) {
        this.maxRows = maxRows;
        this.at = new int[maxRows];
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            ids = Nd4j.create(DataType.INT32, maxRows);
        }
    }

    /**
     * Sets the first {@code rows} rows of {@code target} to zero except rows {@code positions[i]}
     * (distinct), which get row {@code i} of {@code data}, for {@code i < n}.
     */
    void place(INDArray data, int[] positions, int n, INDArray target, int rows) {
        if (n > maxRows) {
            throw new IllegalArgumentException(n + " rows, at most " + maxRows);
        }
        System.arraycopy(positions, 0, at, 0, n);
        ids.data().setData(at);
        INDArray t = target.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
        t.assign(0.0);
        if (n > 0) {
            Nd4j.scatterUpdate(ScatterUpdate.UpdateOp.ADD, t, ids.get(NDArrayIndex.interval(0, n)),
                    data.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()), 1);
        }
    }

    @Override
    public void close() {
        if (ids.closeable()) {
            ids.close();
        }
    }
}
