package org.persona4j.features.item;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Catalog;
import org.persona4j.core.FeatureExtractor;
import org.persona4j.core.FeatureSchema;
import org.persona4j.core.Item;
import org.persona4j.core.ModelFormatException;
import org.persona4j.core.SchemaMismatchException;
import org.persona4j.features.aggregate.PriceQuantiles;
import org.persona4j.features.encode.IdVocabulary;
import org.persona4j.features.encode.MultiHotEncoder;
import org.persona4j.features.encode.NumericNormalizer;
import org.persona4j.features.encode.OneHotEncoder;
import org.persona4j.features.text.HashingTfIdf;
import org.persona4j.features.text.Tokenizer;
import org.persona4j.io.FormatHeader;

/**
 * A fitted extractor of item vectors: multi-hot category path prefixes (min count), one-hot brand
 * (min count, with missing and other slots), price percentile within the top-level category and
 * z-scored {@code log1p(price)} with a has-price flag (unknown price: percentile 0.5, the training
 * mean), and a hashed TF-IDF of the title. Fitted on a catalogue only; immutable and thread-safe.
 * Unknown categories and brands go to the "other" slots; a null item raises
 * {@link BadInputException}.
 */
public final class ItemFeatures implements FeatureExtractor<Item> {
    /** The JSON format name. */
    public static final String FORMAT = "persona4j-item-features";
    /** The current JSON format version. */
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final FormatHeader HEADER = FormatHeader.json(FORMAT, "item features", FORMAT_VERSION, FORMAT_VERSION);

    private final MultiHotEncoder categories;
    private final OneHotEncoder brands;
    private final PriceQuantiles prices;
    private final NumericNormalizer logPrice;
    private final HashingTfIdf titles;
    private final FeatureSchema schema;

    private ItemFeatures(IdVocabulary categories, IdVocabulary brands, PriceQuantiles prices, NumericNormalizer logPrice,
                         HashingTfIdf titles) {
        this.categories = new MultiHotEncoder("item.category", categories);
        this.brands = new OneHotEncoder("item.brand", brands);
        this.prices = prices;
        this.logPrice = logPrice;
        this.titles = titles;
        List<FeatureSchema.Field> f = new ArrayList<>();
        for (String n : this.categories.fieldNames()) {
            f.add(new FeatureSchema.Field(n, FeatureSchema.Type.BINARY, 0, 1, 0));
        }
        for (String n : this.brands.fieldNames()) {
            f.add(new FeatureSchema.Field(n, FeatureSchema.Type.BINARY, 0, 1, 0));
        }
        f.add(new FeatureSchema.Field("item.price_percentile", FeatureSchema.Type.NUMERIC, 0, 1, 0));
        f.add(new FeatureSchema.Field("item.log_price", FeatureSchema.Type.NUMERIC, -1e6, 1e6, 0));
        f.add(new FeatureSchema.Field("item.has_price", FeatureSchema.Type.BINARY, 0, 1, 0));
        for (int b = 0; b < titles.dimension(); b++) {
            f.add(new FeatureSchema.Field("item.title_tfidf#" + b, FeatureSchema.Type.NUMERIC, -1, 1, 0));
        }
        this.schema = new FeatureSchema(f);
    }

