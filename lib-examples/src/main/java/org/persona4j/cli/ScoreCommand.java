package org.persona4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.features.aggregate.RatingPolarity;
import org.persona4j.io.DataFormat;
import org.persona4j.io.Dataset;
import org.persona4j.io.Datasets;
import org.persona4j.io.ReadOptions;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.profile.artifact.ArtifactKey;
import org.persona4j.segment.score.ProfileScorer;
import org.persona4j.segment.score.ScoreSummary;
import org.persona4j.segment.score.ScoreWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j score}: reads a data set and a profile model and writes one row per user (id,
 * embeddings, propensities with the churn risk, top interests, tags, segment, RFM value group and,
 * when the data has ratings, the rating polarity "sentiment") as JSON Lines or CSV, through
 * {@link ProfileScorer}. The rows are streamed in user-id order into a
 * temporary file next to {@code --out}, which replaces {@code --out} only when every row is
 * written. Progress goes to standard error; the summary (users, seconds, users/s) to standard
 * output.
 */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score every user of a data set with a profile model: write one row per user (embeddings, "
                + "propensities incl. churn risk, interests, tags, segment, value group, rating polarity when the data has "
                + "ratings) as JSON Lines or CSV.")
public final class ScoreCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--format", defaultValue = "events-csv",
            description = "Input format: events-csv, taobao, retailrocket, movielens, recbole, s3rec, sessions (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--input", required = true, description = "The data file (.gz allowed) or its folder.")
    Path input;

    @Option(names = "--model", required = true, description = "A DeepProfileModel artifact (.zip) written by `train`.")
    Path model;

    @Option(names = "--out", required = true, description = "Output file: .jsonl/.ndjson/.json = JSON Lines, .csv = CSV; "
            + "add .gz to compress.")
    Path out;

    @Option(names = "--segments", defaultValue = "rfm", paramLabel = "rfm|kmeans:K|kmeans|none",
            description = "The row's segment: rfm (the RFM value-group segment, default), kmeans:K (K clusters of the "
                    + "model's long-term embeddings; kmeans alone chooses K by silhouette), none.")
    String segments;

    @Option(names = "--top-interests", defaultValue = "5", description = "Interests per row (default ${DEFAULT-VALUE}).")
    int topInterests;

    @Option(names = "--max-history", defaultValue = "0",
            description = "The model sees only each user's last N events; 0 = the whole history, as the engine does (default).")
    int maxHistory;

    @Option(names = "--threads", defaultValue = "1", description = "Scoring threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the k-means sample and fit (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--sign-key-file", description = "HMAC key file: the model artifact must be signed with it "
            + "(`train --sign-key-file`); unsigned or altered artifacts are refused.")
    Path signKeyFile;

    @Option(names = "--lenient", description = "Skip and count bad records instead of failing on the first.")
    boolean lenient;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        ScoreWriter.Format outFormat = ScoreWriter.Format.ofFileName(out.getFileName().toString());
        Args.requireModelArtifact(model);
        if (topInterests < 0 || maxHistory < 0 || threads < 1) {
            throw new BadInputException("--top-interests, --max-history: expected >= 0; --threads: expected >= 1; were "
                    + topInterests + ", " + maxHistory + ", " + threads);
        }
        ArtifactKey key = signKeyFile == null ? null : ArtifactKey.fromFile(signKeyFile);
        DataFormat inFormat = DataFormat.parse(format);
        int k = segmentsOption(segments); // checked before anything is loaded
        ConsoleProgress progress = new ConsoleProgress(quiet);
        try (DeepProfileModel m = DeepProfileModel.load(model, key)) { // before the data: a bad model fails fast
            ReadOptions o = (lenient ? ReadOptions.lenient() : ReadOptions.strict()).withProgress(progress);
            Dataset ds = Datasets.load(inFormat, input, o);
            w.printf(Locale.ROOT, "read %,d events from %s%n", ds.events().size(), input);
            w.flush();
            ProfileScorer.Builder b = ProfileScorer.builder(m).topInterests(topInterests).maxHistory(maxHistory)
                    .threads(threads).seed(seed);
            switch (k) {
                case RFM -> b.segmentsRfm();
                case NONE -> b.noSegments();
                default -> b.segmentsKMeans(k);
            }
            ProfileScorer scorer = b.fit(ds.events(), ds.catalog(), progress);
            w.printf(Locale.ROOT, "model %s (%d dims); as of %s (the latest event); segments: %s%n", m.version(),
                    m.embeddingSize(), Instant.ofEpochMilli(scorer.asOfMillis()), segments);
            RatingPolarity pol = scorer.ratingPolarity();
            if (pol == null) {
                w.println("sentiment: none (no rated events)");
            } else {
                w.printf(Locale.ROOT, "sentiment: rating polarity fitted on %,d ratings (mean %.3f)%n", pol.ratings(),
                        pol.globalMean());
            }
            w.flush();
            Path abs = out.toAbsolutePath();
            Path parent = abs.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
            ScoreSummary s;
            boolean gz = abs.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
            try {
                try (ScoreWriter sw = ScoreWriter.open(tmp, outFormat, gz)) {
                    s = scorer.scoreAll(ds.events(), sw, progress);
                }
                try {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            w.println("value groups: " + counts(s.valueGroups()));
            if (!s.segments().isEmpty() && !segments.equalsIgnoreCase("rfm")) {
                w.println("segments: " + counts(s.segments()));
            }
            w.printf(Locale.ROOT, "mean churn risk %.3f; churnSource: %s%n", s.meanChurn(), churnText(s));
            w.printf(Locale.ROOT, "scored %,d users (%,d events) in %.2f s: %,.0f users/s; wrote %s (%s)%n", s.users(),
                    s.events(), s.seconds(), s.usersPerSecond(), out, outFormat == ScoreWriter.Format.CSV ? "CSV" : "JSON Lines");
        }
        w.flush();
        return 0;
    }

    private static String churnText(ScoreSummary s) {
        return switch (s.churnSource()) {
            case ProfileScorer.CHURN_MODEL -> "model (the model's churn head)";
            case ProfileScorer.CHURN_HEURISTIC -> "heuristic (recency vs. the user's mean gap; this model has no churn head)";
            default -> s.churnSource() + " " + s.churnSources();
        };
    }

    private static final int RFM = -1;
    private static final int NONE = -2;

    /** @return {@link #RFM}, {@link #NONE}, or the k-means K (0 = automatic) */
    static int segmentsOption(String spec) {
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("rfm")) {
            return RFM;
        }
        if (s.equals("none")) {
            return NONE;
        }
        if (s.equals("kmeans")) {
            return 0;
        }
        if (s.startsWith("kmeans:")) {
            int k;
            try {
                k = Integer.parseInt(s.substring("kmeans:".length()));
            } catch (NumberFormatException e) {
                k = -1;
            }
            if (k < 1 || k > 10_000) {
                throw new BadInputException("--segments " + spec + ": expected kmeans:K with K a whole number in 1..10000");
            }
            return k;
        }
        throw new BadInputException("--segments " + spec + ": expected rfm, kmeans:K, kmeans or none");
    }

    private static String counts(Map<String, Long> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(String.format(Locale.ROOT, "%,d", v)));
        return sb.length() == 0 ? "-" : sb.toString();
    }
}
