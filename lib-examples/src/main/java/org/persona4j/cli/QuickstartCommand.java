package org.persona4j.cli;

import java.io.BufferedReader;
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
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.Reason;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.Recommender;
import org.persona4j.core.Tag;
import org.persona4j.core.UserProfile;
import org.persona4j.engine.ItemSimilarity;
import org.persona4j.engine.PersonaEngine;
import org.persona4j.engine.ProfileReranker;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.aggregate.PriceQuantiles;
import org.persona4j.features.tags.ProfileTagger;
import org.persona4j.features.tags.TagThresholds;
import org.persona4j.io.DataFormat;
import org.persona4j.io.Dataset;
import org.persona4j.io.DatasetStats;
import org.persona4j.io.Datasets;
import org.persona4j.io.ReadOptions;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.train.EpochSummary;
import org.persona4j.models.train.ProfileModelConfig;
import org.persona4j.models.train.ProfileTrainer;
import org.persona4j.models.train.TrainingListener;
import org.persona4j.models.train.TrainingProgress;
import org.persona4j.recommend.EmbeddingRetrievalRecommender;
import org.persona4j.recommend.HybridRecommender;
import org.persona4j.recommend.ItemKnnRecommender;
import org.persona4j.recommend.PopularityRecommender;
import org.persona4j.segment.AdjustedRandIndex;
import org.persona4j.synth.GenerationSummary;
import org.persona4j.synth.ShopConfig;
import org.persona4j.synth.ShopGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code persona4j quickstart}: the whole SDK on built-in synthetic data, step by step — generate a
 * shop with planted personas, read it back with the strict reader, print its statistics, train the
 * deep profile model, show profiles, segment the shoppers (on behaviour vectors, then on the model's
 * long-term user embeddings, each compared with the planted personas), and serve them through the
 * engine.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Run the SDK end to end on a generated shop: generate, read back, describe, train, profile, segment, recommend, explain.")
