package org.persona4j.segment;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.persona4j.core.BadInputException;

/**
 * The k-means engine behind {@link KMeansSegmenter}: k-means++ seeding, Lloyd iterations with
 * distances computed on contiguous row blocks in plain Java (no native library), several restarts,
 * automatic k by silhouette.
 */
final class KMeans {
    private KMeans() {
    }

    /** The result of one fit. */
    record Result(float[][] centroids, int[] labels, double inertia, int iterations, int restartsRun,
                  Map<Integer, Double> silhouetteByK) {
    }

    /**
     * Refuses ragged rows and non-finite values, naming the row (and its id) and dimension.
     */
    static int validate(float[][] x, IntFunction<String> rowName, IntFunction<String> dimName) {
        if (x == null || x.length == 0) {
            throw new BadInputException("k-means: no input rows: expected at least one user vector");
        }
        int d = -1;
        for (int i = 0; i < x.length; i++) {
            float[] r = x[i];
            if (r == null || r.length == 0) {
                throw new BadInputException("k-means: " + rowName.apply(i) + ": expected a vector, was "
                        + (r == null ? "null" : "empty"));
            }
            if (d < 0) {
                d = r.length;
            } else if (r.length != d) {
                throw new BadInputException("k-means: " + rowName.apply(i) + ": expected " + d + " dimensions (as row 0), was "
                        + r.length);
            }
            for (int j = 0; j < d; j++) {
                if (!Float.isFinite(r[j])) {
                    throw new BadInputException("k-means: " + rowName.apply(i) + ", " + dimName.apply(j)
                            + ": expected a finite number, was " + r[j]);
                }
            }
        }
        return d;
    }

    /** Fits k-means on validated rows; k == 0 selects k automatically. */
    static Result fit(float[][] x, KMeansConfig cfg) {
        Map<Integer, Double> sil = new LinkedHashMap<>();
        int k = cfg.k();
        if (k == 0) {
            k = chooseK(x, cfg, sil);
        }
        Result r = fitK(x, k, cfg);
        return new Result(r.centroids, r.labels, r.inertia, r.iterations, r.restartsRun, sil);
    }

    private static int chooseK(float[][] x, KMeansConfig cfg, Map<Integer, Double> sil) {
        SplittableRandom rnd = new SplittableRandom(cfg.seed() ^ 0x5EEDL);
        int[] sel = sample(x.length, Math.min(x.length, cfg.selectionSample()), rnd);
        float[][] xs = new float[sel.length][];
        for (int i = 0; i < sel.length; i++) {
            xs[i] = x[sel[i]];
        }
        int m = Math.min(xs.length, cfg.silhouetteSample());
        int best = 1;
        double bestS = Double.NEGATIVE_INFINITY;
        for (int k = cfg.kMin(); k <= Math.min(cfg.kMax(), xs.length - 1); k++) {
            Result r = fitK(xs, k, cfg);
            if (r.centroids.length < k) {
                break; // fewer distinct points than k
            }
            double s = silhouette(xs, r.labels, m, r.centroids.length);
            sil.put(k, s);
            if (s > bestS + 1e-12) {
                bestS = s;
                best = k;
            }
        }
        return best;
    }

    /** Mean silhouette of the first {@code m} rows of {@code x} (already a random sample). */
    static double silhouette(float[][] x, int[] labels, int m, int k) {
        if (k < 2 || m < 2) {
            return 0;
        }
        double total = 0;
        int[] count = new int[k];
        for (int i = 0; i < m; i++) {
            count[labels[i]]++;
        }
        double[] sum = new double[k];
        for (int i = 0; i < m; i++) {
            Arrays.fill(sum, 0);
            for (int j = 0; j < m; j++) {
                if (j != i) {
                    sum[labels[j]] += Math.sqrt(sq(x[i], x[j]));
                }
            }
            int own = labels[i];
            if (count[own] <= 1) {
                continue; // silhouette 0 for singletons
            }
            double a = sum[own] / (count[own] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (c != own && count[c] > 0) {
                    b = Math.min(b, sum[c] / count[c]);
                }
            }
            double den = Math.max(a, b);
            total += den == 0 ? 0 : (b - a) / den;
        }
        return total / m;
    }

