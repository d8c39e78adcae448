package org.persona4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Recommender;
import org.persona4j.eval.EvalCase;
import org.persona4j.eval.EvalReport;
import org.persona4j.eval.EvalResult;
import org.persona4j.eval.EvalSplit;
import org.persona4j.eval.Evaluator;
import org.persona4j.eval.FitContext;
import org.persona4j.eval.Protocols;
import org.persona4j.eval.RecommenderFactories;
import org.persona4j.eval.RecommenderFactory;
import org.persona4j.io.ColumnMapping;
import org.persona4j.io.DataFormat;
import org.persona4j.io.Dataset;
import org.persona4j.io.Datasets;
import org.persona4j.io.ReadOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j evaluate}: reads a data set, splits it by a protocol, fits each named
 * recommender (found through {@link RecommenderFactory} services) and prints full-ranking metrics
 * as a table, optionally as JSON.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Fit recommenders and report full-ranking metrics (HR, NDCG, MRR, coverage ...) under a protocol.")
public final class EvaluateCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--format",
            description = "Input format: events-csv, taobao, retailrocket, movielens, recbole, s3rec, sessions (required unless --list).")
    String format;

    @Option(names = "--input", description = "The data file or its folder (required unless --list).")
    Path input;

    @Option(names = "--protocol", defaultValue = "loo", description = "loo (leave-one-out), temporal or session (default ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--recommenders", defaultValue = "pop,itemknn,sknn", split = ",",
            description = "Comma-separated recommender names (see --list; default ${DEFAULT-VALUE}).")
    List<String> recommenders;

    @Option(names = "--k", defaultValue = "10,20", split = ",", description = "Cut-offs, e.g. 1,5,10,20 (default ${DEFAULT-VALUE}).")
    List<Integer> ks;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "2", description = "Threads for fitting and scoring (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", description = "Write the results as JSON to this file.")
    Path json;

    @Option(names = "--option", description = "Recommender option key=value (repeatable), e.g. --option neighbours=200"
            + " or --option emb=32 for lstm; --list shows each recommender's options.")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--validation", description = "Score the validation cases instead of the test cases (for tuning).")
    boolean validation;

    @Option(names = "--lenient", description = "Skip and count bad records instead of failing on the first.")
    boolean lenient;

    @Option(names = "--columns", description = "events-csv column mapping, e.g. user_id=visitor,timestamp=ts.")
    String columns;

    @Option(names = "--report", description = "Write an HTML page into this folder: HR and NDCG at each --k per recommender, "
            + "coverage, and accuracy per user segment (by the length of the user's history).")
    Path reportDir;

    @Option(names = "--list", description = "List the known recommenders and exit.")
    boolean list;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            RecommenderFactories.all().forEach((n, f) -> out.println(String.format("%-10s %s", n, f.description())));
            out.flush();
            return 0;
        }
        if (format == null || input == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option"
                    + (format == null && input == null ? "s: '--format=<format>', '--input=<input>'" : format == null ? ": '--format=<format>'" : ": '--input=<input>'"));
        }
        if (threads < 1) {
            throw new BadInputException("--threads: expected >= 1, was " + threads);
        }
        List<RecommenderFactory> factories = new ArrayList<>();
        for (String r : recommenders) {
            factories.add(RecommenderFactories.get(r));
        }
        int[] k = ks.stream().mapToInt(Integer::intValue).toArray();
        ConsoleProgress progress = new ConsoleProgress(quiet);
        DataFormat f = DataFormat.parse(format);
        ReadOptions o = (lenient ? ReadOptions.lenient() : ReadOptions.strict())
                .withColumnMapping(ColumnMapping.parse(columns)).withProgress(progress);
        Dataset ds = Datasets.load(f, input, o);
        EvalSplit split = Protocols.split(protocol, ds.events());
        if (validation) {
            split = split.validationAsTest();
        }
        Set<String> users = new HashSet<>();
        Set<String> items = new HashSet<>();
        for (BehaviorEvent e : ds.events()) {
            users.add(e.userId());
            if (e.itemId() != null) {
                items.add(e.itemId());
            }
        }
        out.println(String.format("dataset %s: %,d users, %,d items, %,d events; %,d training events, %,d test cases",
                ds.name(), users.size(), items.size(), ds.events().size(), split.train().size(), split.test().size()));
        out.println("protocol " + split.protocol());
        out.flush();
        Evaluator ev = new Evaluator(k, threads, progress);
        List<EvalResult> results = new ArrayList<>();
        Map<String, Map<String, EvalResult>> bySegment = new LinkedHashMap<>();
        for (RecommenderFactory fac : factories) {
            long t0 = System.nanoTime();
            Recommender rec = fac.fit(new FitContext(split, ds.catalog(), options, seed, threads, progress));
            double train = (System.nanoTime() - t0) / 1e9;
            try {
                results.add(ev.evaluate(rec, split).withTrainSeconds(train));
                if (reportDir != null) {
                    for (Map.Entry<String, List<EvalCase>> b : historyBuckets(split.test()).entrySet()) {
                        EvalSplit part = new EvalSplit(split.protocol(), split.train(), split.trainForValidation(), List.of(),
                                b.getValue(), split.itemCount());
                        bySegment.computeIfAbsent(b.getKey(), x -> new LinkedHashMap<>()).put(fac.name(), ev.evaluate(rec, part));
                    }
                }
            } finally {
                if (rec instanceof AutoCloseable) {
                    try {
                        ((AutoCloseable) rec).close();
                    } catch (Exception e) {
                        throw new IllegalStateException("closing " + rec.name() + ": " + e.getMessage(), e);
                    }
                }
            }
            out.println(String.format("%s: trained in %.1f s, evaluated %,d cases in %.1f s", fac.name(), train,
                    results.get(results.size() - 1).cases(), results.get(results.size() - 1).evalSeconds()));
            out.flush();
        }
        EvalReport report = new EvalReport(ds.name(), users.size(), items.size(), ds.events().size(), split.protocol(), results);
        List<String> cols = new ArrayList<>();
        for (int c : k) {
            cols.add("hr@" + c);
            cols.add("ndcg@" + c);
            cols.add("mrr@" + c);
        }
        cols.add("coverage@" + k[k.length - 1]);
        cols.add("auc");
        out.println();
        out.print(report.toTable(cols));
        if (json != null) {
            try {
                Path parent = json.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(json, report.toJson(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("writing " + json + ": " + e.getMessage(), e);
            }
            out.println("wrote " + json);
        }
        if (reportDir != null) {
            out.println("report written to " + evaluationReport(report, k, bySegment));
        }
        out.flush();
        return 0;
    }

    /** Test cases grouped by the length of the user's input history: 1-4, 5-9, 10-19, 20+ events. */
    static Map<String, List<EvalCase>> historyBuckets(List<EvalCase> cases) {
        String[] names = {"1-4 events", "5-9 events", "10-19 events", "20+ events"};
        Map<String, List<EvalCase>> out = new LinkedHashMap<>();
        for (EvalCase c : cases) {
            int n = c.input().size();
            String b = names[n < 5 ? 0 : n < 10 ? 1 : n < 20 ? 2 : 3];
            out.computeIfAbsent(b, x -> new ArrayList<>()).add(c);
        }
        Map<String, List<EvalCase>> ordered = new LinkedHashMap<>();
        for (String b : names) {
            if (out.containsKey(b)) {
                ordered.put(b, out.get(b));
            }
        }
        return ordered;
    }

    private Path evaluationReport(EvalReport report, int[] k, Map<String, Map<String, EvalResult>> bySegment) {
        double[] x = new double[k.length];
        for (int i = 0; i < k.length; i++) {
            x[i] = k[i];
        }
        Map<String, double[]> hr = new LinkedHashMap<>();
        Map<String, double[]> ndcg = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        double[] coverage = new double[report.results().size()];
        int last = k[k.length - 1];
        for (int r = 0; r < report.results().size(); r++) {
            EvalResult res = report.results().get(r);
            names.add(res.recommender());
            double[] h = new double[k.length];
            double[] n = new double[k.length];
            for (int i = 0; i < k.length; i++) {
                h[i] = res.metrics().getOrDefault("hr@" + k[i], Double.NaN);
                n[i] = res.metrics().getOrDefault("ndcg@" + k[i], Double.NaN);
            }
            hr.put(res.recommender(), h);
            ndcg.put(res.recommender(), n);
            coverage[r] = res.metrics().getOrDefault("coverage@" + last, Double.NaN);
        }
        org.persona4j.segment.ReportPage page = org.persona4j.segment.ReportPage.titled("Evaluation on " + report.dataset())
                .note(report.protocol())
                .lineChart("hr", "HR@K per recommender", "K", "HR@K", x, hr)
                .lineChart("ndcg", "NDCG@K per recommender", "K", "NDCG@K", x, ndcg)
                .barChart("coverage", "Catalogue coverage@" + last, "recommender", "coverage@" + last, names, Map.of("coverage@" + last, coverage));
        if (!bySegment.isEmpty()) {
            List<String> segments = new ArrayList<>(bySegment.keySet());
            Map<String, double[]> seg = new LinkedHashMap<>();
            List<List<String>> rows = new ArrayList<>();
            for (String rec : names) {
                double[] v = new double[segments.size()];
                for (int i = 0; i < segments.size(); i++) {
                    EvalResult e = bySegment.get(segments.get(i)).get(rec);
                    v[i] = e == null ? Double.NaN : e.metrics().getOrDefault("ndcg@" + last, Double.NaN);
                    if (e != null) {
                        rows.add(List.of(rec, segments.get(i), Integer.toString(e.cases()),
                                String.format(java.util.Locale.ROOT, "%.4f", e.metrics().getOrDefault("hr@" + last, Double.NaN)),
                                String.format(java.util.Locale.ROOT, "%.4f", v[i])));
                    }
                }
                seg.put(rec, v);
            }
            page.barChart("segments", "NDCG@" + last + " per user segment (length of the history before the target)", "segment",
                    "NDCG@" + last, segments, seg);
            page.table("Accuracy per user segment", List.of("recommender", "segment", "cases", "hr@" + last, "ndcg@" + last), rows);
        }
        List<List<String>> rows = new ArrayList<>();
        for (EvalResult res : report.results()) {
            List<String> row = new ArrayList<>(List.of(res.recommender(), Integer.toString(res.cases())));
            for (int c : k) {
                row.add(String.format(java.util.Locale.ROOT, "%.4f", res.metrics().getOrDefault("hr@" + c, Double.NaN)));
                row.add(String.format(java.util.Locale.ROOT, "%.4f", res.metrics().getOrDefault("ndcg@" + c, Double.NaN)));
            }
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("recommender", "cases"));
        for (int c : k) {
            header.add("hr@" + c);
            header.add("ndcg@" + c);
        }
        page.table("All metrics", header, rows);
        return page.write(reportDir);
    }
}
