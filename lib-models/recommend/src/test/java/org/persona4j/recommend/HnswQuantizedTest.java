package org.persona4j.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scalar-quantized HNSW option: recall against exact search, exact re-rank, one segment. */
final class HnswQuantizedTest {
    private static final int N = 2000;
    private static final int DIM = 24;
    private static final int K = 20;

    private static float[] matrix(Random r, int n) {
        float[][] centers = new float[8][DIM];
        for (float[] c : centers) {
            for (int d = 0; d < DIM; d++) {
                c[d] = (float) r.nextGaussian();
            }
        }
        float[] m = new float[n * DIM];
        for (int i = 0; i < n; i++) {
            float[] c = centers[r.nextInt(centers.length)];
            for (int d = 0; d < DIM; d++) {
                m[i * DIM + d] = (float) (0.5 * c[d] + r.nextGaussian());
            }
        }
        return m;
    }

    @Test
    void paramsStaySourceCompatible() {
        HnswVectorIndex.Params p = HnswVectorIndex.Params.defaults();
        assertEquals(new HnswVectorIndex.Params(16, 100, 300), p);
        assertFalse(p.quantized());
        assertTrue(p.withQuantized(true).quantized());
        assertEquals(400, p.withEfSearch(400).efSearch());
        assertEquals(new HnswVectorIndex.Params(16, 100, 300, true), p.withQuantized(true));
    }

    @Test
    void quantizedRecallAndExactOrder() {
        Random r = new Random(7);
        float[] m = matrix(r, N);
        ExactVectorIndex exact = new ExactVectorIndex(m, DIM);
        try (HnswVectorIndex h = new HnswVectorIndex(m, DIM, new HnswVectorIndex.Params(16, 100, 200, true), null)) {
            assertEquals(1, h.segments());
            assertTrue(h.params().quantized());
            double recall = 0;
            int queries = 100;
            for (int q = 0; q < queries; q++) {
                float[] query = new float[DIM];
                for (int d = 0; d < DIM; d++) {
                    query[d] = (float) r.nextGaussian();
                }
                int[] truth = exact.topK(query, K);
                int[] got = h.search(query, K);
                assertEquals(K, got.length);
                for (int i = 1; i < got.length; i++) { // exact re-rank: best first by the float dot product
                    assertTrue(exact.dot(query, got[i - 1]) >= exact.dot(query, got[i]));
                }
                Set<Integer> t = new HashSet<>();
                for (int i : truth) {
                    t.add(i);
                }
                int hit = 0;
                for (int i : got) {
                    hit += t.contains(i) ? 1 : 0;
                }
                recall += hit / (double) K;
                if (q == 0) { // the per-call ef: searching every item finds the exact top k
                    int[] all = h.search(query, K, N);
                    Set<Integer> found = new HashSet<>();
                    for (int i : all) {
                        found.add(i);
                    }
                    assertEquals(t, found);
                }
            }
            recall /= queries;
            assertTrue(recall >= 0.9, "quantized recall@" + K + " = " + recall);
        }
    }
}
