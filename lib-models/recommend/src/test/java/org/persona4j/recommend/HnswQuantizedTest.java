package org.persona4j.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The HNSW index: the float graph (reproducible with one build thread, recall with Lucene's concurrent
 * builder) and the scalar-quantized option (recall against exact search, exact re-rank, one segment).
 */
final class HnswQuantizedTest {
    private static final int N = 2000;
    private static final int DIM = 24;
    private static final int K = 20;

    private static float[] matrix(Random r, int n) {
        return TestVectors.clustered(r, n, DIM, 8);
    }

    @Test
    void paramsStaySourceCompatible() {
        HnswVectorIndex.Params p = HnswVectorIndex.Params.defaults();
        assertEquals(new HnswVectorIndex.Params(32, 100, 150), p);
        assertFalse(p.quantized());
        assertTrue(p.withQuantized(true).quantized());
        assertEquals(400, p.withEfSearch(400).efSearch());
        assertEquals(new HnswVectorIndex.Params(32, 100, 150, true), p.withQuantized(true));
        assertEquals(1, p.buildThreads());
        assertEquals(new HnswVectorIndex.Params(32, 100, 150, false, 2), p.withBuildThreads(2));
        assertThrows(org.persona4j.core.BadInputException.class, () -> p.withBuildThreads(0));
    }

    @Test
    void floatGraphIsReproducibleWithOneThreadAndAccurateWithTwo() {
        Random r = new Random(11);
        float[] m = matrix(r, N);
        ExactVectorIndex exact = new ExactVectorIndex(m, DIM);
        float[][] queries = new float[100][DIM];
        for (float[] q : queries) {
            for (int d = 0; d < DIM; d++) {
                q[d] = (float) r.nextGaussian();
            }
        }
        HnswVectorIndex.Params p = new HnswVectorIndex.Params(16, 100, 100);
        try (HnswVectorIndex a = new HnswVectorIndex(m, DIM, p, null);
             HnswVectorIndex b = new HnswVectorIndex(m, DIM, p, null);
             HnswVectorIndex c = new HnswVectorIndex(m, DIM, p.withBuildThreads(2), null)) {
            assertEquals(1, a.segments());
            double recallA = 0;
            double recallC = 0;
            for (float[] q : queries) {
                int[] got = a.search(q, K);
                assertArrayEquals(got, b.search(q, K), "one build thread: the same graph, the same results");
                for (int i = 1; i < got.length; i++) { // best first by the dot product
                    assertTrue(exact.dot(q, got[i - 1]) >= exact.dot(q, got[i]));
                }
                int[] truth = exact.topK(q, K);
                recallA += TestVectors.recall(truth, got);
                recallC += TestVectors.recall(truth, c.search(q, K));
            }
            assertTrue(recallA / queries.length >= 0.9, "float recall@" + K + " = " + recallA / queries.length);
            assertTrue(recallC / queries.length >= 0.9, "concurrent build recall@" + K + " = " + recallC / queries.length);
        }
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
                recall += TestVectors.recall(truth, got);
                if (q == 0) { // the per-call ef: searching every item finds the exact top k
                    assertEquals(1.0, TestVectors.recall(truth, h.search(query, K, N)));
                }
            }
            recall /= queries;
            assertTrue(recall >= 0.9, "quantized recall@" + K + " = " + recall);
        }
    }
}
