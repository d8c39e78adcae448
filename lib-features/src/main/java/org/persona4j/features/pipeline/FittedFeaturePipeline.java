package org.persona4j.features.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.FeatureExtractor;
import org.persona4j.core.FeatureSchema;
import org.persona4j.core.ModelFormatException;
import org.persona4j.core.SchemaMismatchException;
import org.persona4j.core.Tag;
import org.persona4j.core.UserAttributes;
import org.persona4j.features.aggregate.Affinity;
import org.persona4j.features.aggregate.AggregateSnapshot;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.aggregate.PriceQuantiles;
import org.persona4j.features.aggregate.UserAggregates;
import org.persona4j.features.encode.AgeBands;
import org.persona4j.features.encode.FeatureHasher;
import org.persona4j.features.encode.IdVocabulary;
import org.persona4j.features.encode.MultiHotEncoder;
import org.persona4j.features.encode.NumericNormalizer;
import org.persona4j.features.encode.OneHotEncoder;
import org.persona4j.features.tags.ProfileTagger;
import org.persona4j.features.tags.TagThresholds;
import org.persona4j.features.text.HashingTfIdf;
import org.persona4j.features.text.Tokenizer;

/**
 * A fitted feature pipeline: turns a user's history ({@link UserInput}) into a fixed-length
 * vector described by {@link #schema()}. Immutable after fitting and thread-safe (the item
 * resolver caches catalogue lookups in a concurrent map; the bad-input counters are atomic).
 *
 * <p>Blocks of the vector, in order: normalised numerics (RFM, activity, funnel, price, dwell;
 * fitted normalisers), flags, price-band shares, cyclical and share time features, top-level and
 * leaf category affinity shares over fitted vocabularies (with an "other" field), hashed brand
 * affinity, one-hot age band, gender, occupation and region, and a hashing TF-IDF of the user's
 * search queries. Each is one {@link FeatureBlock} (name, field names, kind, writer); the layout,
 * {@link #schema()} and {@link #extract} are derived from that list.
 *
 * <p>Bad-input policy (each case counted in {@link #counters()}, nothing else thrown): a null
 * input or null user id raises {@link BadInputException}; null events, events of another user and
 * events after the evaluation time are skipped; events on items the catalogue does not know count
 * for activity, time and RFM but not for affinities; unknown prices (NaN) are left out of price
 * features and monetary value; NaN raw features become the training mean; every output is finite.
 */
public final class FittedFeaturePipeline implements FeatureExtractor<UserInput> {
    /** The current file format version. */
    public static final int FORMAT_VERSION = 1;
    /** The format name written in every file. */
    public static final String FORMAT = "persona4j-feature-pipeline";
    /** Hours of the day summed into one hour-band share. */
    static final int HOURS_PER_BAND = 4;
    /** Hour bands: {@code time.hours_00_03} .. {@code time.hours_20_23}. */
    static final int HOUR_BANDS = 24 / HOURS_PER_BAND;

    /**
     * What fitting learned (everything the JSON file holds except the schema).
     *
     * @param config the settings
     * @param referenceTimeMillis the end of the training data, the default evaluation time
     * @param prices price quantiles per top-level category
     * @param topCategories top-level category vocabulary
     * @param leafCategories leaf category (full path) vocabulary
     * @param gender gender values
     * @param occupation occupation values
     * @param region region values
     * @param idf TF-IDF bucket weights
     * @param idfDocuments TF-IDF training documents
     * @param normalizers one per numeric feature, in {@link #numericNames()} order
     * @param tags tag thresholds
     */
    public record State(FeaturePipelineConfig config, long referenceTimeMillis, PriceQuantiles prices,
                        IdVocabulary topCategories, IdVocabulary leafCategories, IdVocabulary gender,
                        IdVocabulary occupation, IdVocabulary region, float[] idf, long idfDocuments,
                        List<NumericNormalizer> normalizers, TagThresholds tags) {
        /** Checks sizes. @throws BadInputException when they do not fit */
        public State {
            normalizers = List.copyOf(normalizers);
            if (normalizers.size() != Numerics.NAMES.size()) {
                throw new BadInputException("pipeline state: expected " + Numerics.NAMES.size() + " normalizers, got " + normalizers.size());
            }
            if (idf.length != config.textBuckets()) {
                throw new BadInputException("pipeline state: expected " + config.textBuckets() + " idf weights, got " + idf.length);
            }
        }
    }

