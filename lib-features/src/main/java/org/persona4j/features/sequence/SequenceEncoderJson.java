package org.persona4j.features.sequence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.persona4j.core.BadInputException;
import org.persona4j.core.ModelFormatException;
import org.persona4j.features.encode.IdVocabulary;
import org.persona4j.io.AtomicFiles;
import org.persona4j.io.FormatHeader;

/**
 * The JSON file format of a fitted {@link SequenceEncoder} (version {@value #FORMAT_VERSION}):
 * the maximum length, category level, gap boundaries, item and category vocabularies and the
 * item-to-category table.
 *
 * <p>The text is stable: a trained model's version is a hash over it, so the writer keeps the
 * layout byte for byte, including the header's {@code "version"} key (written with
 * {@link FormatHeader#writeLegacyJson}; {@code "formatVersion"} is read too). Stateless and
 * thread-safe.
 */
public final class SequenceEncoderJson {
    /** The JSON format version written, and the newest read. */
    public static final int FORMAT_VERSION = 1;
    /** The value of the {@code "format"} key. */
    public static final String FORMAT = "persona4j-sequence-encoder";

    private static final FormatHeader HEADER = FormatHeader.json(FORMAT, "sequence encoder", 1, FORMAT_VERSION);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SequenceEncoderJson() {
    }

    /**
     * @param encoder the encoder
     * @return its stable, pretty-printed JSON text
     */
    public static String toJson(SequenceEncoder encoder) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJsonNode(encoder));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write encoder JSON", e);
        }
    }

    /**
     * @param encoder the encoder
     * @return it as a JSON tree (to embed in a larger document)
     */
    public static ObjectNode toJsonNode(SequenceEncoder encoder) {
        ObjectNode root = HEADER.writeLegacyJson(JSON.createObjectNode(), FORMAT_VERSION);
        root.put("maxLen", encoder.maxLen());
        root.put("categoryLevel", encoder.categoryLevel().name());
        ArrayNode g = root.putArray("gapBoundariesMillis");
        for (long b : encoder.gaps().boundariesMillis()) {
            g.add(b);
        }
        root.set("items", vocab(encoder.items()));
        root.set("categories", vocab(encoder.categories()));
        ArrayNode ic = root.putArray("itemCategory");
        for (int c : encoder.itemCategoryTable()) {
            ic.add(c);
        }
        return root;
    }

    private static ObjectNode vocab(IdVocabulary v) {
        ObjectNode o = JSON.createObjectNode();
        o.put("minCount", v.minCount());
        ArrayNode a = o.putArray("ids");
        for (String id : v.ids()) {
            a.add(id);
        }
        return o;
    }

    /**
     * @param json text written by {@link #toJson}
     * @return the encoder
     * @throws ModelFormatException when the text is not an encoder, is malformed or too new
     */
    public static SequenceEncoder fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException("sequence encoder: not valid JSON: " + e.getOriginalMessage(), e);
        }
        return fromJson(root);
    }

    /**
     * @param root a tree written by {@link #toJsonNode}
     * @return the encoder
     * @throws ModelFormatException when the tree is not an encoder, is malformed or too new
     */
    public static SequenceEncoder fromJson(JsonNode root) {
        HEADER.checkJson(root, null);
        try {
            int maxLen = required(root, "maxLen").asInt();
            SequenceEncoder.CategoryLevel level = SequenceEncoder.CategoryLevel.valueOf(required(root, "categoryLevel").asText());
            JsonNode g = required(root, "gapBoundariesMillis");
            long[] b = new long[g.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = g.get(i).asLong();
            }
            IdVocabulary it = readVocab(required(root, "items"));
            IdVocabulary ca = readVocab(required(root, "categories"));
            JsonNode ic = required(root, "itemCategory");
            int[] table = new int[ic.size()];
            for (int i = 0; i < table.length; i++) {
                table[i] = ic.get(i).asInt();
            }
            return new SequenceEncoder(it, ca, GapBuckets.of(b), maxLen, level, table);
        } catch (BadInputException | IllegalArgumentException e) {
            throw new ModelFormatException("sequence encoder: invalid content: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            throw new ModelFormatException("sequence encoder: missing field '" + field + "'");
        }
        return n;
    }

    private static IdVocabulary readVocab(JsonNode o) {
        JsonNode ids = required(o, "ids");
        List<String> l = new ArrayList<>(ids.size());
        for (JsonNode n : ids) {
            l.add(n.asText());
        }
        return IdVocabulary.of(l, required(o, "minCount").asInt());
    }

    /**
     * Writes the encoder as JSON, atomically and durably ({@link AtomicFiles}).
     *
     * @param encoder the encoder
     * @param file the target (replaced; its directory must exist)
     * @throws IOException when writing fails (the target is then unchanged)
     */
    public static void write(SequenceEncoder encoder, Path file) throws IOException {
        AtomicFiles.writeString(file, toJson(encoder), true);
    }

    /**
     * @param file a file written by {@link #write}
     * @return the encoder
     * @throws IOException when reading fails
     * @throws ModelFormatException when the file is not a valid encoder (the message names the file)
     */
    public static SequenceEncoder read(Path file) throws IOException {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (ModelFormatException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
    }
}
