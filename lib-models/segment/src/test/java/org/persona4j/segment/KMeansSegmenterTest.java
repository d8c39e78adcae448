package org.persona4j.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;

/** k-means recovers planted blobs, picks k by silhouette, assigns incrementally, reports drift. */
class KMeansSegmenterTest {
    static final long SEED = 7L;

    /** n points around k well separated centres in d dimensions; truth[i] = blob of row i. */
    static float[][] blobs(int n, int k, int d, long seed, int[] truth) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] centres = new float[k][d];
        for (int a = 0; a < k; a++) {
            for (int j = 0; j < d; j++) {
                centres[a][j] = (float) (r.nextDouble() * 20 - 10);
            }
        }
        float[][] x = new float[n][d];
        for (int i = 0; i < n; i++) {
            int a = r.nextInt(k);
            truth[i] = a;
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) (centres[a][j] + 0.5 * r.nextGaussian());
            }
        }
        return x;
    }

    @Test
    void recoversPlantedBlobsWithSmallBatches() {
        System.out.println("KMeansSegmenterTest seed " + SEED);
        int[] truth = new int[3000];
        float[][] x = blobs(3000, 5, 8, SEED, truth);
        KMeansSegmenter s = KMeansSegmenter.fit("b", KMeansConfig.defaults(SEED).withK(5).withBatchSize(700), null, x,
                ProfileVector.embedding());
        assertEquals(5, s.k());
        assertTrue(AdjustedRandIndex.of(truth, s.trainingLabels()) > 0.99);
        // incremental assignment agrees with the batched path and with the training labels
        int[] batch = s.assignAll(x);
        assertArrayEquals(s.trainingLabels(), batch);
        for (int i = 0; i < 200; i++) {
            assertEquals(batch[i], s.nearest(x[i], "u" + i));
        }
    }

    @Test
    void automaticKBySilhouette() {
        int[] truth = new int[1500];
        float[][] x = blobs(1500, 4, 6, SEED + 1, truth);
        KMeansSegmenter s = KMeansSegmenter.fit("b", KMeansConfig.defaults(SEED).withKRange(2, 7).withRestarts(2), null, x,
                ProfileVector.embedding());
        assertEquals(4, s.k(), "silhouette by k: " + s.silhouetteByK());
        assertEquals(6, s.silhouetteByK().size());
    }

    @Test
    void moreClustersThanDistinctPointsShrinksK() {
        float[][] x = {{1, 1}, {1, 1}, {5, 5}, {5, 5}};
        KMeansSegmenter s = KMeansSegmenter.fit("b", KMeansConfig.defaults(SEED).withK(4), null, x, ProfileVector.embedding());
        assertEquals(2, s.k());
        assertEquals(0.0, s.inertia(), 1e-9);
    }

    @Test
    void nanAndRaggedRowsNamed() {
        float[][] x = {{1, 2}, {3, Float.NaN}};
        BadInputException e = assertThrows(BadInputException.class, () -> KMeansSegmenter.fit("b",
                KMeansConfig.defaults(1).withK(2), List.of("alice", "bob"), x, ProfileVector.embedding()));
        assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("bob")
                && e.getMessage().contains("embedding[1]") && e.getMessage().contains("NaN"), e.getMessage());
        float[][] y = {{1, 2}, {3}};
        e = assertThrows(BadInputException.class, () -> KMeansSegmenter.fit("b", KMeansConfig.defaults(1).withK(2), null, y,
                ProfileVector.embedding()));
        assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("expected 2 dimensions"), e.getMessage());
        assertThrows(BadInputException.class, () -> KMeansConfig.defaults(1).withK(-1));
    }

    @Test
    void driftOfShares() {
        int[] truth = new int[2000];
        float[][] x = blobs(2000, 3, 4, SEED + 2, truth);
        KMeansSegmenter s = KMeansSegmenter.fit("b", KMeansConfig.defaults(SEED).withK(3), null, x, ProfileVector.embedding());
        List<String> same = new ArrayList<>();
        for (int l : s.assignAll(x)) {
            same.add(KMeansSegmenter.segmentId(l));
        }
        SegmentDrift none = SegmentDrift.of(s, same);
        assertEquals(0.0, none.psi(), 1e-12);
        assertEquals("stable", none.level());
        // now only users of the first planted blob come back: a large shift
        List<String> skewed = new ArrayList<>();
        int[] lab = s.assignAll(x);
        for (int i = 0; i < x.length; i++) {
            if (truth[i] == 0 || i % 10 == 0) {
                skewed.add(KMeansSegmenter.segmentId(lab[i]));
            }
        }
        SegmentDrift d = SegmentDrift.of(s, skewed);
        assertEquals("significant", d.level(), d.toString());
        assertEquals(1.0, d.rows().stream().mapToDouble(SegmentDrift.Row::shareNow).sum(), 1e-9);
    }
}
