package org.persona4j.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Segment;
import org.persona4j.core.UserProfile;
import org.persona4j.io.DataFormat;
import org.persona4j.io.Dataset;
import org.persona4j.io.Datasets;
import org.persona4j.io.ReadOptions;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.segment.BehaviourVectors;
import org.persona4j.segment.KMeansConfig;
import org.persona4j.segment.KMeansSegmenter;
import org.persona4j.segment.ProfileVector;
import org.persona4j.segment.RfmSegmenter;
import org.persona4j.segment.RfmValues;
import org.persona4j.segment.SegmentDescriber;
import org.persona4j.segment.SegmentDrift;
import org.persona4j.segment.SegmentReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j segment}: reads a data set, builds one vector per user (with {@code --model} the
 * profile model's long-term user embedding, the mean of its per-event embeddings over the user's
 * history, or with {@code --embedding last-state} the embedding of the last state; without a model
 * the behaviour-vector fallback: category, brand and price band histograms), clusters the users with k-means (k given or chosen by silhouette), fits RFM
 * value groups, and writes {@code segments.csv} ({@code user_id,segment,value_group}) and
 * {@code report.html} with PNG charts into {@code --out}.
 */
@Command(name = "segment", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Segment users (k-means behaviour segments + RFM value groups); write segments.csv and report.html.")
public final class SegmentCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, description = "The data file (.gz allowed) or its folder.")
    Path input;

    @Option(names = "--format", defaultValue = "events-csv",
            description = "Input format: events-csv, taobao, retailrocket, movielens, recbole, s3rec, sessions (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", required = true, description = "Output folder (created if missing).")
    Path out;

    @Option(names = "--model", description = "A DeepProfileModel artifact (.zip): cluster its user embeddings. "
            + "Without it: the behaviour-vector fallback.")
    Path model;

    @Option(names = "--embedding", paramLabel = "long-term|last-state",
            description = "With --model, which user embedding to cluster: long-term (default; the mean of the per-event "
                    + "embeddings over the user's history, follows the persona) or last-state (the embedding after the "
                    + "last event, follows the current session).")
    String embedding;

    @Option(names = "--k", defaultValue = "0", description = "Number of segments; 0 = choose by silhouette in [--k-min, --k-max] (default automatic).")
    int k;

    @Option(names = "--k-min", defaultValue = "2", description = "Smallest automatic k (default ${DEFAULT-VALUE}).")
    int kMin;

    @Option(names = "--k-max", defaultValue = "12", description = "Largest automatic k (default ${DEFAULT-VALUE}).")
    int kMax;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lenient", description = "Skip and count bad records instead of failing on the first.")
    boolean lenient;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // charts are rendered off-screen
        }
        PrintWriter w = spec.commandLine().getOut();
        boolean lastState = false;
        if (embedding != null) {
            if (model == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--embedding " + embedding + " needs --model (without a model the behaviour vectors are clustered)");
            }
            switch (embedding.toLowerCase(Locale.ROOT)) {
                case "long-term" -> lastState = false;
                case "last-state" -> lastState = true;
                default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--embedding: expected long-term or last-state, was '" + embedding + "'");
            }
        }
        DataFormat f = DataFormat.parse(format);
        KMeansConfig cfg = KMeansConfig.defaults(seed).withK(k).withKRange(kMin, kMax); // bad --k values fail before any reading
        Args.requireExisting("--input", input);
        Args.requireFile("--model", model);
        ReadOptions o = (lenient ? ReadOptions.lenient() : ReadOptions.strict()).withProgress(new ConsoleProgress(quiet));
        Dataset ds = Datasets.load(f, input, o);
        w.printf(Locale.ROOT, "read %,d events from %s%n", ds.events().size(), input);
        Map<String, List<BehaviorEvent>> byUser = new LinkedHashMap<>();
        long asOf = 0;
        for (BehaviorEvent e : ds.events()) {
            byUser.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e);
            asOf = Math.max(asOf, e.timestampMillis());
        }
        List<String> ids = new ArrayList<>(byUser.keySet());
        float[][] x = new float[ids.size()][];
        Map<String, UserProfile> profiles = new LinkedHashMap<>();
        ProfileVector vector;
        String vectorLabel;
        if (model != null) {
            try (DeepProfileModel m = DeepProfileModel.load(model)) {
                for (int i = 0; i < ids.size(); i++) {
                    UserProfile p = m.profile(ids.get(i), byUser.get(ids.get(i)));
                    profiles.put(ids.get(i), p);
                    x[i] = lastState ? p.embedding() : p.longTermEmbedding();
                }
                vectorLabel = lastState
                        ? "last-state user embeddings of model " + m.version() + " (" + m.embeddingSize() + " dims)"
                        : "long-term user embeddings (mean over each history) of model " + m.version() + " ("
                                + m.embeddingSize() + " dims)";
            }
            vector = lastState ? ProfileVector.embedding() : ProfileVector.longTermEmbedding();
        } else {
            BehaviourVectors bv = BehaviourVectors.fit(ds.events(), ds.catalog(), 30);
            Map<String, float[]> v = bv.vectors(ds.events(), ds.catalog());
            for (int i = 0; i < ids.size(); i++) {
                x[i] = v.get(ids.get(i));
            }
            vector = bv.asProfileVector();
            vectorLabel = "behaviour vectors (fallback: category/brand/price-band histograms, " + bv.dimension() + " dims)";
        }
        w.println("vectors: " + vectorLabel);
        long t0 = System.nanoTime();
        KMeansSegmenter km = KMeansSegmenter.fit("behaviour", cfg, ids, x, vector);
        double secs = (System.nanoTime() - t0) / 1e9;
        int[] lab = km.trainingLabels();
        Map<String, String> segOf = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            segOf.put(ids.get(i), KMeansSegmenter.segmentId(lab[i]));
        }
        List<Segment> described = SegmentDescriber.describe(km.segments(), segOf, ds.events(), ds.catalog(), profiles);
        km = km.withSegments(described);
        Map<String, RfmValues> rfmValues = RfmSegmenter.aggregate(ds.events(), ds.catalog(), asOf);
        RfmSegmenter rfm = rfmValues.values().stream().anyMatch(RfmValues::hasPurchases)
                ? RfmSegmenter.fit("value", rfmValues) : null;
        Files.createDirectories(out);
        Path csv = out.resolve("segments.csv");
        try (BufferedWriter bw = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            bw.write("user_id,segment,value_group\n");
            for (String u : ids) {
                String vg = rfm == null ? "" : rfm.group(rfmValues.get(u));
                bw.write(csvField(u) + "," + segOf.get(u) + "," + vg + "\n");
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        SegmentReport.Builder rb = SegmentReport.builder("Segments of " + ds.name()).segments(described, segOf)
                .events(ds.events(), ds.catalog()).vectors(ids, x, vectorLabel).seed(seed)
                .note(String.format(Locale.ROOT, "%,d users, %,d events; %s.", ids.size(), ds.events().size(), vectorLabel))
                .note(k == 0 ? "k = " + km.k() + " chosen by mean silhouette on a sample; tried " + fmt(km.silhouetteByK())
                        : "k = " + km.k() + " (given).")
                .drift(SegmentDrift.of(km, segOf.values()));
        if (rfm != null) {
            rb.rfm(rfm, rfmValues);
        }
        Path html = rb.build().write(out);
        w.printf(Locale.ROOT, "k-means: k = %d, %d iterations, inertia %.4g, fit %.2f s%s%n", km.k(), km.iterations(),
                km.inertia(), secs, k == 0 ? " (silhouette by k: " + fmt(km.silhouetteByK()) + ")" : "");
        w.printf(Locale.ROOT, "%-10s %-48s %8s %7s %s%n", "segment", "name", "users", "share", "top categories");
        for (Segment s : described) {
            w.printf(Locale.ROOT, "%-10s %-48s %,8d %6.1f%% %s%n", s.id(), s.name(), s.size(), 100 * s.share(),
                    s.summary().get("top categories"));
        }
        if (rfm != null) {
            w.println("value groups (RFM):");
            for (Segment s : rfm.segments()) {
                w.printf(Locale.ROOT, "  %-28s %,8d %6.1f%%  rule: %s%n", s.name(), s.size(), 100 * s.share(), s.summary().get("rule"));
            }
        }
        w.println("wrote " + csv + " and " + html);
        w.flush();
        return 0;
    }

    static String fmt(Map<Integer, Double> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((kk, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(kk).append(": ")
                .append(String.format(Locale.ROOT, "%.3f", v)));
        return sb.toString();
    }

    static String csvField(String s) {
        return s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
