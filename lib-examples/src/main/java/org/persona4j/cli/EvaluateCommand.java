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

    @Option(names = "--format", required = true,
            description = "Input format: events-csv, taobao, retailrocket, movielens, recbole, s3rec, sessions.")
    String format;

    @Option(names = "--input", required = true, description = "The data file or its folder.")
    Path input;

    @Option(names = "--protocol", defaultValue = "loo", description = "loo (leave-one-out), temporal or session.")
    String protocol;

    @Option(names = "--recommenders", defaultValue = "pop,itemknn,sknn", split = ",",
            description = "Comma-separated recommender names (see --list).")
    List<String> recommenders;

    @Option(names = "--k", defaultValue = "10,20", split = ",", description = "Cut-offs, e.g. 10,20.")
    List<Integer> ks;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed.")
    long seed;

    @Option(names = "--threads", defaultValue = "2", description = "Threads for fitting and scoring.")
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
        for (RecommenderFactory fac : factories) {
            long t0 = System.nanoTime();
            Recommender rec = fac.fit(new FitContext(split, ds.catalog(), options, seed, threads, progress));
            double train = (System.nanoTime() - t0) / 1e9;
            try {
                results.add(ev.evaluate(rec, split).withTrainSeconds(train));
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
        out.flush();
        return 0;
    }
}