    static int[] sample(int n, int m, SplittableRandom rnd) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return Arrays.copyOf(idx, m);
    }

    static double sq(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double t = (double) a[j] - b[j];
            s += t * t;
        }
        return s;
    }

    /** Fits with a fixed k (reduced to the number of distinct points when smaller). */
    static Result fitK(float[][] x, int k, KMeansConfig cfg) {
        int n = x.length;
        int d = x[0].length;
        double[] xnorm = new double[n];
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += (double) x[i][j] * x[i][j];
                mean[j] += x[i][j];
            }
            xnorm[i] = s;
        }
        double totalVar = 0;
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            totalVar += sq64(x[i], mean);
        }
        totalVar /= n;
        double tol = cfg.tolerance() * totalVar;
        Result best = null;
        Batches batches = new Batches(x, cfg.batchSize());
        for (int r = 0; r < cfg.restarts(); r++) {
            SplittableRandom rnd = new SplittableRandom(cfg.seed() * 0x9E3779B97F4A7C15L + r);
            float[][] c = seed(x, xnorm, k, rnd);
            Result res = lloyd(x, xnorm, c, batches, cfg.maxIterations(), tol, cfg.restarts());
            if (best == null || res.inertia < best.inertia) {
                best = res;
            }
        }
        return best;
    }

    private static double sq64(float[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double t = a[j] - b[j];
            s += t * t;
        }
        return s;
    }

    /**
     * Greedy k-means++ seeding: at each step {@code 2 + floor(ln k)} candidates are drawn with
     * probability proportional to the squared distance to the nearest chosen centre, and the one
     * that lowers the total squared distance most is kept. Stops early when every point is a centre.
     */
    static float[][] seed(float[][] x, double[] xnorm, int k, SplittableRandom rnd) {
        int n = x.length;
        int trials = 2 + (int) Math.log(k);
        float[][] c = new float[k][];
        c[0] = x[rnd.nextInt(n)].clone();
        double[] d2 = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            d2[i] = sq(x[i], c[0]);
            total += d2[i];
        }
        int got = 1;
        double[] cand = new double[n];
        double[] bestD = new double[n];
        while (got < k && total > 0) {
            int bestPick = -1;
            double bestTotal = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                int pick = draw(d2, total, rnd.nextDouble() * total);
                double tot = 0;
                float[] cp = x[pick];
                for (int i = 0; i < n; i++) {
                    double v = Math.min(d2[i], sq(x[i], cp));
                    cand[i] = v;
                    tot += v;
                }
                if (tot < bestTotal) {
                    bestTotal = tot;
                    bestPick = pick;
                    System.arraycopy(cand, 0, bestD, 0, n);
                }
            }
            c[got] = x[bestPick].clone();
            System.arraycopy(bestD, 0, d2, 0, n);
            total = bestTotal;
            got++;
        }
        return got == k ? c : Arrays.copyOf(c, got);
    }

    /** The first point where the running sum of {@code d2} passes {@code u} (a point with positive weight). */
    private static int draw(double[] d2, double total, double u) {
        double acc = 0;
        for (int i = 0; i < d2.length; i++) {
            acc += d2[i];
            if (acc > u && d2[i] > 0) {
                return i;
            }
        }
        for (int i = d2.length - 1; i >= 0; i--) { // rounding at the end of the scan
            if (d2[i] > 0) {
                return i;
            }
        }
        throw new IllegalStateException("k-means++: no point with positive distance although the total is " + total);
    }

    private static Result lloyd(float[][] x, double[] xnorm, float[][] c, Batches batches, int maxIter, double tol,
                                int restarts) {
        int n = x.length;
        int d = x[0].length;
        int k = c.length;
        int[] labels = new int[n];
        double[] dist = new double[n];
        int it = 0;
        while (true) {
            assign(batches, c, xnorm, labels, dist);
            if (it >= maxIter) {
                break;
            }
            it++;
            double[][] sum = new double[k][d];
            long[] cnt = new long[k];
            for (int i = 0; i < n; i++) {
                double[] s = sum[labels[i]];
                float[] r = x[i];
                for (int j = 0; j < d; j++) {
                    s[j] += r[j];
                }
                cnt[labels[i]]++;
            }
            relocateEmpty(x, sum, cnt, dist, labels);
            double shift = 0;
            for (int a = 0; a < k; a++) {
                float[] nc = new float[d];
                for (int j = 0; j < d; j++) {
                    nc[j] = (float) (sum[a][j] / cnt[a]);
                }
                shift += sq(nc, c[a]);
                c[a] = nc;
            }
            if (shift <= tol) {
                assign(batches, c, xnorm, labels, dist);
                break;
            }
        }
        double inertia = 0;
        for (int i = 0; i < n; i++) {
            inertia += dist[i];
        }
        return new Result(c, labels, inertia, it, restarts, Map.of());
    }

    /** An empty cluster takes the point farthest from its centre (deterministic: lowest index on ties). */
    private static void relocateEmpty(float[][] x, double[][] sum, long[] cnt, double[] dist, int[] labels) {
        int d = x[0].length;
        boolean[] taken = null;
        for (int a = 0; a < cnt.length; a++) {
            if (cnt[a] > 0) {
                continue;
            }
            if (taken == null) {
                taken = new boolean[x.length];
            }
            int far = -1;
            for (int i = 0; i < x.length; i++) {
                if (!taken[i] && cnt[labels[i]] > 1 && (far < 0 || dist[i] > dist[far])) {
                    far = i;
                }
            }
            if (far < 0) {
                continue;
            }
            taken[far] = true;
            int old = labels[far];
            for (int j = 0; j < d; j++) {
                sum[old][j] -= x[far][j];
                sum[a][j] = x[far][j];
            }
            cnt[old]--;
            cnt[a] = 1;
            labels[far] = a;
            dist[far] = 0;
        }
    }

    /**
     * Nearest centre of every row: the score {@code 2 x·c - |c|^2} of every centre (largest wins,
     * lowest index on ties), computed block by block over row-major copies of the rows;
     * {@code dist[i] = |x_i|^2 - max score}.
     */
    static void assign(Batches batches, float[][] c, double[] xnorm, int[] labels, double[] dist) {
        int k = c.length;
        int d = c[0].length;
        float[] cf = new float[k * d];
        float[] cn = new float[k];
        for (int a = 0; a < k; a++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                cf[a * d + j] = c[a][j];
                s += (double) c[a][j] * c[a][j];
            }
            cn[a] = (float) s;
        }
        int off = 0;
        for (float[] xb : batches.blocks) {
            int rows = xb.length / d;
            for (int i = 0; i < rows; i++) {
                int xo = i * d;
                int bestA = 0;
                float bestS = Float.NEGATIVE_INFINITY;
                for (int a = 0; a < k; a++) {
                    int co = a * d;
                    float dot = 0f;
                    for (int j = 0; j < d; j++) {
                        dot += xb[xo + j] * cf[co + j];
                    }
                    float sc = 2f * dot - cn[a];
                    if (sc > bestS) {
                        bestS = sc;
                        bestA = a;
                    }
                }
                labels[off + i] = bestA;
                dist[off + i] = Math.max(0, xnorm[off + i] - bestS);
            }
            off += rows;
        }
    }

    /** The rows copied into contiguous row-major blocks of at most {@code batchSize} rows. */
    static final class Batches {
        final float[][] blocks;

        Batches(float[][] x, int batchSize) {
            int n = x.length;
            int d = x[0].length;
            int nb = (n + batchSize - 1) / batchSize;
            blocks = new float[nb][];
            for (int b = 0; b < nb; b++) {
                int from = b * batchSize;
                int to = Math.min(n, from + batchSize);
                float[] flat = new float[(to - from) * d];
                for (int i = from; i < to; i++) {
                    System.arraycopy(x[i], 0, flat, (i - from) * d, d);
                }
                blocks[b] = flat;
            }
        }
    }
}