    private final State state;
    private final Catalog catalog;
    private final ItemResolver resolver;
    private final FeatureSchema schema;
    private final OneHotEncoder gender;
    private final OneHotEncoder occupation;
    private final OneHotEncoder region;
    private final HashingTfIdf tfidf;
    private final FeatureHasher brandHasher;
    private final ProfileTagger tagger;
    private final NumericNormalizer[] normalizers;
    /** The vector's blocks in order; layout, field names, schema and extraction all come from them. */
    private final List<FeatureBlock> blocks;
    private final int[] offsets;
    private final int size;
    private final Map<String, LongAdder> counters = new LinkedHashMap<>();

    /**
     * @param state the fitted state
     * @param schema the schema recorded with it (its hash must equal the one the state implies), or null to imply it
     * @param catalog the catalogue items are resolved against
     * @throws SchemaMismatchException when the schema does not match the state
     */
    FittedFeaturePipeline(State state, FeatureSchema schema, Catalog catalog) {
        this.state = state;
        this.catalog = catalog;
        this.resolver = new ItemResolver(catalog, state.prices());
        this.gender = new OneHotEncoder("attr.gender", state.gender());
        this.occupation = new OneHotEncoder("attr.occupation", state.occupation());
        this.region = new OneHotEncoder("attr.region", state.region());
        this.tfidf = HashingTfIdf.of(Tokenizer.standard(), state.idf(), state.idfDocuments());
        this.brandHasher = new FeatureHasher(state.config().brandBuckets(), 0x2b5ed1a3);
        this.tagger = new ProfileTagger(state.tags());
        this.normalizers = state.normalizers().toArray(new NumericNormalizer[0]);
        this.blocks = buildBlocks();
        this.offsets = new int[blocks.size()];
        int o = 0;
        for (int b = 0; b < blocks.size(); b++) {
            offsets[b] = o;
            o += blocks.get(b).width();
        }
        size = o;
        for (String c : List.of("inputs", "events", "null events", "other-user events", "events after evaluation time",
                "unknown items", "purchases without price")) {
            counters.put(c, new LongAdder());
        }
        List<String> names = fieldNames();
        if (schema == null) {
            this.schema = impliedSchema(null);
            return;
        }
        if (schema.size() != names.size()) {
            throw new SchemaMismatchException("feature schema size", names.size(), schema.size());
        }
        FeatureSchema implied = impliedSchema(schema);
        if (!implied.hash().equals(schema.hash())) {
            throw new SchemaMismatchException("feature schema hash", schema.hash(), implied.hash());
        }
        this.schema = schema;
    }

    /** A pipeline whose schema is implied by the state (numeric bounds 0), for computing field names. */
    static FittedFeaturePipeline unchecked(State state, Catalog catalog) {
        return new FittedFeaturePipeline(state, null, catalog);
    }

