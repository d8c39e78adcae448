package org.persona4j.segment;

import org.persona4j.core.BadInputException;

/**
 * Hyper-parameters of {@link KMeansSegmenter}, validated at construction (the message names the
 * field and the bad value).
 *
 * @param k number of clusters, or 0 to choose it automatically by silhouette in [{@code kMin}, {@code kMax}]
 * @param kMin smallest k tried when {@code k == 0}, at least 2
 * @param kMax largest k tried when {@code k == 0}, at least {@code kMin}
 * @param restarts number of k-means++ restarts; the run with the lowest inertia is kept
 * @param maxIterations Lloyd iteration limit per restart
 * @param tolerance stop when the summed squared centroid shift is at most {@code tolerance} times
 *        the total variance of the data
 * @param seed random seed (k-means++ seeding, samples); the same seed and data give the same result
 * @param batchSize rows per distance block (a row-major copy of the rows, block by block)
 * @param silhouetteSample number of points on which the silhouette is computed (automatic k)
 * @param selectionSample number of points on which candidate k are fitted (automatic k)
 */
public record KMeansConfig(int k, int kMin, int kMax, int restarts, int maxIterations, double tolerance, long seed,
                           int batchSize, int silhouetteSample, int selectionSample) {

    /** Validates. @throws BadInputException naming the bad field */
    public KMeansConfig {
        check("k", k >= 0 && k <= 10_000, k, "0 (automatic) or 1..10000");
        check("kMin", kMin >= 2, kMin, ">= 2");
        check("kMax", kMax >= kMin && kMax <= 1000, kMax, "kMin.." + 1000);
        check("restarts", restarts >= 1 && restarts <= 1000, restarts, "1..1000");
        check("maxIterations", maxIterations >= 1, maxIterations, ">= 1");
        if (!(tolerance >= 0 && Double.isFinite(tolerance))) {
            throw new BadInputException("KMeansConfig: field 'tolerance': expected a finite number >= 0, was " + tolerance);
        }
        check("batchSize", batchSize >= 1, batchSize, ">= 1");
        check("silhouetteSample", silhouetteSample >= 10, silhouetteSample, ">= 10");
        check("selectionSample", selectionSample >= 10, selectionSample, ">= 10");
    }

    private static void check(String field, boolean ok, long value, String expected) {
        if (!ok) {
            throw new BadInputException("KMeansConfig: field '" + field + "': expected " + expected + ", was " + value);
        }
    }

    /**
     * Defaults: automatic k in [2, 12], 3 restarts, 100 iterations, tolerance 1e-4, batches of
     * 65,536 rows, silhouette on 2,000 points, candidates fitted on 20,000 points.
     *
     * @param seed the seed
     * @return the default configuration
     */
    public static KMeansConfig defaults(long seed) {
        return new KMeansConfig(0, 2, 12, 3, 100, 1e-4, seed, 65_536, 2_000, 20_000);
    }

    /** @param v number of clusters (0 = automatic) @return a copy with that k */
    public KMeansConfig withK(int v) {
        return new KMeansConfig(v, kMin, kMax, restarts, maxIterations, tolerance, seed, batchSize, silhouetteSample, selectionSample);
    }

    /** @param lo smallest k tried @param hi largest k tried @return a copy with that automatic range */
    public KMeansConfig withKRange(int lo, int hi) {
        return new KMeansConfig(k, lo, hi, restarts, maxIterations, tolerance, seed, batchSize, silhouetteSample, selectionSample);
    }

    /** @param v restarts @return a copy */
    public KMeansConfig withRestarts(int v) {
        return new KMeansConfig(k, kMin, kMax, v, maxIterations, tolerance, seed, batchSize, silhouetteSample, selectionSample);
    }

    /** @param v iteration limit @return a copy */
    public KMeansConfig withMaxIterations(int v) {
        return new KMeansConfig(k, kMin, kMax, restarts, v, tolerance, seed, batchSize, silhouetteSample, selectionSample);
    }

    /** @param v tolerance @return a copy */
    public KMeansConfig withTolerance(double v) {
        return new KMeansConfig(k, kMin, kMax, restarts, maxIterations, v, seed, batchSize, silhouetteSample, selectionSample);
    }

    /** @param v seed @return a copy */
    public KMeansConfig withSeed(long v) {
        return new KMeansConfig(k, kMin, kMax, restarts, maxIterations, tolerance, v, batchSize, silhouetteSample, selectionSample);
    }

    /** @param v rows per batch @return a copy */
    public KMeansConfig withBatchSize(int v) {
        return new KMeansConfig(k, kMin, kMax, restarts, maxIterations, tolerance, seed, v, silhouetteSample, selectionSample);
    }
}
