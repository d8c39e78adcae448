package org.persona4j.features.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.FeatureSchema;
import org.persona4j.core.ModelFormatException;
import org.persona4j.core.SchemaMismatchException;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.PriceQuantiles;
import org.persona4j.features.encode.IdVocabulary;
import org.persona4j.features.encode.NumericNormalizer;
import org.persona4j.features.tags.TagThresholds;
import org.persona4j.io.AtomicFiles;
import org.persona4j.io.FormatHeader;

/**
 * The JSON file format of a fitted pipeline (version {@value FittedFeaturePipeline#FORMAT_VERSION}).
 * Doubles are written in Java's round-tripping decimal form, so loading restores every parameter
 * bit for bit and saving again gives the same text.
 */
final class PipelineJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Written with the legacy {@code "version"} key: the golden files pin the exact text. */
    private static final FormatHeader HEADER = FormatHeader.json(FittedFeaturePipeline.FORMAT, "feature pipeline",
            FittedFeaturePipeline.FORMAT_VERSION, FittedFeaturePipeline.FORMAT_VERSION);

    private PipelineJson() {
    }

    static void write(FittedFeaturePipeline p, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            AtomicFiles.writeString(file, toJson(p), true);
        } catch (IOException e) {
            throw new ModelFormatException("feature pipeline: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static String toJson(FittedFeaturePipeline p) {
        FittedFeaturePipeline.State s = p.state();
        ObjectNode root = HEADER.writeLegacyJson(MAPPER.createObjectNode(), FittedFeaturePipeline.FORMAT_VERSION);
        root.put("referenceTimeMillis", s.referenceTimeMillis());
        ObjectNode c = root.putObject("config");
        FeaturePipelineConfig pc = s.config();
        AggregateConfig ac = pc.aggregates();
        c.put("halfLifeDays", ac.halfLifeDays());
        c.put("topCategorySlots", ac.topCategorySlots());
        c.put("leafCategorySlots", ac.leafCategorySlots());
        c.put("brandSlots", ac.brandSlots());
        ObjectNode tw = c.putObject("typeWeights");
        double[] w = ac.typeWeights();
        for (EventType t : EventType.values()) {
            tw.put(t.name(), w[t.ordinal()]);
        }
        c.put("priceBands", ac.priceBands());
        c.put("zoneOffsetSeconds", ac.zoneOffsetSeconds());
        c.put("categoryMinCount", pc.categoryMinCount());
        c.put("maxTopCategories", pc.maxTopCategories());
        c.put("maxLeafCategories", pc.maxLeafCategories());
        c.put("brandBuckets", pc.brandBuckets());
        c.put("textBuckets", pc.textBuckets());
        c.put("attributeMinCount", pc.attributeMinCount());
        c.put("maxAttributeValues", pc.maxAttributeValues());
        ObjectNode pq = root.putObject("priceQuantiles");
        s.prices().table().forEach((k, v) -> doubles(pq.putArray(k), v));
        vocab(root.putObject("topCategories"), s.topCategories());
        vocab(root.putObject("leafCategories"), s.leafCategories());
        vocab(root.putObject("gender"), s.gender());
        vocab(root.putObject("occupation"), s.occupation());
        vocab(root.putObject("region"), s.region());
        ObjectNode tf = root.putObject("searchTfIdf");
        tf.put("documents", s.idfDocuments());
        ArrayNode idf = tf.putArray("idf");
        for (float f : s.idf()) {
            idf.add((double) f);
        }
        ArrayNode norms = root.putArray("normalizers");
        for (int i = 0; i < s.normalizers().size(); i++) {
            ObjectNode n = norms.addObject();
            n.put("feature", Numerics.NAMES.get(i));
            n.put("kind", s.normalizers().get(i).kind().name());
            doubles(n.putArray("params"), s.normalizers().get(i).params());
        }
        ObjectNode tags = root.putObject("tagThresholds");
        TagThresholds t = s.tags();
        tags.put("minEvents", t.minEvents());
        tags.put("preferenceMinShare", t.preferenceMinShare());
        tags.put("priceSensitiveAbove", t.priceSensitiveAbove());
        tags.put("premiumBelow", t.premiumBelow());
        tags.put("nightShareAbove", t.nightShareAbove());
        tags.put("weekendShareAbove", t.weekendShareAbove());
        tags.put("highValueMonetary", t.highValueMonetary());
        tags.put("highActivityPerDay", t.highActivityPerDay());
        tags.put("churnGapFactor", t.churnGapFactor());
        tags.put("churnMinDays", t.churnMinDays());
        ObjectNode sch = root.putObject("schema");
        sch.put("hash", p.schema().hash());
        sch.put("size", p.schema().size());
        ArrayNode fields = sch.putArray("fields");
        for (FeatureSchema.Field f : p.schema().fields()) {
            ObjectNode fn = fields.addObject();
            fn.put("name", f.name());
            fn.put("type", f.type().name());
            fn.put("min", f.min());
            fn.put("max", f.max());
            fn.put("vocabularySize", f.vocabularySize());
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new ModelFormatException("feature pipeline: cannot serialise: " + e.getMessage(), e);
        }
    }

    private static void doubles(ArrayNode a, double[] v) {
        for (double d : v) {
            a.add(d);
        }
    }

    private static void vocab(ObjectNode n, IdVocabulary v) {
        n.put("minCount", v.minCount());
        ArrayNode ids = n.putArray("ids");
        v.ids().forEach(ids::add);
    }

    static FittedFeaturePipeline read(Path file, Catalog catalog) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelFormatException("feature pipeline: cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString(), catalog);
    }

    static FittedFeaturePipeline parse(String text, String source, Catalog catalog) {
        if (catalog == null) {
            throw new BadInputException("feature pipeline load: 'catalog' is required");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (IOException e) {
            throw new ModelFormatException(source + ": not valid JSON: " + e.getMessage(), e);
        }
        HEADER.checkJson(root, source);
        try {
            JsonNode c = req(root, "config", source);
            JsonNode tw = req(c, "typeWeights", source);
            double[] w = new double[EventType.count()];
            for (EventType t : EventType.values()) {
                w[t.ordinal()] = req(tw, t.name(), source).asDouble();
            }
            AggregateConfig ac = new AggregateConfig(req(c, "halfLifeDays", source).asDouble(), integer(c, "topCategorySlots", source),
                    integer(c, "leafCategorySlots", source), integer(c, "brandSlots", source), w, integer(c, "priceBands", source),
                    integer(c, "zoneOffsetSeconds", source));
            FeaturePipelineConfig pc = new FeaturePipelineConfig(ac, integer(c, "categoryMinCount", source),
                    integer(c, "maxTopCategories", source), integer(c, "maxLeafCategories", source), integer(c, "brandBuckets", source),
                    integer(c, "textBuckets", source), integer(c, "attributeMinCount", source), integer(c, "maxAttributeValues", source));
            Map<String, double[]> pq = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = req(root, "priceQuantiles", source).fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                pq.put(e.getKey(), doubles(e.getValue(), "priceQuantiles." + e.getKey(), source));
            }
            JsonNode tf = req(root, "searchTfIdf", source);
            double[] idfD = doubles(req(tf, "idf", source), "searchTfIdf.idf", source);
            float[] idf = new float[idfD.length];
            for (int i = 0; i < idf.length; i++) {
                idf[i] = (float) idfD[i];
            }
            List<NumericNormalizer> norms = new ArrayList<>();
            JsonNode na = req(root, "normalizers", source);
            for (int i = 0; i < na.size(); i++) {
                JsonNode n = na.get(i);
                String feature = req(n, "feature", source).asText();
                if (i >= Numerics.NAMES.size() || !Numerics.NAMES.get(i).equals(feature)) {
                    throw new SchemaMismatchException("normalizer " + i + " feature",
                            i < Numerics.NAMES.size() ? Numerics.NAMES.get(i) : "<none>", feature);
                }
                norms.add(NumericNormalizer.of(NumericNormalizer.Kind.parse(req(n, "kind", source).asText()),
                        doubles(req(n, "params", source), "normalizers[" + i + "].params", source)));
            }
            JsonNode t = req(root, "tagThresholds", source);
            TagThresholds tags = new TagThresholds(integer(t, "minEvents", source), req(t, "preferenceMinShare", source).asDouble(),
                    req(t, "priceSensitiveAbove", source).asDouble(), req(t, "premiumBelow", source).asDouble(),
                    req(t, "nightShareAbove", source).asDouble(), req(t, "weekendShareAbove", source).asDouble(),
                    req(t, "highValueMonetary", source).asDouble(), req(t, "highActivityPerDay", source).asDouble(),
                    req(t, "churnGapFactor", source).asDouble(), req(t, "churnMinDays", source).asDouble());
            FittedFeaturePipeline.State state = new FittedFeaturePipeline.State(pc, req(root, "referenceTimeMillis", source).asLong(),
                    PriceQuantiles.of(pq), vocab(root, "topCategories", source), vocab(root, "leafCategories", source),
                    vocab(root, "gender", source), vocab(root, "occupation", source), vocab(root, "region", source),
                    idf, req(tf, "documents", source).asLong(), norms, tags);
            JsonNode sch = req(root, "schema", source);
            List<FeatureSchema.Field> fields = new ArrayList<>();
            JsonNode fa = req(sch, "fields", source);
            for (int i = 0; i < fa.size(); i++) {
                JsonNode f = fa.get(i);
                fields.add(new FeatureSchema.Field(req(f, "name", source).asText(),
                        FeatureSchema.Type.valueOf(req(f, "type", source).asText()), req(f, "min", source).asDouble(),
                        req(f, "max", source).asDouble(), integer(f, "vocabularySize", source)));
            }
            FeatureSchema schema = new FeatureSchema(fields);
            String recorded = req(sch, "hash", source).asText();
            if (!recorded.equals(schema.hash())) {
                throw new SchemaMismatchException(source + ": recorded feature schema hash", recorded, schema.hash());
            }
            return new FittedFeaturePipeline(state, schema, catalog);
        } catch (BadInputException | IllegalArgumentException e) {
            throw new ModelFormatException(source + ": corrupt feature pipeline: " + e.getMessage(), e);
        }
    }

    private static JsonNode req(JsonNode n, String field, String source) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new ModelFormatException(source + ": field '" + field + "' is missing");
        }
        return v;
    }

    private static int integer(JsonNode n, String field, String source) {
        JsonNode v = req(n, field, source);
        if (!v.canConvertToInt()) {
            throw new ModelFormatException(source + ": field '" + field + "': expected an integer, found " + v);
        }
        return v.asInt();
    }

    private static double[] doubles(JsonNode a, String field, String source) {
        if (!a.isArray()) {
            throw new ModelFormatException(source + ": field '" + field + "': expected an array of numbers");
        }
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            if (!a.get(i).isNumber()) {
                throw new ModelFormatException(source + ": field '" + field + "[" + i + "]': expected a number, found " + a.get(i));
            }
            d[i] = a.get(i).asDouble();
        }
        return d;
    }

    private static IdVocabulary vocab(JsonNode root, String field, String source) {
        JsonNode n = req(root, field, source);
        List<String> ids = new ArrayList<>();
        for (JsonNode x : req(n, "ids", source)) {
            ids.add(x.asText());
        }
        return IdVocabulary.of(ids, integer(n, "minCount", source));
    }
}
