package org.persona4j.models.train.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link RowSums} writes each id's summed rows and zero elsewhere, into row-major and transposed
 * tables; {@link RowPlacer} puts rows back at distinct positions.
 */
class RowSumsTest {
    @Test
    void sumsRepeatedIdsAndZeroesTheRest() {
        Random r = new Random(3);
        int vocab = 50;
        int d = 7;
        int n = 40;
        float[][] rows = new float[n][d];
        int[] ids = new int[n + 5];
        double[][] expected = new double[vocab][d];
        for (int i = 0; i < n; i++) {
            ids[i] = r.nextInt(12) * 4; // repeats, and ids never touched
            for (int j = 0; j < d; j++) {
                rows[i][j] = (float) r.nextGaussian();
                expected[ids[i]][j] += rows[i][j];
            }
        }
        INDArray data = Nd4j.create(rows);
        try (RowSums sums = new RowSums(vocab, n + 5, d + 1)) {
            INDArray table = Nd4j.rand(DataType.FLOAT, vocab, d); // stale values must be cleared
            sums.scatter(data, ids, n, table);
            INDArray transposed = Nd4j.rand(DataType.FLOAT, d, vocab).transpose();
            sums.scatter(data, ids, n, transposed);
            for (int v = 0; v < vocab; v++) {
                for (int j = 0; j < d; j++) {
                    assertEquals(expected[v][j], table.getDouble(v, j), 1e-5, "row " + v + ", column " + j);
                    assertEquals(expected[v][j], transposed.getDouble(v, j), 1e-5, "transposed, row " + v + ", column " + j);
                }
            }
            // a second call with other ids clears the first call's rows
            sums.scatter(data, new int[n], 3, table);
            float[] row0 = new float[d];
            for (int k = 0; k < 3; k++) {
                for (int j = 0; j < d; j++) {
                    row0[j] += rows[k][j];
                }
            }
            assertArrayEquals(row0, table.getRow(0).toFloatVector(), 1e-5f);
            assertEquals(Math.abs(row0[0]) + Math.abs(row0[1]) + Math.abs(row0[2]) + Math.abs(row0[3]) + Math.abs(row0[4])
                    + Math.abs(row0[5]) + Math.abs(row0[6]), table.ameanNumber().doubleValue() * vocab * d, 1e-4);
        }
    }

    @Test
    void placesRowsAtDistinctPositions() {
        INDArray data = Nd4j.create(new float[][] {{1, 2}, {3, 4}});
        INDArray target = Nd4j.rand(DataType.FLOAT, 6, 2);
        try (RowPlacer placer = new RowPlacer(6)) {
            placer.place(data, new int[] {4, 1}, 2, target, 5);
        }
        assertArrayEquals(new float[] {0, 0, 3, 4, 0, 0, 0, 0, 1, 2}, target.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup('c').data().asFloat(), 0f);
    }
}
