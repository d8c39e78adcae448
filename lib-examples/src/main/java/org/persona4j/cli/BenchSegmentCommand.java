package org.persona4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.persona4j.segment.AdjustedRandIndex;
import org.persona4j.segment.KMeansConfig;
import org.persona4j.segment.KMeansSegmenter;
import org.persona4j.segment.ProfileVector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j bench-segment}: k-means fit time and peak memory on synthetic user vectors
 * (a Gaussian mixture of {@code --k} blobs), by default 1,000,000 users × 64 dimensions, k = 10.
 */
@Command(name = "bench-segment", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure KMeansSegmenter fit time and peak memory on synthetic vectors (default 1,000,000 x 64, k = 10).")
public final class BenchSegmentCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--users", defaultValue = "1000000", description = "Rows (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--dim", defaultValue = "64", description = "Dimensions (default ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--k", defaultValue = "10", description = "Clusters (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--restarts", defaultValue = "3", description = "k-means++ restarts (default ${DEFAULT-VALUE}).")
    int restarts;

    @Option(names = "--max-iter", defaultValue = "100", description = "Iteration limit (default ${DEFAULT-VALUE}).")
    int maxIter;

    @Option(names = "--batch", defaultValue = "65536", description = "Rows per ND4J distance batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--noise", defaultValue = "3.0", description = "Blob standard deviation (centres uniform in [-10, 10]) (default ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        SplittableRandom r = new SplittableRandom(seed);
        float[][] c = new float[k][dim];
        for (float[] row : c) {
            for (int j = 0; j < dim; j++) {
                row[j] = (float) (r.nextDouble() * 20 - 10);
            }
        }
        int[] truth = new int[users];
        float[][] x = new float[users][dim];
        for (int i = 0; i < users; i++) {
            int a = r.nextInt(k);
            truth[i] = a;
            for (int j = 0; j < dim; j++) {
                x[i][j] = (float) (c[a][j] + noise * r.nextGaussian());
            }
        }
        long rssBefore = rss("VmRSS");
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
        KMeansConfig cfg = KMeansConfig.defaults(seed).withK(k).withRestarts(restarts).withMaxIterations(maxIter)
                .withBatchSize(batch);
        long t0 = System.nanoTime();
        KMeansSegmenter s = KMeansSegmenter.fit("bench", cfg, null, x, ProfileVector.embedding());
        double secs = (System.nanoTime() - t0) / 1e9;
        long heapPeak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                heapPeak += p.getPeakUsage().getUsed();
            }
        }
        double ari = users <= 2_000_000 ? AdjustedRandIndex.of(truth, s.trainingLabels()) : Double.NaN;
        w.printf(Locale.ROOT, "bench-segment: %,d users x %d dims, k = %d, restarts %d, batch %,d, %d threads available%n",
                users, dim, k, restarts, batch, Runtime.getRuntime().availableProcessors());
        w.printf(Locale.ROOT, "  fit time            %10.2f s (%.2f s per restart)%n", secs, secs / restarts);
        w.printf(Locale.ROOT, "  iterations (kept)   %10d%n", s.iterations());
        w.printf(Locale.ROOT, "  inertia             %10.4g%n", s.inertia());
        w.printf(Locale.ROOT, "  ARI vs planted      %10.4f%n", ari);
        w.printf(Locale.ROOT, "  input size          %10.1f MiB (float[%d][%d])%n", users * (double) dim * 4 / (1 << 20), users, dim);
        w.printf(Locale.ROOT, "  peak heap (JMX)     %10.1f MiB%n", heapPeak / (double) (1 << 20));
        w.printf(Locale.ROOT, "  RSS before fit      %10.1f MiB%n", rssBefore / (double) (1 << 20));
        w.printf(Locale.ROOT, "  peak RSS (VmHWM)    %10.1f MiB (whole process, includes the input and native batches)%n",
                rss("VmHWM") / (double) (1 << 20));
        w.flush();
        return 0;
    }

    /** A field of /proc/self/status in bytes, or -1 where there is none (not Linux). */
    static long rss(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
