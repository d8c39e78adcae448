package org.persona4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.recommend.ExactVectorIndex;
import org.persona4j.recommend.HnswVectorIndex;
import org.persona4j.recommend.IvfVectorIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j bench-retrieval}: top-k retrieval over item embeddings: recall@k of the IVF index
 * ({@link IvfVectorIndex}) and of the Lucene HNSW index against exact search, and p50/p99 latency of
 * one query (single thread), exact and approximate, per catalogue size.
 *
 * <p>The vectors are random (seeded Gaussian vectors with a few latent clusters, the shape of
 * trained embeddings), or with {@code --model} a trained model's real item embeddings, queried with
 * the profiles of short synthetic histories of its items (the real set has the model's size: a
 * larger {@code --items} is cut to it, never padded). {@code --m} and {@code --ef} take lists: one
 * HNSW index is built per size, M and vector format ({@code --quantized}, {@code --compare-quantized}),
 * and every ef is measured on it; likewise one IVF index per {@code --lists} value, measured at every
 * {@code --probes}. The first table (one row per index, at the first ef) is followed
 * by the recall/latency curve (one row per ef); {@code --report DIR} also writes the curve as CSV
 * and recall-vs-p99 and recall-vs-p50 latency plots (PNG).
 */
@Command(name = "bench-retrieval", mixinStandardHelpOptions = true,
        description = "Recall@k of IVF and HNSW vs exact top-k and p50/p99 latency of one query at several catalogue sizes.")
