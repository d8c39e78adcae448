package org.persona4j.features.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.FeatureSchema;
import org.persona4j.core.Item;
import org.persona4j.core.ProgressListener;
import org.persona4j.core.UserAttributes;
import org.persona4j.features.aggregate.AggregateSnapshot;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.aggregate.PriceQuantiles;
import org.persona4j.features.aggregate.UserAggregates;
import org.persona4j.features.encode.IdVocabulary;
import org.persona4j.features.encode.NumericNormalizer;
import org.persona4j.features.tags.ProfileTagger;
import org.persona4j.features.text.HashingTfIdf;
import org.persona4j.features.text.Tokenizer;

/**
 * Fits a {@link FittedFeaturePipeline} on training data only: price quantiles (from catalogue
 * prices, else from event prices), category vocabularies with a minimum count, attribute
 * vocabularies, TF-IDF weights of users' search queries, one normaliser per numeric feature, and
 * the tag thresholds. Deterministic: the same data gives the same file. Instances are immutable
 * and may be shared.
 */
public final class FeaturePipeline {
    private final FeaturePipelineConfig config;

    /** @param config the settings */
    public FeaturePipeline(FeaturePipelineConfig config) {
        if (config == null) {
            throw new BadInputException("feature pipeline: 'config' is required");
        }
        this.config = config;
    }

    /** @return the settings */
    public FeaturePipelineConfig config() {
        return config;
    }

    /**
     * Same as {@link #fit(List, Catalog, Map, ProgressListener)} without progress.
     *
     * @param events training events, any order; null elements are skipped
     * @param catalog the catalogue
     * @param users declared attributes by user id (may be empty or null)
     * @return the fitted pipeline
     */
    public FittedFeaturePipeline fit(List<BehaviorEvent> events, Catalog catalog, Map<String, UserAttributes> users) {
        return fit(events, catalog, users, ProgressListener.NONE);
    }

    /**
     * @param events training events, any order; null elements are skipped
     * @param catalog the catalogue, not null
     * @param users declared attributes by user id (may be empty or null)
     * @param progress progress listener ("fit features", counted in events)
     * @return the fitted pipeline
     * @throws BadInputException when events or catalogue are null or there is no event
     */
    public FittedFeaturePipeline fit(List<BehaviorEvent> events, Catalog catalog, Map<String, UserAttributes> users,
                                     ProgressListener progress) {
        if (events == null || catalog == null) {
            throw new BadInputException("feature pipeline fit: 'events' and 'catalog' are required");
        }
        Map<String, UserAttributes> attrs = users == null ? Map.of() : users;
        long start = System.nanoTime();
        PriceQuantiles prices = PriceQuantiles.fit(catalog);
        if (prices.table().isEmpty()) {
            prices = pricesFromEvents(events, catalog);
        }
        ItemResolver resolver = new ItemResolver(catalog, prices);
        Map<String, UserAggregates> aggs = new LinkedHashMap<>();
        Map<String, StringBuilder> queries = new HashMap<>();
        long[] topCounts = new long[16];
        long[] leafCounts = new long[16];
        long ref = -1;
        long n = 0;
        for (BehaviorEvent e : events) {
            if (e == null) {
                continue;
            }
            n++;
            ref = Math.max(ref, e.timestampMillis());
            aggs.computeIfAbsent(e.userId(), u -> new UserAggregates(u, config.aggregates())).update(e, resolver);
            ItemResolver.ItemInfo info = resolver.resolve(e.itemId());
            if (info != null && info.topCategory() >= 0) {
                topCounts = bump(topCounts, info.topCategory());
                leafCounts = bump(leafCounts, info.leafCategory());
            }
            if (e.type() == EventType.SEARCH && e.query().isPresent()) {
                queries.computeIfAbsent(e.userId(), u -> new StringBuilder()).append(e.query().get()).append('\n');
            }
            if ((n & 0xFFFF) == 0) {
                progress.onProgress(new org.persona4j.core.Progress("fit features", n, events.size(), "events",
                        System.nanoTime() - start, Map.of()));
            }
        }
        if (n == 0) {
            throw new BadInputException("feature pipeline fit: no training events");
        }
        IdVocabulary.Counter top = IdVocabulary.counter();
        IdVocabulary.Counter leaf = IdVocabulary.counter();
        for (int i = 0; i < topCounts.length; i++) {
            if (topCounts[i] > 0) {
                top.add(resolver.topCategories().name(i), topCounts[i]);
            }
        }
        for (int i = 0; i < leafCounts.length; i++) {
            if (leafCounts[i] > 0) {
                leaf.add(resolver.leafCategories().name(i), leafCounts[i]);
            }
        }
        IdVocabulary topVocab = top.build(config.categoryMinCount(), config.maxTopCategories());
        IdVocabulary leafVocab = leaf.build(config.categoryMinCount(), config.maxLeafCategories());
        IdVocabulary.Counter g = IdVocabulary.counter();
        IdVocabulary.Counter o = IdVocabulary.counter();
        IdVocabulary.Counter r = IdVocabulary.counter();
        for (String u : aggs.keySet()) {
            UserAttributes a = attrs.get(u);
            if (a != null) {
                g.add(a.gender());
                o.add(a.occupation());
                r.add(a.region());
            }
        }
        List<String> docs = new ArrayList<>();
        for (String u : aggs.keySet()) {
            StringBuilder q = queries.get(u);
            docs.add(q == null ? "" : q.toString());
        }
        HashingTfIdf tfidf = HashingTfIdf.fit(Tokenizer.standard(), config.textBuckets(), docs);

        List<AggregateSnapshot> snaps = new ArrayList<>(aggs.size());
        int k = Numerics.NAMES.size();
        double[][] cols = new double[k][aggs.size()];
        int row = 0;
        for (UserAggregates ua : aggs.values()) {
            AggregateSnapshot s = ua.snapshot(ref, resolver);
            snaps.add(s);
            double[] raw = Numerics.raw(s);
            for (int j = 0; j < k; j++) {
                cols[j][row] = raw[j];
            }
            row++;
        }
        List<NumericNormalizer> norms = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            norms.add(NumericNormalizer.fit(Numerics.KINDS.get(j), cols[j]));
        }
        ProfileTagger tagger = ProfileTagger.fit(snaps);
        FittedFeaturePipeline.State state = new FittedFeaturePipeline.State(config, ref, prices, topVocab, leafVocab,
                g.build(config.attributeMinCount(), config.maxAttributeValues()),
                o.build(config.attributeMinCount(), config.maxAttributeValues()),
                r.build(config.attributeMinCount(), config.maxAttributeValues()),
                tfidf.idfWeights(), tfidf.documents(), norms, tagger.thresholds());

