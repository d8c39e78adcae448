package org.persona4j.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** PCA finds the direction of largest spread. */
class PcaTest {
    @Test
    void pointsOnALineHaveNoSecondComponent() {
        float[][] x = new float[50][];
        for (int i = 0; i < 50; i++) {
            x[i] = new float[] {i, 2 * i, 5};
        }
        double[][] p = Pca.project2(x);
        for (int i = 0; i < 50; i++) {
            assertEquals(0.0, p[i][1], 1e-6);
            // PC1 is the centred position along (1, 2, 0) / sqrt(5), up to sign
            assertEquals(Math.abs((i - 24.5) * Math.sqrt(5)), Math.abs(p[i][0]), 1e-3);
        }
    }
}
