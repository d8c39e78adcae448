package org.persona4j.models.train.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Views#copyRows} reads a row-major view at its offset in the buffer, and only such views. */
class ViewsTest {
    @Test
    void copiesTheFirstRowsOfAViewAtAnOffset() {
        try (INDArray flat = Nd4j.arange(0, 100).castTo(DataType.FLOAT)) {
            INDArray m = Views.view(flat, 13, 6, 7); // rows of 7 from element 13
            float[] dst = new float[42];
            Arrays.fill(dst, -1f);
            Views.copyRows(m, 4, dst);
            float[] expected = new float[42];
            Arrays.fill(expected, -1f);
            System.arraycopy(m.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).dup('c').data().asFloat(), 0, expected, 0, 28);
            assertArrayEquals(expected, dst);
            assertArrayEquals(new float[] {13, 14, 15}, Arrays.copyOf(dst, 3));
        }
    }

    @Test
    void rejectsViewsThatAreNotRowMajorAndContiguous() {
        try (INDArray a = Nd4j.create(DataType.FLOAT, 5, 4)) {
            assertThrows(IllegalArgumentException.class, () -> Views.copyRows(a.transpose(), 2, new float[20]));
            assertThrows(IllegalArgumentException.class, () -> Views.copyRows(Views.cols(a, 0, 2), 2, new float[20]));
        }
    }
}
