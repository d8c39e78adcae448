package org.persona4j.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.persona4j.core.BadInputException;
import org.persona4j.recommend.ExactVectorIndex;
import org.persona4j.recommend.HnswVectorIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j bench-retrieval}: top-k retrieval over random item embeddings (seeded Gaussian
 * vectors with a few latent clusters, the shape of trained embeddings): recall@k of the Lucene HNSW
 * index against exact search, and p50/p99 latency of one query, exact and approximate, per catalogue
 * size.
 */
@Command(name = "bench-retrieval", mixinStandardHelpOptions = true,
        description = "Recall@k of HNSW vs exact top-k and p50/p99 latency of one query at several catalogue sizes.")
public final class BenchRetrievalCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--items", defaultValue = "100000,1000000", split = ",", description = "Catalogue sizes.")
    List<Integer> sizes;

    @Option(names = "--dim", defaultValue = "64", description = "Embedding dimension.")
    int dim;

    @Option(names = "--k", defaultValue = "20", description = "Items per query.")
    int k;

    @Option(names = "--queries", defaultValue = "500", description = "Timed queries per size.")
    int queries;

    @Option(names = "--m", defaultValue = "16", description = "HNSW max connections (M).")
    int m;

    @Option(names = "--beam", defaultValue = "100", description = "HNSW beam width while building.")
    int beam;

    @Option(names = "--ef", defaultValue = "100", description = "HNSW candidates while searching.")
    int ef;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed.")
    long seed;

    @Option(names = "--exact-only", description = "Skip the HNSW index: exact latency only (recall and HNSW columns print '-').")
    boolean exactOnly;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        if (dim < 1 || k < 1 || queries < 1) {
            throw new BadInputException("bench-retrieval: --dim, --k and --queries must be >= 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(String.format(Locale.ROOT, "bench-retrieval dim=%d k=%d queries=%d M=%d beam=%d ef=%d seed=%d, %d cores, java %s",
                dim, k, queries, m, beam, ef, seed, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        out.println(String.format(Locale.ROOT, "%10s %10s %12s %12s %12s %12s %12s", "items", "recall@" + k, "build s",
                "exact p50 ms", "exact p99 ms", "hnsw p50 ms", "hnsw p99 ms"));
        out.flush();
        for (int n : sizes) {
            Random r = new Random(seed);
            int clusters = 32;
            float[][] centers = new float[clusters][dim];
            for (float[] c : centers) {
                for (int d = 0; d < dim; d++) {
                    c[d] = (float) r.nextGaussian();
                }
            }
            float[] matrix = new float[n * dim];
            for (int i = 0; i < n; i++) {
                float[] c = centers[r.nextInt(clusters)];
                for (int d = 0; d < dim; d++) {
                    matrix[i * dim + d] = (float) (0.5 * c[d] + r.nextGaussian());
                }
            }
            float[][] qs = new float[queries][dim];
            for (float[] q : qs) {
                float[] c = centers[r.nextInt(clusters)];
                for (int d = 0; d < dim; d++) {
                    q[d] = (float) (0.5 * c[d] + r.nextGaussian());
                }
            }
            ExactVectorIndex exact = new ExactVectorIndex(matrix, dim);
            if (exactOnly) {
                for (int w = 0; w < Math.min(50, queries); w++) {
                    exact.topK(qs[w], k);
                }
                long[] te = new long[queries];
                for (int q = 0; q < queries; q++) {
                    long a = System.nanoTime();
                    exact.topK(qs[q], k);
                    te[q] = System.nanoTime() - a;
                }
                out.println(String.format(Locale.ROOT, "%,10d %10s %12s %12.3f %12.3f %12s %12s", n, "-", "-",
                        pct(te, 50), pct(te, 99), "-", "-"));
                out.flush();
                continue;
            }
            long t0 = System.nanoTime();
            try (HnswVectorIndex hnsw = new HnswVectorIndex(matrix, dim, new HnswVectorIndex.Params(m, beam, ef),
                    new ConsoleProgress(quiet))) {
                double build = (System.nanoTime() - t0) / 1e9;
                // warm-up
                for (int w = 0; w < Math.min(50, queries); w++) {
                    exact.topK(qs[w], k);
                    hnsw.search(qs[w], k);
                }
                long[] te = new long[queries];
                long[] ta = new long[queries];
                double recall = 0;
                for (int q = 0; q < queries; q++) {
                    long a = System.nanoTime();
                    int[] ex = exact.topK(qs[q], k);
                    long b = System.nanoTime();
                    int[] ap = hnsw.search(qs[q], k);
                    long c = System.nanoTime();
                    te[q] = b - a;
                    ta[q] = c - b;
                    Set<Integer> truth = new HashSet<>();
                    for (int i : ex) {
                        truth.add(i);
                    }
                    int hit = 0;
                    for (int i : ap) {
                        if (truth.contains(i)) {
                            hit++;
                        }
                    }
                    recall += hit / (double) ex.length;
                }
                out.println(String.format(Locale.ROOT, "%,10d %10.4f %12.1f %12.3f %12.3f %12.3f %12.3f (segments %d)", n,
                        recall / queries, build, pct(te, 50), pct(te, 99), pct(ta, 50), pct(ta, 99), hnsw.segments()));
                out.flush();
            }
        }
        return 0;
    }

    private static double pct(long[] nanos, int p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)] / 1e6;
    }
}