    /** The blocks of the vector, in order. */
    private List<FeatureBlock> buildBlocks() {
        FeaturePipelineConfig c = state.config();
        List<FeatureBlock> b = new ArrayList<>();
        b.add(new FeatureBlock("numerics", FeatureBlock.Kind.FITTED_NUMERIC, Numerics.NAMES, (r, x, o) -> {
            double[] raw = Numerics.raw(r.snapshot());
            for (int i = 0; i < raw.length; i++) {
                x[o + i] = (float) normalizers[i].apply(raw[i]);
            }
        }));
        b.add(FeatureBlock.scalars("flags", FeatureBlock.Kind.BINARY, List.of(
                FeatureBlock.flag("flag.has_purchase", s -> s.frequency() > 0),
                FeatureBlock.flag("flag.has_price", s -> !Double.isNaN(s.meanPricePercentile())),
                FeatureBlock.flag("flag.no_events", s -> s.eventCount() == 0))));
        List<String> bandNames = new ArrayList<>();
        for (int i = 0; i < c.aggregates().priceBands(); i++) {
            bandNames.add("price.band_" + i);
        }
        b.add(new FeatureBlock("price bands", FeatureBlock.Kind.SHARE, bandNames, (r, x, o) -> {
            double[] bands = r.snapshot().priceBandShares();
            for (int i = 0; i < bands.length; i++) {
                x[o + i] = (float) bands[i];
            }
        }));
        b.add(FeatureBlock.scalars("cyclical time", FeatureBlock.Kind.SIGNED, List.of(
                new FeatureBlock.Scalar("time.hour_sin", AggregateSnapshot::hourSin),
                new FeatureBlock.Scalar("time.hour_cos", AggregateSnapshot::hourCos),
                new FeatureBlock.Scalar("time.day_sin", AggregateSnapshot::daySin),
                new FeatureBlock.Scalar("time.day_cos", AggregateSnapshot::dayCos))));
        b.add(FeatureBlock.scalars("time shares", FeatureBlock.Kind.SHARE, List.of(
                new FeatureBlock.Scalar("time.night_share", AggregateSnapshot::nightShare),
                new FeatureBlock.Scalar("time.weekend_share", AggregateSnapshot::weekendShare))));
        List<String> hourNames = new ArrayList<>();
        for (int i = 0; i < HOUR_BANDS; i++) {
            hourNames.add(String.format(Locale.ROOT, "time.hours_%02d_%02d", i * HOURS_PER_BAND, (i + 1) * HOURS_PER_BAND - 1));
        }
        b.add(new FeatureBlock("hour bands", FeatureBlock.Kind.SHARE, hourNames, (r, x, o) -> {
            AggregateSnapshot s = r.snapshot();
            if (s.eventCount() > 0) {
                int[] h = s.hourCounts();
                for (int k = 0; k < h.length; k++) {
                    x[o + k / HOURS_PER_BAND] += (float) ((double) h[k] / s.eventCount());
                }
            }
        }));
        MultiHotEncoder top = new MultiHotEncoder("affinity.top", state.topCategories());
        b.add(new FeatureBlock("top category affinity", FeatureBlock.Kind.SHARE, top.fieldNames(), (r, x, o) -> {
            for (Affinity a : r.snapshot().topCategories()) {
                x[o + top.slotOf(a.name())] += (float) a.share();
            }
        }));
        MultiHotEncoder leaf = new MultiHotEncoder("affinity.leaf", state.leafCategories());
        b.add(new FeatureBlock("leaf category affinity", FeatureBlock.Kind.SHARE, leaf.fieldNames(), (r, x, o) -> {
            for (Affinity a : r.snapshot().leafCategories()) {
                x[o + leaf.slotOf(a.name())] += (float) a.share();
            }
        }));
        b.add(new FeatureBlock("brand affinity", FeatureBlock.Kind.SHARE, numbered("affinity.brand#", c.brandBuckets()), (r, x, o) -> {
            for (Affinity a : r.snapshot().brands()) {
                x[o + brandHasher.bucket(a.name())] += (float) a.share();
            }
        }));
        List<String> ages = new ArrayList<>();
        AgeBands.names().forEach(a -> ages.add("attr.age=" + a));
        b.add(new FeatureBlock("age band", FeatureBlock.Kind.BINARY, ages, (r, x, o) -> {
            UserAttributes u = r.input().attributes();
            x[o + AgeBands.band(u == null ? -1 : u.age())] = 1;
        }));
        b.add(oneHot(gender, UserAttributes::gender));
        b.add(oneHot(occupation, UserAttributes::occupation));
        b.add(oneHot(region, UserAttributes::region));
        b.add(new FeatureBlock("search tf-idf", FeatureBlock.Kind.SIGNED, numbered("search.tfidf#", c.textBuckets()), (r, x, o) -> {
            float[] t = tfidf.transform(queries(r.input()));
            System.arraycopy(t, 0, x, o, t.length);
        }));
        return List.copyOf(b);
    }

    private static FeatureBlock oneHot(OneHotEncoder enc, Function<UserAttributes, String> value) {
        return new FeatureBlock(enc.name(), FeatureBlock.Kind.BINARY, enc.fieldNames(), (r, x, o) -> {
            UserAttributes u = r.input().attributes();
            enc.encode(u == null ? null : value.apply(u), x, o);
        });
    }

