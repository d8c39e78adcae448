package org.persona4j.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;

class IvfVectorIndexTest {
    private static final int DIM = 17;

    /** Gaussian vectors around 16 centres (the shape of bench-retrieval's random set). */
    private static float[] clustered(int n, long seed) {
        return TestVectors.clustered(new Random(seed), n, DIM, 16);
    }

    private static float[][] queries(int n, long seed) {
        Random r = new Random(seed);
        float[][] q = new float[n][DIM];
        for (float[] v : q) {
            for (int d = 0; d < DIM; d++) {
                v[d] = (float) r.nextGaussian();
            }
        }
        return q;
    }

    @Test
    void scanningEveryListIsExactSearch() {
        float[] m = clustered(3000, 1);
        ExactVectorIndex exact = new ExactVectorIndex(m, DIM);
        IvfVectorIndex ivf = new IvfVectorIndex(m, DIM, IvfVectorIndex.Params.defaults().withLists(20));
        assertEquals(20, ivf.params().lists());
        for (float[] q : queries(50, 2)) {
            assertArrayEquals(exact.topK(q, 10), ivf.search(q, 10, 20), "all 20 lists probed: the exact top 10, best first");
        }
    }

    @Test
    void oneListForASmallCatalogueIsExact() {
        float[] m = clustered(30, 3);
        IvfVectorIndex ivf = new IvfVectorIndex(m, DIM, IvfVectorIndex.Params.defaults());
        assertEquals(1, ivf.params().lists(), "fewer than 32 items: one list (lists of at least 16 items)");
        ExactVectorIndex exact = new ExactVectorIndex(m, DIM);
        float[] q = queries(1, 4)[0];
        assertArrayEquals(exact.topK(q, 5), ivf.search(q, 5));
        assertEquals(30, ivf.search(q, 100).length, "k above the catalogue returns every item");
    }

    @Test
    void defaultsFindMostOfTheTrueTopTwenty() {
        float[] m = clustered(20_000, 5);
        ExactVectorIndex exact = new ExactVectorIndex(m, DIM);
        IvfVectorIndex ivf = new IvfVectorIndex(m, DIM, IvfVectorIndex.Params.defaults());
        assertEquals(IvfVectorIndex.autoLists(20_000), ivf.params().lists());
        assertEquals(IvfVectorIndex.autoProbes(ivf.params().lists()), ivf.params().probes());
        double sum = 0;
        float[][] qs = queries(200, 6);
        for (float[] q : qs) {
            sum += TestVectors.recall(exact.topK(q, 20), ivf.search(q, 20));
        }
        double recall = sum / qs.length;
        assertTrue(recall >= 0.9, "recall@20 with the default lists and probes: " + recall);
        double fewer = 0;
        for (float[] q : qs) {
            fewer += TestVectors.recall(exact.topK(q, 20), ivf.search(q, 20, 2));
        }
        assertTrue(fewer / qs.length < recall, "fewer probes find less: " + fewer / qs.length + " vs " + recall);
    }

    @Test
    void theBuildDoesNotDependOnTheThreadCountAndSearchesAreThreadSafe() throws Exception {
        float[] m = clustered(8000, 7);
        IvfVectorIndex one = new IvfVectorIndex(m, DIM, IvfVectorIndex.Params.defaults().withBuildThreads(1));
        IvfVectorIndex two = new IvfVectorIndex(m, DIM, IvfVectorIndex.Params.defaults().withBuildThreads(3));
        float[][] qs = queries(100, 8);
        List<int[]> expected = new ArrayList<>();
        for (float[] q : qs) {
            int[] a = one.search(q, 20);
            assertArrayEquals(a, two.search(q, 20), "same lists whatever the build threads");
            expected.add(a);
        }
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                fs.add(ex.submit(() -> {
                    for (int rep = 0; rep < 20; rep++) {
                        for (int i = 0; i < qs.length; i++) {
                            if (!java.util.Arrays.equals(expected.get(i), two.search(qs[i], 20))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : fs) {
                assertTrue(f.get(), "concurrent searches give the single-thread answers");
            }
        } finally {
            ex.shutdownNow();
        }
        IvfVectorIndex reseeded = new IvfVectorIndex(m, DIM, IvfVectorIndex.Params.defaults().withSeed(43));
        assertEquals(one.params().lists(), reseeded.params().lists());
    }

    @Test
    void theSpreadWeightedRankingScansTheSameListsWhenAllAreProbedAndFindsMostWithFew() {
        float[] m = clustered(6000, 13);
        ExactVectorIndex exact = new ExactVectorIndex(m, DIM);
        IvfVectorIndex.Params p = IvfVectorIndex.Params.defaults().withLists(60).withSpreadWeight(1);
        IvfVectorIndex ivf = new IvfVectorIndex(m, DIM, p);
        assertEquals(1.0, ivf.params().spreadWeight());
        double few = 0;
        float[][] qs = queries(100, 14);
        for (float[] q : qs) {
            int[] truth = exact.topK(q, 20);
            assertArrayEquals(truth, ivf.search(q, 20, 60), "every list probed: exact, whatever the ranking");
            few += TestVectors.recall(truth, ivf.search(q, 20, 20));
        }
        assertTrue(few / qs.length >= 0.8, "a third of the lists, ranked by the bound: recall@20 " + few / qs.length);
    }

    @Test
    void duplicateVectorsLeaveNoListEmptyAndStayCorrect() {
        // 600 items but only 3 distinct vectors: k-means with 24 lists must split to fill empty lists
        float[] m = new float[600 * DIM];
        for (int i = 0; i < 600; i++) {
            m[i * DIM + (i % 3)] = 1 + (i % 3);
        }
        IvfVectorIndex ivf = new IvfVectorIndex(m, DIM, IvfVectorIndex.Params.defaults().withLists(24).withProbes(24));
        float[] q = new float[DIM];
        q[2] = 1;
        int[] top = ivf.search(q, 5);
        assertEquals(5, top.length);
        for (int r : top) {
            assertEquals(2, r % 3, "the items with the largest dot product");
        }
        assertArrayEquals(new int[] {2, 5, 8, 11, 14}, top, "ties ordered by lower row");
    }

    @Test
    void badInputSaysWhatWasExpected() {
        float[] m = clustered(100, 9);
        IvfVectorIndex ivf = new IvfVectorIndex(m, DIM, IvfVectorIndex.Params.defaults());
        BadInputException e = assertThrows(BadInputException.class, () -> ivf.search(new float[DIM + 1], 5));
        assertTrue(e.getMessage().contains("query dimension 18"), e.getMessage());
        assertThrows(BadInputException.class, () -> ivf.search(new float[DIM], 0));
        e = assertThrows(BadInputException.class, () -> new IvfVectorIndex(new float[10], 3, IvfVectorIndex.Params.defaults()));
        assertTrue(e.getMessage().contains("'dim'"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> IvfVectorIndex.Params.defaults().withProbes(-1));
        assertTrue(e.getMessage().contains("'probes'"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> new IvfVectorIndex.Params(0, 0, 0, 0, 1, 1));
        assertTrue(e.getMessage().contains("'iterations'"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> IvfVectorIndex.Params.defaults().withSpreadWeight(1.5));
        assertTrue(e.getMessage().contains("'spreadWeight'"), e.getMessage());
        assertEquals(0, new IvfVectorIndex(new float[0], DIM, IvfVectorIndex.Params.defaults()).search(new float[DIM], 3).length);
    }
}