    /**
     * @param catalog the catalogue (training items)
     * @param minCount minimum items for a category prefix or brand to get its own slot, {@code >= 1}
     * @param titleBuckets hashed title TF-IDF buckets, {@code >= 1}
     * @return the fitted extractor
     */
    public static ItemFeatures fit(Catalog catalog, int minCount, int titleBuckets) {
        if (catalog == null) {
            throw new BadInputException("item features: 'catalog' is required");
        }
        IdVocabulary.Counter cats = IdVocabulary.counter();
        IdVocabulary.Counter brands = IdVocabulary.counter();
        List<String> titles = new ArrayList<>();
        List<Item> items = new ArrayList<>(catalog.items());
        items.sort((a, b) -> a.id().compareTo(b.id()));
        double[] logp = new double[items.size()];
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            MultiHotEncoder.prefixes(it.categoryPath()).forEach(cats::add);
            brands.add(it.brand());
            titles.add(it.title());
            logp[i] = Double.isNaN(it.price()) ? Double.NaN : Math.log1p(it.price());
        }
        return new ItemFeatures(cats.build(minCount, IdVocabulary.UNLIMITED), brands.build(minCount, IdVocabulary.UNLIMITED),
                PriceQuantiles.fit(catalog), NumericNormalizer.fit(NumericNormalizer.Kind.ZSCORE, logp),
                HashingTfIdf.fit(Tokenizer.standard(), titleBuckets, titles));
    }

    @Override
    public FeatureSchema schema() {
        return schema;
    }

    @Override
    public float[] extract(Item item) {
        if (item == null) {
            throw new BadInputException("item features: item must not be null");
        }
        float[] x = new float[schema.size()];
        int o = 0;
        categories.encodePath(item.categoryPath(), x, o);
        o += categories.width();
        brands.encode(item.brand(), x, o);
        o += brands.width();
        double pct = PriceQuantiles.percentile(prices.breakpoints(item.topCategory()), item.price());
        x[o++] = (float) (Double.isNaN(pct) ? 0.5 : pct);
        x[o++] = (float) logPrice.apply(Double.isNaN(item.price()) ? Double.NaN : Math.log1p(item.price()));
        x[o++] = Double.isNaN(item.price()) ? 0 : 1;
        float[] t = titles.transform(item.title());
        System.arraycopy(t, 0, x, o, t.length);
        return x;
    }

    /**
     * @return the JSON text of this extractor (round-trips exactly through {@link #fromJson}), led by
     *     the {@link FormatHeader} keys {@code "format"} and {@code "formatVersion"}
     */
    public String toJson() {
        ObjectNode r = HEADER.writeJson(MAPPER.createObjectNode(), FORMAT_VERSION);
        vocab(r.putObject("categories"), categories.vocabulary());
        vocab(r.putObject("brands"), brands.vocabulary());
        ObjectNode pq = r.putObject("priceQuantiles");
        prices.table().forEach((k, v) -> {
            ArrayNode a = pq.putArray(k);
            for (double d : v) {
                a.add(d);
            }
        });
        ArrayNode lp = r.putArray("logPriceZscore");
        for (double d : logPrice.params()) {
            lp.add(d);
        }
        r.put("titleDocuments", titles.documents());
        ArrayNode idf = r.putArray("titleIdf");
        for (float f : titles.idfWeights()) {
            idf.add((double) f);
        }
        r.put("schemaHash", schema.hash());
        try {
            return MAPPER.writeValueAsString(r) + "\n";
        } catch (IOException e) {
            throw new ModelFormatException("item features: cannot serialise: " + e.getMessage(), e);
        }
    }

    private static void vocab(ObjectNode n, IdVocabulary v) {
        n.put("minCount", v.minCount());
        ArrayNode a = n.putArray("ids");
        v.ids().forEach(a::add);
    }

    /**
     * @param json text from {@link #toJson} (files written before the {@code "formatVersion"} key
     *     carry {@code "version"}; both are read)
     * @return the extractor
     * @throws ModelFormatException on bad JSON, another format, a missing field or an unsupported version (both versions named)
     * @throws SchemaMismatchException when the recorded schema hash differs from the rebuilt one
     */
    public static ItemFeatures fromJson(String json) {
        JsonNode r;
        try {
            r = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new ModelFormatException("item features: not valid JSON: " + e.getMessage(), e);
        }
        HEADER.checkJson(r, null);
        try {
            Map<String, double[]> pq = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = r.get("priceQuantiles").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                pq.put(e.getKey(), doubles(e.getValue()));
            }
            double[] idfD = doubles(r.get("titleIdf"));
            float[] idf = new float[idfD.length];
            for (int i = 0; i < idf.length; i++) {
                idf[i] = (float) idfD[i];
            }
            ItemFeatures f = new ItemFeatures(vocab(r.get("categories")), vocab(r.get("brands")), PriceQuantiles.of(pq),
                    NumericNormalizer.of(NumericNormalizer.Kind.ZSCORE, doubles(r.get("logPriceZscore"))),
                    HashingTfIdf.of(Tokenizer.standard(), idf, r.get("titleDocuments").asLong()));
            String recorded = r.get("schemaHash").asText();
            if (!recorded.equals(f.schema.hash())) {
                throw new SchemaMismatchException("item features schema hash", recorded, f.schema.hash());
            }
            return f;
        } catch (NullPointerException | BadInputException e) {
            throw new ModelFormatException("item features: corrupt file: " + e, e);
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).asDouble();
        }
        return d;
    }

    private static IdVocabulary vocab(JsonNode n) {
        List<String> ids = new ArrayList<>();
        n.get("ids").forEach(x -> ids.add(x.asText()));
        return IdVocabulary.of(ids, n.get("minCount").asInt());
    }
}