    private static List<String> numbered(String prefix, int n) {
        List<String> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(prefix + i);
        }
        return l;
    }

    /** @return the blocks of the vector, in order (for tests) */
    List<FeatureBlock> blocks() {
        return blocks;
    }

    /** Field names in vector order. */
    List<String> fieldNames() {
        List<String> n = new ArrayList<>(size);
        blocks.forEach(b -> n.addAll(b.fields()));
        return n;
    }

    /** Types and default bounds for every field; the fitted numerics' bounds taken from {@code fitted} where given. */
    FeatureSchema impliedSchema(FeatureSchema fitted) {
        List<FeatureSchema.Field> fs = new ArrayList<>(size);
        for (FeatureBlock b : blocks) {
            FeatureBlock.Kind k = b.kind();
            for (String name : b.fields()) {
                int i = fs.size();
                boolean fromFit = k == FeatureBlock.Kind.FITTED_NUMERIC && fitted != null;
                fs.add(new FeatureSchema.Field(name, k.type, fromFit ? fitted.fields().get(i).min() : k.min,
                        fromFit ? fitted.fields().get(i).max() : k.max, 0));
            }
        }
        return new FeatureSchema(fs);
    }

    @Override
    public FeatureSchema schema() {
        return schema;
    }

    /** @return the fitted state (for saving and inspection) */
    public State state() {
        return state;
    }

    /** @return the catalogue items are resolved against */
    public Catalog catalog() {
        return catalog;
    }

    /** @return the end of the training data, the default evaluation time */
    public long referenceTimeMillis() {
        return state.referenceTimeMillis();
    }

    /** @return the tagger with the fitted thresholds */
    public ProfileTagger tagger() {
        return tagger;
    }

    /** @return the numeric feature names, in vector order */
    public static List<String> numericNames() {
        return Numerics.NAMES;
    }

    /**
     * Bad-input and volume counters since construction: "inputs", "events", "null events",
     * "other-user events", "events after evaluation time", "unknown items", "purchases without price".
     *
     * @return a snapshot of the counters
     */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        counters.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /**
     * The aggregates of a user as of the input's evaluation time (skipping bad events as
     * {@link #extract} does).
     *
     * @param in the input, not null
     * @return the snapshot
     * @throws BadInputException when the input is null
     */
    public AggregateSnapshot snapshot(UserInput in) {
        if (in == null) {
            throw new BadInputException("feature pipeline: input must not be null");
        }
        long asOf = in.asOfMillis() >= 0 ? in.asOfMillis() : state.referenceTimeMillis();
        UserAggregates ua = new UserAggregates(in.userId(), state.config().aggregates());
        counters.get("inputs").increment();
        for (BehaviorEvent e : in.events()) {
            if (e == null) {
                counters.get("null events").increment();
            } else if (!e.userId().equals(in.userId())) {
                counters.get("other-user events").increment();
            } else if (e.timestampMillis() > asOf) {
                counters.get("events after evaluation time").increment();
            } else {
                ua.update(e, resolver);
                counters.get("events").increment();
            }
        }
        AggregateSnapshot s = ua.snapshot(asOf, resolver);
        counters.get("unknown items").add(s.unknownItems());
        counters.get("purchases without price").add(s.missingPrices());
        return s;
    }

    /**
     * @param in the input
     * @return the user's tags with evidence
     */
    public List<Tag> tags(UserInput in) {
        return tagger.tags(snapshot(in));
    }

    @Override
    public float[] extract(UserInput in) {
        AggregateSnapshot s = snapshot(in);
        float[] x = new float[size];
        FeatureBlock.Row row = new FeatureBlock.Row(s, in);
        for (int b = 0; b < blocks.size(); b++) {
            blocks.get(b).writer().write(row, x, offsets[b]);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                x[i] = 0; // cannot happen with finite normaliser parameters; kept as a guard of the contract
            }
        }
        return x;
    }

    private String queries(UserInput in) {
        StringBuilder sb = new StringBuilder();
        long asOf = in.asOfMillis() >= 0 ? in.asOfMillis() : state.referenceTimeMillis();
        for (BehaviorEvent e : in.events()) {
            if (e != null && e.type() == EventType.SEARCH && e.userId().equals(in.userId())
                    && e.timestampMillis() <= asOf && e.query().isPresent()) {
                sb.append(e.query().get()).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Saves as versioned, human-readable JSON; {@link #load} restores an equal pipeline and
     * saving again gives the same bytes.
     *
     * @param file the target file (replaced)
     * @throws ModelFormatException when writing fails
     */
    public void save(Path file) {
        PipelineJson.write(this, file);
    }

    /**
     * @return the JSON text {@link #save} writes
     */
    public String toJson() {
        return PipelineJson.toJson(this);
    }

    /**
     * Loads a saved pipeline.
     *
     * @param file the file
     * @param catalog the catalogue to resolve items against
     * @return the pipeline
     * @throws ModelFormatException when the file is unreadable, not a pipeline, or of an unsupported version (both versions named)
     * @throws SchemaMismatchException when the recorded schema does not match the fitted state
     */
    public static FittedFeaturePipeline load(Path file, Catalog catalog) {
        return PipelineJson.read(file, catalog);
    }

    /**
     * Loads a saved pipeline and checks it emits the schema a model was trained on.
     *
     * @param file the file
     * @param catalog the catalogue
     * @param expectedSchemaHash the schema hash the caller requires
     * @return the pipeline
     * @throws SchemaMismatchException naming both hashes when they differ
     */
    public static FittedFeaturePipeline load(Path file, Catalog catalog, String expectedSchemaHash) {
        FittedFeaturePipeline p = load(file, catalog);
        p.schema().requireHash(expectedSchemaHash);
        return p;
    }

    /**
     * @param json the JSON text
     * @param catalog the catalogue
     * @return the pipeline
     */
    public static FittedFeaturePipeline fromJson(String json, Catalog catalog) {
        return PipelineJson.parse(json, "<string>", catalog);
    }
}