public final class BenchRetrievalCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--items", defaultValue = "100000,1000000", split = ",", description = "Catalogue sizes.")
    List<Integer> sizes;

    @Option(names = "--dim", defaultValue = "64", description = "Embedding dimension (random vectors; a --model sets its own).")
    int dim;

    @Option(names = "--k", defaultValue = "20", description = "Items per query.")
    int k;

    @Option(names = "--queries", defaultValue = "500", description = "Timed queries per size.")
    int queries;

    @Option(names = "--m", defaultValue = "32", split = ",", description = "HNSW max connections (M); a list builds one index each.")
    List<Integer> ms;

    @Option(names = "--beam", defaultValue = "100", description = "HNSW beam width while building.")
    int beam;

    @Option(names = "--ef", defaultValue = "150", split = ",", description = "HNSW candidates while searching; a list is measured on the same index.")
    List<Integer> efs;

    @Option(names = "--index", defaultValue = "ivf,hnsw", split = ",", description = "Approximate indexes to measure: ivf, hnsw or both"
            + " (default ${DEFAULT-VALUE}).")
    List<String> indexes;

    @Option(names = "--lists", defaultValue = "0", split = ",", description = "IVF k-means lists (0: automatic, 2*sqrt(items));"
            + " a list builds one index each.")
    List<Integer> lists;

    @Option(names = "--probes", defaultValue = "0", split = ",", description = "IVF lists scanned per query (0: automatic, 5.5*sqrt(lists)"
            + " of the lists); a list is measured on the same index.")
    List<Integer> probes;

    @Option(names = "--spread", defaultValue = "0", description = "IVF spread weight of the list ranking, 0..1"
            + " (IvfVectorIndex.Params#spreadWeight) (default ${DEFAULT-VALUE}).")
    double spread;

    @Option(names = "--build-threads", defaultValue = "1", description = "Threads that build a float graph (Lucene's"
            + " concurrent builder above 1: faster, but the graph differs from build to build) (default ${DEFAULT-VALUE}).")
    int buildThreads;

    @Option(names = "--quantized", description = "Scalar-quantized (int7) vectors with an exact re-rank instead of float vectors.")
    boolean quantized;

    @Option(names = "--compare-quantized", description = "Build both a float and a quantized index per size and M.")
    boolean compareQuantized;

    @Option(names = "--model", description = "A trained model (.zip): benchmark its real item embeddings instead of random vectors.")
    Path model;

    @Option(names = "--pad", description = "With --model: fill the catalogue to --items with seeded random vectors"
            + " (Gaussian, sd 0.1), as bench-engine fills its catalogue, instead of cutting --items to the model's size.")
    boolean pad;

    @Option(names = "--report", description = "Folder for curve.csv, recall-latency.png (p99) and recall-latency-p50.png.")
    Path report;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed.")
    long seed;

    @Option(names = "--exact-only", description = "Skip the approximate indexes: exact latency only (recall and ann columns print '-').")
    boolean exactOnly;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** One measured point of the curve. */
    record Point(String vectors, int items, int dim, String index, int m, boolean quantized, int ef, double recall, double p50,
                 double p99, double buildS, double mergeS, int segmentsBeforeMerge) {
    }

    /** One approximate search with a knob (HNSW ef or IVF probes). */
    @FunctionalInterface
    private interface Search {
        int[] run(float[] query, int knob);
    }

    /** Times and scores every knob value on one built index; prints its first row and adds its curve points. */
    private void measure(PrintWriter out, Writer csv, List<Point> curve, Data data, int[][] truth, long[] te, String index, int m,
                         boolean quant, List<Integer> knobs, Search search, double build, double mergeS, int segmentsBeforeMerge,
                         int segments) throws IOException {
        float[][] qs = data.qs();
        int n = data.size();
        boolean first = true;
        for (int knob : knobs) {
            for (int w = 0; w < Math.min(200, queries); w++) {
                search.run(qs[w], knob);
            }
            long[] ta = new long[queries];
            double recall = 0;
            for (int q = 0; q < queries; q++) {
                long b = System.nanoTime();
                int[] ap = search.run(qs[q], knob);
                ta[q] = System.nanoTime() - b;
                recall += recall(truth[q], ap);
            }
            recall /= queries;
            if (first) {
                out.println(String.format(Locale.ROOT, "%,10d %10.4f %12.1f %12.3f %12.3f %12.3f %12.3f (%s %s %d, segments %d)", n,
                        recall, build, pct(te, 50), pct(te, 99), pct(ta, 50), pct(ta, 99), index, index.equals("ivf") ? "lists" : "M",
                        m, segments));
                out.flush();
                first = false;
            }
            Point pt = new Point(data.vectors(), n, data.dim(), index, m, quant, knob, recall, pct(ta, 50), pct(ta, 99), build, mergeS,
                    segmentsBeforeMerge);
            curve.add(pt);
            if (csv != null) {
                csv.write(String.format(Locale.ROOT, "%s,%d,%d,%d,%s,%d,%d,%b,%d,%.4f,%.4f,%.4f,%.2f,%.2f,%d%n", pt.vectors(), n, pt.dim(), k,
                        index, m, beam, quant, knob, recall, pt.p50(), pt.p99(), build, mergeS, segmentsBeforeMerge));
                csv.flush();
            }
        }
    }

    /** A data set: the item matrix and the queries. */
    private record Data(String vectors, float[] matrix, int dim, float[][] qs) {
        int size() {
            return matrix.length / dim;
        }
    }

    @Override
    public Integer call() throws IOException {
        if (dim < 1 || k < 1 || queries < 1) {
            throw new BadInputException("bench-retrieval: --dim, --k and --queries must be >= 1");
        }
        if (ms.isEmpty() || efs.isEmpty() || ms.stream().anyMatch(v -> v < 2) || efs.stream().anyMatch(v -> v < 1)) {
            throw new BadInputException("bench-retrieval: --m must be >= 2 and --ef >= 1");
        }
        if (lists.stream().anyMatch(v -> v < 0) || probes.stream().anyMatch(v -> v < 0)) {
            throw new BadInputException("bench-retrieval: --lists and --probes must be >= 0 (0: automatic)");
        }
        for (String ix : indexes) {
            if (!ix.equals("ivf") && !ix.equals("hnsw")) {
                throw new BadInputException("bench-retrieval: --index: expected ivf or hnsw, was '" + ix + "'");
            }
        }
        Args.requireFile("--model", model);
        PrintWriter out = spec.commandLine().getOut();
        DeepProfileModel dpm = model == null ? null : DeepProfileModel.load(model);
        List<String> notes = new ArrayList<>();
        List<Point> curve = new ArrayList<>();
        Writer csv = null;
        try {
            int shownDim = dpm == null ? dim : dpm.embeddingSize();
            out.println(String.format(Locale.ROOT, "bench-retrieval dim=%d k=%d queries=%d M=%s beam=%d ef=%s seed=%d, %d cores, java %s",
                    shownDim, k, queries, list(ms), beam, list(efs), seed, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version")));
            out.println(String.format(Locale.ROOT, "%10s %10s %12s %12s %12s %12s %12s", "items", "recall@" + k, "build s",
                    "exact p50 ms", "exact p99 ms", "ann p50 ms", "ann p99 ms"));
            out.flush();
            if (report != null) {
                Files.createDirectories(report);
                csv = Files.newBufferedWriter(report.resolve("curve.csv"), StandardCharsets.UTF_8);
                csv.write("vectors,items,dim,k,index,m_or_lists,beam,quantized,ef_or_probes,recall,p50_ms,p99_ms,build_s,merge_s,segments_before_merge\n");
                csv.flush();
            }
            List<Boolean> formats = compareQuantized ? List.of(false, true) : List.of(quantized);
            Set<Integer> doneSizes = new HashSet<>();
            for (int requested : sizes) {
                Data data = dpm == null ? random(requested) : real(dpm, requested, notes);
                int n = data.size();
                if (!doneSizes.add(n)) {
                    continue; // a real set cut to the model's size once already
                }
                ExactVectorIndex exact = new ExactVectorIndex(data.matrix(), data.dim());
                float[][] qs = data.qs();
                for (int w = 0; w < Math.min(50, queries); w++) {
                    exact.topK(qs[w], k);
                }
                long[] te = new long[queries];
                int[][] truth = new int[queries][];
                for (int q = 0; q < queries; q++) {
                    long a = System.nanoTime();
                    truth[q] = exact.topK(qs[q], k);
                    te[q] = System.nanoTime() - a;
                }
                if (exactOnly) {
                    out.println(String.format(Locale.ROOT, "%,10d %10s %12s %12.3f %12.3f %12s %12s", n, "-", "-",
                            pct(te, 50), pct(te, 99), "-", "-"));
                    out.flush();
                    continue;
                }
                for (String kind : indexes) {
                    if (kind.equals("ivf")) {
                        for (int nl : lists) {
                            long t0 = System.nanoTime();
                            IvfVectorIndex.Params p = IvfVectorIndex.Params.defaults().withLists(nl).withSpreadWeight(spread).withSeed(seed)
                                    .withBuildThreads(buildThreads);
                            IvfVectorIndex ivf = new IvfVectorIndex(data.matrix(), data.dim(), p);
                            double build = (System.nanoTime() - t0) / 1e9;
                            List<Integer> knobs = probes.stream().map(v -> v == 0 ? ivf.params().probes() : v).distinct().toList();
                            measure(out, csv, curve, data, truth, te, "ivf", ivf.params().lists(), false, knobs,
                                    (q, x) -> ivf.search(q, k, x), build, 0, 1, 1);
                        }
                        continue;
                    }
                    for (int m : ms) {
                        for (boolean quant : formats) {
                            long t0 = System.nanoTime();
                            HnswVectorIndex.Params p = new HnswVectorIndex.Params(m, beam, efs.get(0), quant, buildThreads);
                            try (HnswVectorIndex hnsw = new HnswVectorIndex(data.matrix(), data.dim(), p, new ConsoleProgress(quiet))) {
                                double build = (System.nanoTime() - t0) / 1e9;
                                measure(out, csv, curve, data, truth, te, "hnsw", m, quant, efs, (q, x) -> hnsw.search(q, k, x), build,
                                        hnsw.mergeMillis() / 1e3, hnsw.segmentsBeforeMerge(), hnsw.segments());
                            }
                        }
                    }
                }
            }
            if (!curve.isEmpty() && (efs.size() > 1 || ms.size() > 1 || probes.size() > 1 || lists.size() > 1 || indexes.size() > 1
                    || compareQuantized || quantized || dpm != null || report != null)) {
                out.println(String.format(Locale.ROOT, "curve: %-8s %10s %5s %6s %6s %6s %10s %12s %12s %9s %9s", "vectors", "items", "index",
                        "M/lists", "format", "ef/probes", "recall@" + k, "ann p50 ms", "ann p99 ms", "build s", "merge s"));
                for (Point pt : curve) {
                    out.println(String.format(Locale.ROOT, "curve: %-8s %,10d %5s %6d %6s %6d %10.4f %12.3f %12.3f %9.1f %9.2f", pt.vectors(),
                            pt.items(), pt.index(), pt.m(), pt.quantized() ? "int7" : "float", pt.ef(), pt.recall(), pt.p50(), pt.p99(),
                            pt.buildS(), pt.mergeS()));
                }
            }
            for (String note : notes) {
                out.println("note: " + note);
            }
            if (report != null && !curve.isEmpty()) {
                Path png = report.resolve("recall-latency.png");
                plot(curve, png, true);
                Path png50 = report.resolve("recall-latency-p50.png");
                plot(curve, png50, false);
                out.println("report: " + report.resolve("curve.csv") + ", " + png + ", " + png50);
            }
            out.flush();
        } finally {
            if (csv != null) {
                csv.close();
            }
            if (dpm != null) {
                dpm.close();
            }
        }
        return 0;
    }

    private static String list(List<Integer> v) {
        return v.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static double recall(int[] truth, int[] approx) {
        Set<Integer> t = new HashSet<>();
        for (int i : truth) {
            t.add(i);
        }
        int hit = 0;
        for (int i : approx) {
            if (t.contains(i)) {
                hit++;
            }
        }
        return hit / (double) truth.length;
    }

    private Data random(int n) {
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
        return new Data("random", matrix, dim, qs);
    }

    /**
     * The model's item embeddings (the first {@code min(n, items)} of its vocabulary) and, as queries,
     * the profiles of synthetic histories (5 to 20 views of random items of the set).
     */
    private Data real(DeepProfileModel dpm, int n, List<String> notes) {
        List<String> ids = new ArrayList<>(new java.util.LinkedHashSet<>(dpm.itemIds()));
        int d = dpm.embeddingSize();
        List<String> kept = new ArrayList<>();
        float[] m = new float[Math.min(n, ids.size()) * d];
        for (String id : ids) {
            if (kept.size() == m.length / d) {
                break;
            }
            var v = dpm.itemEmbedding(id);
            if (v.isPresent() && v.get().length == d) {
                System.arraycopy(v.get(), 0, m, kept.size() * d, d);
                kept.add(id);
            }
        }
        float[] matrix = Arrays.copyOf(m, kept.size() * d);
        if (pad && n > kept.size()) {
            // the same vectors as bench-engine's catalogue: one seeded generator, sd 0.1 per value
            java.util.SplittableRandom g = new java.util.SplittableRandom(seed);
            int known = kept.size();
            matrix = Arrays.copyOf(matrix, n * d);
            for (int i = known * d; i < n * d; i++) {
                matrix[i] = (float) (g.nextGaussian() * 0.1);
            }
        } else if (n > kept.size()) {
            notes.add(String.format(Locale.ROOT, "--items %,d: the model has %,d items with embeddings; the real set is the model's"
                    + " size, %,d (not padded)", n, kept.size(), kept.size()));
        }
        if (kept.isEmpty()) {
            throw new BadInputException("--model " + model + ": no item embeddings of dimension " + d);
        }
        Random r = new Random(seed);
        float[][] qs = new float[queries][];
        long t = 1_700_000_000_000L;
        for (int q = 0; q < queries; q++) {
            int len = 5 + r.nextInt(16);
            List<BehaviorEvent> h = new ArrayList<>(len);
            for (int e = 0; e < len; e++) {
                h.add(BehaviorEvent.of("bench-" + q, kept.get(r.nextInt(kept.size())), EventType.VIEW, t + e * 60_000L));
            }
            float[] u = dpm.profile("bench-" + q, h).embedding();
            qs[q] = u.length == d ? u : Arrays.copyOf(u, d);
        }
        return new Data(pad && n > kept.size() ? "padded" : "real", matrix, d, qs);
    }

    /** Recall@k against p99 (or p50) latency, one line per (items, M, format), points labelled by ef. */
    private void plot(List<Point> curve, Path png, boolean p99) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // rendered off-screen
        }
        String pct = p99 ? "p99" : "p50";
        XYChart c = new XYChartBuilder().width(1000).height(600).title("IVF and HNSW recall@" + k + " vs " + pct + " latency (one query thread)")
                .xAxisTitle(pct + " latency per query, ms").yAxisTitle("recall@" + k).build();
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        c.getStyler().setDecimalPattern("#0.###");
        Map<String, List<Point>> lines = new LinkedHashMap<>();
        for (Point p : curve) {
            String key = p.index().equals("ivf") ? String.format(Locale.ROOT, "%s %,d IVF lists=%d", p.vectors(), p.items(), p.m())
                    : String.format(Locale.ROOT, "%s %,d HNSW M=%d %s", p.vectors(), p.items(), p.m(), p.quantized() ? "int7" : "float");
            lines.computeIfAbsent(key, x -> new ArrayList<>()).add(p);
        }
        for (Map.Entry<String, List<Point>> e : lines.entrySet()) {
            List<Point> ps = e.getValue();
            double[] x = ps.stream().mapToDouble(p -> p99 ? p.p99() : p.p50()).toArray();
            double[] y = ps.stream().mapToDouble(Point::recall).toArray();
            XYSeries s = c.addSeries(e.getKey(), x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            for (Point p : ps) {
                c.addAnnotation(new AnnotationText((p.index().equals("ivf") ? "probes=" : "ef=") + p.ef(), p99 ? p.p99() : p.p50(),
                        p.recall(), false));
            }
        }
        try (OutputStream o = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(c, o, BitmapEncoder.BitmapFormat.PNG);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static double pct(long[] nanos, int p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)] / 1e6;
    }
}
