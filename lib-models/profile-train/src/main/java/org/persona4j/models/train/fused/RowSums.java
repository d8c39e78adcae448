package org.persona4j.models.train.fused;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterUpdate;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Writes gradient rows into a table's gradient: rows that share an id are summed in a fixed order
 * (deterministic) into a compact buffer, the table's gradient is zeroed, and the sums are added at
 * the distinct ids' rows with one scatter. Work and scratch memory grow with the batch, not with
 * the table.
 *
 * <p>Why not libnd4j's {@code unsorted_segment_sum}, which does this in one call: in ND4J
 * 1.0.0-M2.1 (CPU) every call kept native memory it never gave back (about 2.7 MB per call at
 * 6,400 rows and segments, about 100 MB at a million segments; not released by garbage
 * collection), and its time grew with the number of segments. A long training run grew to 12.6 GB
 * of resident memory through it. {@code ScatterUpdate} with distinct indices showed neither.
 *
 * <p>Holds native buffers: {@link #close()} them. Not thread-safe.
 */
final class RowSums implements AutoCloseable {
    private final int maxRows;
    private final int width;
    private final RowCompactor compactor;
    private final int[] seg;
    private final int[] uniq;
    private final float[] sum;
    private final float[] in;
    private final INDArray uniqIds; // INT32 [maxRows]
    private final INDArray sums;    // FLOAT [maxRows * width]
    private int distinct;

    /**
     * @param vocabulary ids are in {@code [0, vocabulary)}
     * @param maxRows most rows per call
     * @param width most columns of a row
     */
    RowSums(int vocabulary, int maxRows, int width) {
        this.maxRows = maxRows;
        this.width = width;
        this.compactor = new RowCompactor(vocabulary);
        this.seg = new int[maxRows];
        this.uniq = new int[maxRows];
        this.sum = new float[Math.multiplyExact(maxRows, width)];
        this.in = new float[sum.length];
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            uniqIds = Nd4j.create(DataType.INT32, maxRows);
            sums = Nd4j.create(DataType.FLOAT, (long) maxRows * width);
        }
    }

    /**
     * Sums the first {@code n} rows of {@code data} per id into the compact buffer: afterwards
     * {@link #ids()} holds the distinct ids in order of first appearance and {@link #sums(int, int)}
     * their summed rows.
     *
     * @param data a row-major contiguous {@code [>= n, d]} matrix (or view of one)
     * @param ids the id of each row
     * @return the number of distinct ids
     */
    int sum(INDArray data, int[] ids, int n) {
        int d = (int) data.columns();
        if (n > maxRows || d > width) {
            throw new IllegalArgumentException(n + " rows of " + d + " columns, at most " + maxRows + " of " + width);
        }
        Views.copyRows(data, n, in); // into a kept buffer: a batch's rows are over a megabyte, humongous garbage for G1
        int u = compactor.compact(ids, n, seg, uniq);
        java.util.Arrays.fill(sum, 0, u * d, 0f);
        for (int i = 0; i < n; i++) {
            int o = seg[i] * d;
            int q = i * d;
            for (int j = 0; j < d; j++) {
                sum[o + j] += in[q + j];
            }
        }
        sums.data().setData(sum);
        uniqIds.data().setData(uniq);
        distinct = u;
        return u;
    }

    /** Forgets the last {@link #sum}: no rows touched. */
    void clear() {
        distinct = 0;
    }

    /** @return the distinct ids of the last {@link #sum} (a view of this object's array: do not keep it across calls) */
    int[] ids() {
        return uniq;
    }

    /** @return the number of distinct ids of the last {@link #sum} */
    int distinct() {
        return distinct;
    }

    /** @return the last {@link #sum}'s {@code [u, d]} row sums, a row-major view of the compact buffer (writable) */
    INDArray sums(int u, int d) {
        return Views.view(sums, 0, u, d);
    }

    /**
     * Sets {@code table} ({@code [vocabulary, d]}, any layout) to zero except at the ids of the first
     * {@code n} rows of {@code data}, where it gets those rows summed per id.
     *
     * @param data a row-major contiguous {@code [>= n, d]} matrix (or view of one)
     * @param ids the id of each row
     */
    void scatter(INDArray data, int[] ids, int n, INDArray table) {
        int d = (int) data.columns();
        int u = sum(data, ids, n);
        table.assign(0.0);
        Nd4j.scatterUpdate(ScatterUpdate.UpdateOp.ADD, table, uniqIds.get(NDArrayIndex.interval(0, u)),
                Views.view(sums, 0, u, d), 1);
    }

    /**
     * Writes rows of {@code values} ({@code [u, d]}, row-major) to the rows {@code ids} of the
     * last {@link #sum} of {@code table} (any layout), replacing them.
     */
    void assignRows(INDArray table, int u, INDArray values) {
        Nd4j.scatterUpdate(ScatterUpdate.UpdateOp.ASSIGN, table, uniqIds.get(NDArrayIndex.interval(0, u)), values, 1);
    }

    @Override
    public void close() {
        for (INDArray a : new INDArray[] {uniqIds, sums}) {
            if (a.closeable()) {
                a.close();
            }
        }
    }
}
