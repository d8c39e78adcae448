package org.persona4j.features.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
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
 * search queries.
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
    private final int oNum;
    private final int oFlags;
    private final int oBands;
    private final int oTime;
    private final int oTop;
    private final int oLeaf;
    private final int oBrand;
    private final int oAge;
    private final int oGender;
    private final int oOcc;
    private final int oRegion;
    private final int oText;
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
        int o = 0;
        oNum = o;
        o += Numerics.NAMES.size();
        oFlags = o;
        o += 3;
        oBands = o;
        o += state.config().aggregates().priceBands();
        oTime = o;
        o += 12;
        oTop = o;
        o += state.topCategories().knownSize() + 1;
        oLeaf = o;
        o += state.leafCategories().knownSize() + 1;
        oBrand = o;
        o += state.config().brandBuckets();
        oAge = o;
        o += AgeBands.count();
        oGender = o;
        o += gender.width();
        oOcc = o;
        o += occupation.width();
        oRegion = o;
        o += region.width();
        oText = o;
        o += state.config().textBuckets();
        size = o;
        for (String c : List.of("inputs", "events", "null events", "other-user events", "events after evaluation time",
                "unknown items", "purchases without price")) {
            counters.put(c, new LongAdder());
        }
        List<String> names = fieldNames();
        if (schema == null) {
            this.schema = impliedSchema(names, null);
            return;
        }
        if (schema.size() != names.size()) {
            throw new SchemaMismatchException("feature schema size", names.size(), schema.size());
        }
        FeatureSchema implied = impliedSchema(names, schema);
        if (!implied.hash().equals(schema.hash())) {
            throw new SchemaMismatchException("feature schema hash", schema.hash(), implied.hash());
        }
        this.schema = schema;
    }

    /** A pipeline whose schema is implied by the state (numeric bounds 0), for computing field names. */
    static FittedFeaturePipeline unchecked(State state, Catalog catalog) {
        return new FittedFeaturePipeline(state, null, catalog);
    }

    /** Field names in vector order. */
    List<String> fieldNames() {
        List<String> n = new ArrayList<>(Numerics.NAMES);
        n.add("flag.has_purchase");
        n.add("flag.has_price");
        n.add("flag.no_events");
        for (int b = 0; b < state.config().aggregates().priceBands(); b++) {
            n.add("price.band_" + b);
        }
        n.addAll(List.of("time.hour_sin", "time.hour_cos", "time.day_sin", "time.day_cos", "time.night_share", "time.weekend_share"));
        for (int b = 0; b < 6; b++) {
            n.add(String.format("time.hours_%02d_%02d", b * 4, b * 4 + 3));
        }
        n.add("affinity.top=<other>");
        for (String c : state.topCategories().ids()) {
            n.add("affinity.top=" + c);
        }
        n.add("affinity.leaf=<other>");
        for (String c : state.leafCategories().ids()) {
            n.add("affinity.leaf=" + c);
        }
        for (int b = 0; b < state.config().brandBuckets(); b++) {
            n.add("affinity.brand#" + b);
        }
        for (String a : AgeBands.names()) {
            n.add("attr.age=" + a);
        }
        n.addAll(gender.fieldNames());
        n.addAll(occupation.fieldNames());
        n.addAll(region.fieldNames());
        for (int b = 0; b < state.config().textBuckets(); b++) {
            n.add("search.tfidf#" + b);
        }
        return n;
    }

    /** Types and default bounds for every field; numeric bounds taken from {@code fitted} where given. */
    FeatureSchema impliedSchema(List<String> names, FeatureSchema fitted) {
        List<FeatureSchema.Field> fs = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            FeatureSchema.Type type;
            double lo;
            double hi;
            if (i < oFlags) {
                type = FeatureSchema.Type.NUMERIC;
                lo = fitted == null ? 0 : fitted.fields().get(i).min();
                hi = fitted == null ? 0 : fitted.fields().get(i).max();
            } else if (i < oBands || (i >= oAge && i < oText)) {
                type = FeatureSchema.Type.BINARY;
                lo = 0;
                hi = 1;
            } else if ((i >= oTime && i < oTime + 4) || i >= oText) {
                type = FeatureSchema.Type.NUMERIC;
                lo = -1;
                hi = 1;
            } else {
                type = FeatureSchema.Type.NUMERIC;
                lo = 0;
                hi = 1;
            }
            fs.add(new FeatureSchema.Field(name, type, lo, hi, 0));
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
        double[] raw = Numerics.raw(s);
        for (int i = 0; i < raw.length; i++) {
            x[oNum + i] = (float) normalizers[i].apply(raw[i]);
        }
        x[oFlags] = s.frequency() > 0 ? 1 : 0;
        x[oFlags + 1] = Double.isNaN(s.meanPricePercentile()) ? 0 : 1;
        x[oFlags + 2] = s.eventCount() == 0 ? 1 : 0;
        double[] bands = s.priceBandShares();
        for (int b = 0; b < bands.length; b++) {
            x[oBands + b] = (float) bands[b];
        }
        x[oTime] = (float) s.hourSin();
        x[oTime + 1] = (float) s.hourCos();
        x[oTime + 2] = (float) s.daySin();
        x[oTime + 3] = (float) s.dayCos();
        x[oTime + 4] = (float) s.nightShare();
        x[oTime + 5] = (float) s.weekendShare();
        if (s.eventCount() > 0) {
            int[] h = s.hourCounts();
            for (int k = 0; k < 24; k++) {
                x[oTime + 6 + k / 4] += (float) ((double) h[k] / s.eventCount());
            }
        }
        for (Affinity a : s.topCategories()) {
            int i = state.topCategories().indexOf(a.name());
            x[oTop + (i == IdVocabulary.OOV ? 0 : i - 1)] += (float) a.share();
        }
        for (Affinity a : s.leafCategories()) {
            int i = state.leafCategories().indexOf(a.name());
            x[oLeaf + (i == IdVocabulary.OOV ? 0 : i - 1)] += (float) a.share();
        }
        for (Affinity a : s.brands()) {
            x[oBrand + brandHasher.bucket(a.name())] += (float) a.share();
        }
        UserAttributes u = in.attributes();
        x[oAge + AgeBands.band(u == null ? -1 : u.age())] = 1;
        gender.encode(u == null ? null : u.gender(), x, oGender);
        occupation.encode(u == null ? null : u.occupation(), x, oOcc);
        region.encode(u == null ? null : u.region(), x, oRegion);
        float[] t = tfidf.transform(queries(in));
        System.arraycopy(t, 0, x, oText, t.length);
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