public final class QuickstartCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "persona4j-quickstart", description = "Working folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--users", defaultValue = "500", description = "Shoppers to simulate (default ${DEFAULT-VALUE}, ~54k events).")
    int users;

    @Option(names = "--items", defaultValue = "1000", description = "Catalogue size (default ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", defaultValue = "6", description = "Training epochs of the profile model (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    private PrintWriter w;
    private long t0;
    private int step;

    @Override
    public Integer call() throws IOException {
        w = spec.commandLine().getOut();
        t0 = System.nanoTime();
        Path shopDir = out.resolve("shop");

        header("Generate a synthetic shop with planted personas");
        ShopConfig config = ShopConfig.builder().users(users).items(items).seed(seed).build();
        GenerationSummary summary = new ShopGenerator(config).writeTo(shopDir, new ConsoleProgress(quiet));
        w.print(summary);

        header("Read it back (strict events-csv reader, items.csv and users.csv side files)");
        long r0 = System.nanoTime();
        Dataset data = Datasets.load(DataFormat.EVENTS_CSV, shopDir.resolve("events.csv"), ReadOptions.strict());
        double secs = (System.nanoTime() - r0) / 1e9;
        w.printf(Locale.ROOT, "read %,d events, %,d catalogue items, %,d user records in %.2f s%n",
                data.events().size(), data.catalog().size(), data.users().size(), secs);
        w.println(data.report().summary());
        w.println(DatasetStats.of(data));

        header("Train the deep profile model (item/type/category/gap embeddings -> LSTM -> heads)");
        // a budget sized for about a minute of training on two cores: small batches and a high learning rate give many
        // Adam steps; the raised category-interest weight makes the hidden state carry the shopper's category mix
        ProfileModelConfig mc = ProfileModelConfig.builder().itemEmbedding(32).projection(32).hidden(64)
                .batchSize(32).learningRate(0.01).dropout(0).lossWeights(1.0, 0.2, 2.0)
                .epochs(epochs).seed(seed).build();
        w.println(mc);
        Path modelFile = out.resolve("profile-model.zip");
        try (DeepProfileModel model = new ProfileTrainer(mc)
                .threads(2)
                .listener(trainingListener())
                .dataDescription("quickstart shop, seed " + seed)
                .fit(data.events(), data.catalog())) {
            model.save(modelFile);
            w.printf(Locale.ROOT, "model %s saved to %s (%,d bytes)%n", model.version(), modelFile, size(modelFile));

            header("Profiles: embedding, interests and propensity of a few shoppers");
            Map<String, List<BehaviorEvent>> byUser = new LinkedHashMap<>();
            for (BehaviorEvent e : data.events()) {
                byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
            }
            Map<String, String> planted = readPersonas(shopDir);
            int shown = 0;
            for (Map.Entry<String, List<BehaviorEvent>> u : byUser.entrySet()) {
                if (shown++ == 3) {
                    break;
                }
                UserProfile p = model.profile(u.getKey(), u.getValue());
                w.printf(Locale.ROOT, "%s (%d events, planted persona %s): purchase propensity %.2f, top interests %s%n",
                        p.userId(), p.eventCount(), planted.getOrDefault(p.userId(), "?"),
                        p.propensities().getOrDefault("purchase", 0.0), top(p.interests(), 3));
            }

            header("Segment the shoppers: k-means on behaviour vectors + RFM value groups, with a report");
            Path segDir = out.resolve("segments");
            CommandLine seg = Main.commandLine();
            seg.setOut(w);
            int rc = seg.execute("segment", "--format", "events-csv", "--input", shopDir.resolve("events.csv").toString(),
                    "--out", segDir.toString(), "--seed", Long.toString(seed), "--quiet");
            if (rc != 0) {
                return rc;
            }
            double behaviourAri = ariWithPlanted(segDir.resolve("segments.csv"), planted);
            w.printf(Locale.ROOT, "agreement of segments with the planted personas: adjusted Rand index %.3f%n", behaviourAri);

            header("Segment on the model: k-means on its long-term user embeddings (mean over each history)");
            Path modelSegDir = out.resolve("segments-model");
            rc = seg.execute("segment", "--format", "events-csv", "--input", shopDir.resolve("events.csv").toString(),
                    "--model", modelFile.toString(), "--out", modelSegDir.toString(), "--seed", Long.toString(seed), "--quiet");
            if (rc != 0) {
                return rc;
            }
            double modelAri = ariWithPlanted(modelSegDir.resolve("segments.csv"), planted);
            w.printf(Locale.ROOT, "agreement with the planted personas (adjusted Rand index): behaviour vectors %.3f,"
                    + " model long-term embeddings %.3f%n", behaviourAri, modelAri);

            header("Serve: the engine ingests every event in real time, then recommends, explains and re-ranks");
            serve(model, data, byUser);
        }

        w.printf(Locale.ROOT, "%nquickstart finished in %.1f s; files under %s%n", elapsed(), out.toAbsolutePath());
        w.flush();
        return 0;
    }

    private void serve(DeepProfileModel model, Dataset data, Map<String, List<BehaviorEvent>> byUser) {
        InMemoryCatalog catalog = new InMemoryCatalog(data.catalog().items());
        ItemKnnRecommender knn = ItemKnnRecommender.fit(data.events(), catalog, ItemKnnRecommender.Config.defaults(), 2);
        PopularityRecommender pop = PopularityRecommender.global(data.events(), catalog);
        try (EmbeddingRetrievalRecommender emb = EmbeddingRetrievalRecommender.builder(model, model.itemIds()).catalog(catalog).build()) {
            Recommender hybrid = HybridRecommender.builder("hybrid").add(knn, 0.7).add(emb, 0.3).fallback(pop).build();
            long asOf = data.events().stream().mapToLong(BehaviorEvent::timestampMillis).max().orElse(0);
            try (PersonaEngine engine = PersonaEngine.builder(model).catalog(catalog).recommender(hybrid).fallback(pop)
                    .reranker(ProfileReranker.withDefaults(catalog, ItemSimilarity.ofNeighbours(knn::neighbours)))
                    .aggregates(AggregateConfig.defaults(), new ItemResolver(catalog, PriceQuantiles.fit(catalog)),
                            new ProfileTagger(TagThresholds.defaults(500, 3)))
                    .clock(() -> asOf).closeModels(false).build()) {
                long t0 = System.nanoTime();
                engine.ingestAll(data.events());
                double secs = (System.nanoTime() - t0) / 1e9;
                w.printf(Locale.ROOT, "ingested %,d events for %,d users in %.1f s (%,.0f events/s, model state + aggregates per event)%n",
                        data.events().size(), byUser.size(), secs, data.events().size() / secs);
                String user = byUser.keySet().iterator().next();
                UserProfile p = engine.profile(user);
                w.printf(Locale.ROOT, "profile of %s: %d events, tags: %s%n", user, p.eventCount(),
                        p.tags().stream().map(Tag::text).limit(5).toList());
                List<Recommendation> recs = engine.recommend(RecommendationRequest.builder(5).user(user).build());
                w.println("top 5 for " + user + ":");
                for (Recommendation r : recs) {
                    String title = catalog.item(r.itemId()).map(Item::title).orElse(r.itemId());
                    w.printf(Locale.ROOT, "  %-8s %-55s %.3f  %s%n", r.itemId(), clip(title, 55), r.score(),
                            r.reasons().stream().map(Reason::text).toList());
                }
                if (!recs.isEmpty()) {
                    Recommendation ex = engine.explain(user, recs.get(0).itemId());
                    w.println("explain " + ex.itemId() + ": " + ex.reasons().stream().map(Reason::text).toList());
                }
                List<String> candidates = catalog.items().stream().map(Item::id).sorted().limit(6).toList();
                w.println("re-rank of a search result list " + candidates + ":");
                for (Recommendation r : engine.rerank(user, "gift", candidates)) {
                    w.printf(Locale.ROOT, "  %-8s %s%n", r.itemId(), r.reasons().get(0).text());
                }
            }
        }
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    private static double ariWithPlanted(Path segmentsCsv, Map<String, String> planted) {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(segmentsCsv, StandardCharsets.UTF_8)) {
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split(",", -1);
                String persona = planted.get(f[0]);
                if (persona != null) {
                    a.add(f[1]);
                    b.add(persona);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return AdjustedRandIndex.of(a, b);
    }

    private TrainingListener trainingListener() {
        TrainingListener bar = TrainingListener.progress(new ConsoleProgress(quiet));
        return new TrainingListener() {
            @Override
            public void onBatch(TrainingProgress p) {
                bar.onBatch(p);
            }

            @Override
            public void onEpoch(EpochSummary s) {
                w.printf(Locale.ROOT, "epoch %d: loss %.4f, %.1f s, validation %s%s%n", s.epoch(), s.meanLoss(), s.seconds(),
                        fmt(s.validation()), s.improved() ? " (best so far)" : "");
                w.flush();
            }
        };
    }

    private static String fmt(Map<String, Double> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(String.format(Locale.ROOT, "%.4f", v)));
        return b.toString();
    }

    private static String top(Map<String, Double> m, int n) {
        StringBuilder b = new StringBuilder();
        m.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(n)
                .forEach(e -> b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(String.format(Locale.ROOT, " %.2f", e.getValue())));
        return b.toString();
    }

    private static Map<String, String> readPersonas(Path shopDir) {
        Map<String, String> out = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(shopDir.resolve("personas.csv"), StandardCharsets.UTF_8)) {
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int c = line.indexOf(',');
                if (c > 0) {
                    out.put(line.substring(0, c), line.substring(c + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private void header(String title) {
        step++;
        w.printf(Locale.ROOT, "%n== %d. %s  [%.1f s]%n", step, title, elapsed());
        w.flush();
    }

    private double elapsed() {
        return (System.nanoTime() - t0) / 1e9;
    }
}
