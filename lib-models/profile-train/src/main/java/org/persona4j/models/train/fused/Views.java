package org.persona4j.models.train.fused;

import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Views of the fused path's row-major buffers. */
final class Views {
    private Views() {
    }

    /** A {@code [rows x cols]} row-major view of a flat vector from {@code offset}. */
    static INDArray view(INDArray flat, long offset, long rows, long cols) {
        return flat.get(NDArrayIndex.interval(offset, offset + rows * cols)).reshape('c', rows, cols);
    }

    /** Rows {@code [from, to)} of a matrix. */
    static INDArray rows(INDArray m, long from, long to) {
        return m.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    /** Columns {@code [from, to)} of a matrix. */
    static INDArray cols(INDArray m, long from, long to) {
        return m.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }

    /** Rows {@code [r0, r1)}, columns {@code [c0, c1)} of a row-major base matrix, as a view. */
    static INDArray block(INDArray base, long r0, long r1, long c0, long c1) {
        long width = base.size(1);
        return Nd4j.create(base.data(), new long[] {r1 - r0, c1 - c0}, new long[] {width, 1}, r0 * width + c0, 'c');
    }

    /**
     * Copies the first {@code n} rows of a row-major contiguous float matrix (or such a view) into
     * {@code dst}, without allocating (ND4J's {@code toFloatVector()} makes a new array per call).
     */
    static void copyRows(INDArray m, int n, float[] dst) {
        if (m.dataType() != DataType.FLOAT || m.ordering() != 'c' || m.rank() != 2 || m.stride(1) != 1
                || m.stride(0) != m.size(1)) {
            throw new IllegalArgumentException("a row-major contiguous float matrix expected, was " + m.shapeInfoToString());
        }
        int len = Math.multiplyExact(n, (int) m.size(1));
        Nd4j.getAffinityManager().ensureLocation(m, AffinityManager.Location.HOST);
        // a view's data() is a buffer of its own that starts at the view's offset (ND4J 1.0.0-M2.1), so the view's
        // first element is at m.offset() - data().offset() of that buffer's indexer: 0 for views made by get() or create()
        ((FloatIndexer) m.data().indexer()).get(m.offset() - m.data().offset(), dst, 0, len);
    }
}
