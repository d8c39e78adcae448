package org.persona4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.Reason;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
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
import org.persona4j.recommend.BlendedRecommender;
import org.persona4j.recommend.DefaultRecommender;
import org.persona4j.recommend.ItemKnnRecommender;
import org.persona4j.recommend.PopularityRecommender;
import org.persona4j.segment.AdjustedRandIndex;
import org.persona4j.segment.score.ChurnHeuristic;
import org.persona4j.segment.score.ProfileScorer;
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
 * shop with planted personas and outcomes, read it back with the strict reader, print its
 * statistics, train the deep profile model on 80% of the shoppers, show the profiles of held-out
 * shoppers and check the purchase and churn heads against the planted truth (ROC AUC), segment the
 * shoppers (on behaviour vectors, then on the model's long-term user embeddings, each compared with
 * the planted personas), and serve them through the engine.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Run the SDK end to end on a generated shop: generate, read back, describe, train, profile held-out "
            + "shoppers and check the purchase and churn heads against the planted truth (AUC), segment, recommend, explain.")
public final class QuickstartCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "persona4j-quickstart", description = "Working folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--users", defaultValue = "500", description = "Shoppers to simulate (default ${DEFAULT-VALUE}, ~48k events).")
    int users;

    @Option(names = "--items", defaultValue = "1000", description = "Catalogue size (default ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", defaultValue = "6", description = "Training epochs of the profile model (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    private static final long DAY = 86_400_000L;
    /** Days at the end of the shop whose purchases the purchase head is checked against. */
    private static final int HORIZON_DAYS = 7;
    private static final int HELD_OUT_PERCENT = 20;
    private static final String CHURN = ProfileScorer.CHURN;

    private PrintWriter w;
    private long t0;
    private int step;

    @Override
    public Integer call() throws IOException {
        w = spec.commandLine().getOut();
        t0 = System.nanoTime();
        Path shopDir = out.resolve("shop");

        header("Generate a synthetic shop with planted personas and outcomes (lapses, persona purchase rates)");
        ShopConfig config = ShopConfig.builder().users(users).items(items).seed(seed).plantedOutcomes().build();
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

        Map<String, List<BehaviorEvent>> byUser = new LinkedHashMap<>();
        for (BehaviorEvent e : data.events()) {
            byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
        }
        Set<String> heldOut = heldOut(byUser.keySet());
        List<BehaviorEvent> trainEvents = data.events().stream().filter(e -> !heldOut.contains(e.userId())).toList();

        header("Train the deep profile model (item/type/category/gap embeddings -> LSTM -> heads)");
        w.printf(Locale.ROOT, "%,d shoppers held out (%d%%): the model trains on the other %,d shoppers' %,d events%n",
                heldOut.size(), HELD_OUT_PERCENT, byUser.size() - heldOut.size(), trainEvents.size());
        // a budget sized for about a minute of training on two cores: small batches and a high learning rate give many
        // Adam steps; the raised category-interest weight makes the hidden state carry the shopper's category mix; the
        // purchase head at the training default weight (5), and a 7-day churn horizon, since 28 days of data leave no
        // observed 30-day horizon
        ProfileModelConfig mc = ProfileModelConfig.builder().itemEmbedding(32).projection(32).hidden(64)
                .batchSize(32).learningRate(0.01).dropout(0).lossWeights(1.0, 5.0, 2.0).churnHorizonDays(7)
                .epochs(epochs).seed(seed).build();
        w.printf(Locale.ROOT, "model: item embedding 32, LSTM 64, projection 32; %d epochs, batch 32, lr 0.01; heads: next item, "
                + "category (weight 2), purchase within 7 days (weight 5), churn within 7 days (weight %s)%n", epochs,
                mc.churnWeight());
        Path modelFile = out.resolve("profile-model.zip");
        try (DeepProfileModel model = new ProfileTrainer(mc)
                .threads(2)
                .listener(trainingListener())
                .dataDescription("quickstart shop, seed " + seed)
                .fit(trainEvents, data.catalog())) {
            model.save(modelFile);
            w.printf(Locale.ROOT, "model %s saved to %s (%,d bytes)%n", model.version(), modelFile, size(modelFile));

            Map<String, String> planted = readPersonas(shopDir);
            Map<String, String[]> truth = readTruth(shopDir);
            long cut = config.start().toEpochMilli() + (config.days() - HORIZON_DAYS) * DAY;
            header("Profiles of held-out shoppers (the model never saw them), from their events before "
                    + Instant.ofEpochMilli(cut));
            checkHeads(model, byUser, heldOut, planted, truth, cut);

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

    /**
     * Profiles the held-out shoppers from their events before {@code cut}, shows a few, and prints
     * the AUC of the purchase and churn heads against the planted truth (with simple baselines).
     */
    private void checkHeads(DeepProfileModel model, Map<String, List<BehaviorEvent>> byUser, Set<String> heldOut,
                            Map<String, String> planted, Map<String, String[]> truth, long cut) {
        List<String> ids = new ArrayList<>();
        List<UserProfile> profiles = new ArrayList<>();
        List<double[]> baselines = new ArrayList<>(); // {past purchases per day, recency heuristic churn}
        List<boolean[]> labels = new ArrayList<>(); // {bought after the cut, high-checkout persona, lapsed}
        double medianCheckout = medianCheckout(truth);
        ChurnHeuristic heuristic = ChurnHeuristic.defaults();
        for (String u : heldOut) {
            List<BehaviorEvent> all = byUser.get(u);
            List<BehaviorEvent> before = all.stream().filter(e -> e.timestampMillis() < cut).toList();
            String[] t = truth.get(u);
            if (before.isEmpty() || t == null || t[2].isEmpty()) {
                continue; // no history to profile, or a bot
            }
            ids.add(u);
            profiles.add(model.profile(u, before, cut)); // as of the cut: the quiet time since the last event counts
            long first = before.get(0).timestampMillis();
            long last = before.get(before.size() - 1).timestampMillis();
            long buys = before.stream().filter(e -> e.type() == EventType.PURCHASE).count();
            double gapDays = before.size() < 2 ? Double.NaN : (last - first) / (before.size() - 1.0) / DAY;
            baselines.add(new double[] {buys / Math.max(1.0, (cut - first) / (double) DAY),
                heuristic.churn((cut - last) / (double) DAY, gapDays)});
            boolean bought = all.stream().anyMatch(e -> e.timestampMillis() >= cut && e.type() == EventType.PURCHASE);
            labels.add(new boolean[] {bought, Double.parseDouble(t[2]) > medianCheckout, Boolean.parseBoolean(t[4])});
        }
        // a few of each kind: shoppers who lapsed and shoppers still active
        int shownLapsed = 0;
        int shownActive = 0;
        for (int i = 0; i < ids.size() && shownLapsed + shownActive < 6; i++) {
            boolean lapsed = labels.get(i)[2];
            if (lapsed ? shownLapsed >= 2 : shownActive >= 4) {
                continue;
            }
            if (lapsed) {
                shownLapsed++;
            } else {
                shownActive++;
            }
            UserProfile p = profiles.get(i);
            String[] t = truth.get(ids.get(i));
            w.printf(Locale.ROOT, "%s (%d events; planted persona %s, checkout rate %s, %s): purchase propensity %.3f, churn %s,"
                    + " top interests %s%n", p.userId(), p.eventCount(), planted.getOrDefault(p.userId(), "?"), t[2],
                    lapsed ? "lapsed " + Instant.ofEpochMilli(Long.parseLong(t[5])).toString().substring(0, 10) : "active",
                    p.propensities().getOrDefault("purchase", Double.NaN), churnText(p), top(p.interests(), 3));
        }

        header("Check the heads against the planted truth (AUC on the held-out shoppers)");
        int n = ids.size();
        double[] purchase = new double[n];
        double[] churn = new double[n];
        double[] pastRate = new double[n];
        double[] recency = new double[n];
        boolean[] bought = new boolean[n];
        boolean[] highRate = new boolean[n];
        boolean[] lapsed = new boolean[n];
        boolean hasChurn = n > 0;
        for (int i = 0; i < n; i++) {
            Map<String, Double> prop = profiles.get(i).propensities();
            purchase[i] = prop.getOrDefault("purchase", 0.0);
            Double c = prop.get(CHURN);
            hasChurn &= c != null;
            churn[i] = c == null ? 0 : c;
            pastRate[i] = baselines.get(i)[0];
            recency[i] = baselines.get(i)[1];
            bought[i] = labels.get(i)[0];
            highRate[i] = labels.get(i)[1];
            lapsed[i] = labels.get(i)[2];
        }
        w.printf(Locale.ROOT, "%d held-out shoppers profiled from their events before the last %d days: %d bought in those days,"
                + " %d belong to a persona with a checkout rate above the median (%.3f), %d lapsed%n", n, HORIZON_DAYS,
                count(bought), count(highRate), medianCheckout, count(lapsed));
        w.printf(Locale.ROOT, "purchase head vs purchases in the last %d days: AUC %s (baseline, past purchases per day: %s)%n",
                HORIZON_DAYS, auc(purchase, bought), auc(pastRate, bought));
        w.printf(Locale.ROOT, "purchase head vs high-checkout personas: AUC %s (baseline: %s)%n", auc(purchase, highRate),
                auc(pastRate, highRate));
        w.printf(Locale.ROOT, "churn head vs lapsed shoppers: AUC %s (baseline, ChurnHeuristic on the days since the last"
                + " event: %s)%n", hasChurn ? auc(churn, lapsed) : "n/a (this model has no churn head)", auc(recency, lapsed));
    }

    private static String churnText(UserProfile p) {
        Double c = p.propensities().get(CHURN);
        return c == null ? "n/a" : String.format(Locale.ROOT, "%.3f", c);
    }

    private static String auc(double[] scores, boolean[] labels) {
        double a = RocAuc.of(scores, labels);
        return Double.isNaN(a) ? "n/a (one class only)" : String.format(Locale.ROOT, "%.3f", a);
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
    }

    private static double medianCheckout(Map<String, String[]> truth) {
        double[] rates = truth.values().stream().filter(t -> !t[2].isEmpty()).map(t -> t[1] + "," + t[2]).distinct()
                .mapToDouble(s -> Double.parseDouble(s.substring(s.indexOf(',') + 1))).sorted().toArray();
        if (rates.length == 0) {
            return Double.NaN;
        }
        return rates.length % 2 == 1 ? rates[rates.length / 2] : (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2;
    }

    /** @return the shoppers held out of training: {@value #HELD_OUT_PERCENT}% of them, drawn with the seed */
    private Set<String> heldOut(Set<String> userIds) {
        List<String> ids = new ArrayList<>(userIds);
        Collections.sort(ids);
        Collections.shuffle(ids, new Random(seed));
        return new TreeSet<>(ids.subList(0, (int) Math.round(ids.size() * HELD_OUT_PERCENT / 100.0)));
    }

    /** @return the rows of truth.csv by user id: {user, persona, checkout rate, lapse rate, lapsed, lapse time} */
    private static Map<String, String[]> readTruth(Path shopDir) {
        Map<String, String[]> out = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(shopDir.resolve("truth.csv"), StandardCharsets.UTF_8)) {
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split(",", -1);
                if (f.length == 6) {
                    out.put(f[0], f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private void serve(DeepProfileModel model, Dataset data, Map<String, List<BehaviorEvent>> byUser) {
        InMemoryCatalog catalog = new InMemoryCatalog(data.catalog().items());
        ItemKnnRecommender knn = ItemKnnRecommender.fit(data.events(), catalog, ItemKnnRecommender.Config.defaults(), 2);
        PopularityRecommender pop = PopularityRecommender.global(data.events(), catalog);
        // the SDK's default recommender: the model, item-kNN and session-kNN with the blend learned at training
        try (BlendedRecommender served = DefaultRecommender.builder(model, model.itemIds(), data.events(), catalog)
                .manifest(model.manifestJson()).threads(2).build()) {
            w.println("recommender: " + served.blend());
            long asOf = data.events().stream().mapToLong(BehaviorEvent::timestampMillis).max().orElse(0);
            try (PersonaEngine engine = PersonaEngine.builder(model).catalog(catalog).recommender(served).fallback(pop)
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
                    w.println("explain " + clip(catalog.item(ex.itemId()).map(Item::title).orElse(ex.itemId()), 55) + ": "
                            + ex.reasons().stream().map(Reason::text).toList());
                }
                // a search result list as a search engine might return it: three popular items from categories
                // this shopper ignores, then three from the shopper's favourite category
                List<String> candidates = searchResults(catalog, pop, p);
                List<Recommendation> reranked = engine.rerank(user, "gift", candidates);
                w.println("re-rank of a search result list for \"gift\" (before -> after):");
                for (int i = 0; i < reranked.size(); i++) {
                    Recommendation r = reranked.get(i);
                    int before = candidates.indexOf(r.itemId());
                    w.printf(Locale.ROOT, "  %d. %-45s (was %d) %s%n", i + 1,
                            clip(catalog.item(r.itemId()).map(Item::title).orElse(r.itemId()), 45), before + 1,
                            r.reasons().isEmpty() ? "" : r.reasons().get(0).text());
                }
                boolean changed = !reranked.stream().map(Recommendation::itemId).toList().equals(candidates);
                w.println(changed ? "the profile moved the shopper's own category up" : "the profile left the order as it was");
            }
        }
    }

    /** Three popular items outside the shopper's top category, then three inside it (or the first six by id). */
    static List<String> searchResults(InMemoryCatalog catalog, PopularityRecommender pop, UserProfile p) {
        String top = p.interests().entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        List<String> popular = pop.recommend(RecommendationRequest.builder(Math.min(catalog.size(), 500)).build()).stream()
                .map(Recommendation::itemId).toList();
        List<String> outside = new ArrayList<>();
        List<String> inside = new ArrayList<>();
        for (String id : popular) {
            boolean in = top != null && catalog.item(id).map(it -> it.categoryPath().contains(top)
                    || String.join(" > ", it.categoryPath()).equals(top)
                    || String.join(" > ", it.categoryPath()).startsWith(top + " > ")).orElse(false);
            if (in && inside.size() < 3) {
                inside.add(id);
            } else if (!in && outside.size() < 3) {
                outside.add(id);
            }
        }
        if (inside.isEmpty()) {
            return catalog.items().stream().map(Item::id).sorted().limit(6).toList();
        }
        List<String> out = new ArrayList<>(outside);
        out.addAll(inside);
        return out;
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
