package org.persona4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.persona4j.core.BadInputException;
import org.persona4j.eval.profile.CategoryLevel;
import org.persona4j.eval.profile.ProfileEvalConfig;
import org.persona4j.eval.profile.ProfileEvalReport;
import org.persona4j.eval.profile.ProfileEvaluator;
import org.persona4j.io.ColumnMapping;
import org.persona4j.io.DataFormat;
import org.persona4j.io.Dataset;
import org.persona4j.io.Datasets;
import org.persona4j.io.ReadOptions;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.profile.artifact.ArtifactKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j evaluate-profile}: measures a profile model's purchase and churn propensities and
 * category interests on a temporal split against the historical-rate and logistic-regression
 * baselines ({@code docs/profile-eval.md}), and prints one table; optionally JSON and an HTML
 * report with reliability plots.
 */
@Command(name = "evaluate-profile", mixinStandardHelpOptions = true,
        description = "Measure the profile's purchase and churn propensities and category interests on a temporal split"
                + " (ROC-AUC, PR-AUC, Brier, ECE, next-category HR/NDCG) against historical-rate and logistic-regression"
                + " baselines.")
public final class EvaluateProfileCommand implements CliCommand {
    /** Held so that the level set on it is not lost when the logger is collected. */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    @Spec
    CommandSpec spec;

    @Option(names = "--format", required = true,
            description = "Input format: events-csv, taobao, retailrocket, movielens, recbole, s3rec, sessions.")
    String format;

    @Option(names = "--input", required = true, description = "The data file or its folder.")
    Path input;

    @Option(names = "--model", description = "A DeepProfileModel artifact (.zip) written by `train` or `quickstart`;"
            + " without it only the baselines are measured.")
    Path model;

    @Option(names = "--horizon-days", defaultValue = "7", description = "Purchase horizon H in days (default ${DEFAULT-VALUE}).")
    int horizonDays;

    @Option(names = "--churn-days", defaultValue = "30", description = "Churn window N in days (default ${DEFAULT-VALUE}).")
    int churnDays;

    @Option(names = "--protocol", defaultValue = "temporal",
            description = "temporal (cutoff T = last event - max(H, N) days) or last (leave-last-out, category only, for data"
                    + " without real timestamps) (default ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--anchor", defaultValue = "cutoff",
            description = "Where the purchase and churn windows start: cutoff (at T, the question \"from now on\") or"
                    + " last-event (at each user's last event before T, what a head defined \"after the last event\""
                    + " predicts) (default ${DEFAULT-VALUE}).")
    String anchor;

    @Option(names = "--category-level", defaultValue = "leaf",
            description = "Category level of the next-category target: leaf, top or path; match the model's"
                    + " `train --category-level` (default ${DEFAULT-VALUE}).")
    String categoryLevel;

    @Option(names = "--k", defaultValue = "3", description = "Cut-off of the category HR and NDCG (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the fitted baselines (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Write the results (reliability tables included) as JSON to this file.")
    Path json;

    @Option(names = "--report", description = "Write an HTML report with reliability plots to this file.")
    Path report;

    @Option(names = "--sign-key-file", description = "HMAC key file the model artifact must be signed with.")
    Path signKeyFile;

    @Option(names = "--columns", description = "events-csv column mapping, e.g. user_id=visitor,timestamp=ts.")
    String columns;

    @Option(names = "--lenient", description = "Skip and count bad records instead of failing on the first.")
    boolean lenient;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!anchor.equals("cutoff") && !anchor.equals("last-event")) {
            throw new BadInputException("--anchor: expected cutoff or last-event, was \"" + anchor + "\"");
        }
        ProfileEvalConfig config = new ProfileEvalConfig(ProfileEvalConfig.Protocol.parse(protocol), horizonDays, churnDays,
                CategoryLevel.parse(categoryLevel), k, 10, seed, anchor.equals("last-event"));
        if (model != null) {
            Args.requireModelArtifact(model);
        }
        // the baseline's trainer logs each fit at INFO through java.util.logging; this tool prints its own summary
        TRIBUO_LOG.setLevel(Level.WARNING);
        ArtifactKey key = signKeyFile == null ? null : ArtifactKey.fromFile(signKeyFile);
        DeepProfileModel m = model == null ? null : DeepProfileModel.load(model, key); // before the data: fail fast
        try {
            ConsoleProgress progress = new ConsoleProgress(quiet);
            ReadOptions o = (lenient ? ReadOptions.lenient() : ReadOptions.strict())
                    .withColumnMapping(ColumnMapping.parse(columns)).withProgress(progress);
            Dataset ds = Datasets.load(DataFormat.parse(format), input, o);
            out.printf(Locale.ROOT, "read %,d events from %s%n", ds.events().size(), input);
            if (m != null) {
                out.printf(Locale.ROOT, "model %s: %s%n", model.getFileName(), m.version());
            } else {
                out.println("no --model: the deep row is not measured");
            }
            out.flush();
            long t0 = System.nanoTime();
            ProfileEvalReport r = new ProfileEvaluator(config).evaluate(ds.name(), ds.events(), ds.catalog(), m, "deep");
            out.println();
            out.print(r.toTable());
            out.printf(Locale.ROOT, "evaluated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            write(json, r.toJson(), out);
            write(report, r.toHtml(), out);
            out.flush();
            return 0;
        } finally {
            if (m != null) {
                m.close();
            }
        }
    }

    private static void write(Path file, String text, PrintWriter out) throws IOException {
        if (file == null) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        out.println("wrote " + file);
    }
}
