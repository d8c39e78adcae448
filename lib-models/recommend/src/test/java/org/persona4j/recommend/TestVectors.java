package org.persona4j.recommend;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/** Test vectors for the vector indexes: Gaussian vectors around a few random centres, and recall. */
final class TestVectors {
    private TestVectors() {
    }

    /**
     * @param r the random source (drawn from in a fixed order: centres, then each vector's centre and values)
     * @param n how many vectors
     * @param dim their dimension
     * @param centres how many centres
     * @return row-major vectors, each {@code 0.5 * centre + N(0, 1)} per value
     */
    static float[] clustered(Random r, int n, int dim, int centres) {
        float[][] c = new float[centres][dim];
        for (float[] v : c) {
            for (int d = 0; d < dim; d++) {
                v[d] = (float) r.nextGaussian();
            }
        }
        float[] m = new float[n * dim];
        for (int i = 0; i < n; i++) {
            float[] v = c[r.nextInt(centres)];
            for (int d = 0; d < dim; d++) {
                m[i * dim + d] = (float) (0.5 * v[d] + r.nextGaussian());
            }
        }
        return m;
    }

    /**
     * @param truth the exact rows
     * @param got the approximate rows
     * @return the share of {@code truth} found in {@code got}
     */
    static double recall(int[] truth, int[] got) {
        Set<Integer> t = new HashSet<>();
        for (int i : truth) {
            t.add(i);
        }
        int hit = 0;
        for (int i : got) {
            hit += t.contains(i) ? 1 : 0;
        }
        return hit / (double) truth.length;
    }
}