        // the schema's numeric bounds are the normalised training ranges
        List<FeatureSchema.Field> numeric = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double v : cols[j]) {
                double y = (float) norms.get(j).apply(v);
                lo = Math.min(lo, y);
                hi = Math.max(hi, y);
            }
            numeric.add(new FeatureSchema.Field(Numerics.NAMES.get(j), FeatureSchema.Type.NUMERIC, lo, hi, 0));
        }
        FittedFeaturePipeline probe = FittedFeaturePipeline.unchecked(state, catalog);
        List<String> names = probe.fieldNames();
        List<FeatureSchema.Field> all = new ArrayList<>(numeric);
        for (int i = k; i < names.size(); i++) {
            all.add(new FeatureSchema.Field(names.get(i), FeatureSchema.Type.NUMERIC, 0, 0, 0));
        }
        FeatureSchema schema = probe.impliedSchema(new FeatureSchema(all));
        progress.onProgress(new org.persona4j.core.Progress("fit features", n, n, "events", System.nanoTime() - start, Map.of()));
        return new FittedFeaturePipeline(state, schema, catalog);
    }

    private static long[] bump(long[] counts, int id) {
        long[] c = id < counts.length ? counts : java.util.Arrays.copyOf(counts, Math.max(id + 1, counts.length * 2));
        c[id]++;
        return c;
    }

    private static PriceQuantiles pricesFromEvents(List<BehaviorEvent> events, Catalog catalog) {
        Map<String, List<Double>> samples = new HashMap<>();
        for (BehaviorEvent e : events) {
            if (e == null || Double.isNaN(e.priceOrNaN())) {
                continue;
            }
            samples.computeIfAbsent(PriceQuantiles.ALL, x -> new ArrayList<>()).add(e.priceOrNaN());
            String top = e.itemId() == null ? null : catalog.item(e.itemId()).map(Item::topCategory).orElse(null);
            if (top != null) {
                samples.computeIfAbsent(top, x -> new ArrayList<>()).add(e.priceOrNaN());
            }
        }
        return PriceQuantiles.fromSamples(samples);
    }
}
