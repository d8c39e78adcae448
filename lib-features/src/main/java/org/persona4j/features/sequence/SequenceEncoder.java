package org.persona4j.features.sequence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.FeatureSchema;
import org.persona4j.core.Item;
import org.persona4j.core.ModelFormatException;
import org.persona4j.features.encode.IdVocabulary;

/**
 * Turns a user's history into aligned index arrays (item, event type, category, time-gap bucket)
 * for the sequence model, and encodes single events for serving.
 *
 * <p>Fitted once on training events with {@link #builder()}; the item-to-category table is
 * captured at fit time from the catalogue, so a fitted encoder is self-contained (a saved encoder
 * needs no catalogue). Immutable and thread-safe.
 *
 * <p>The gap of an event is measured from the user's previous event in the <em>whole</em> history,
 * also when the history is left-truncated, so that {@link #encode(List)} and event-by-event
 * {@link #encodeStep(BehaviorEvent, long)} agree.
 *
 * <p>Saving and loading: {@link SequenceEncoderJson}.
 */
public final class SequenceEncoder {
    /**
     * The JSON format version written and the newest read.
     *
     * @deprecated use {@link SequenceEncoderJson#FORMAT_VERSION}
     */
    @Deprecated
    public static final int FORMAT_VERSION = SequenceEncoderJson.FORMAT_VERSION;

    /** Which level of an item's category path is the category index. */
    public enum CategoryLevel {
        /** The deepest category ({@link Item#leafCategory()}). */
        LEAF,
        /** The top-level category ({@link Item#topCategory()}). */
        TOP,
        /** The whole path joined with {@code " > "} ({@link Item#categoryLabel()}). */
        PATH;

        String of(Item item) {
            switch (this) {
                case TOP:
                    return item.topCategory();
                case PATH:
                    return item.categoryPath().isEmpty() ? null : item.categoryLabel();
                default:
                    return item.leafCategory();
            }
        }
    }

    private final IdVocabulary items;
    private final IdVocabulary categories;
    private final GapBuckets gaps;
    private final int maxLen;
    private final CategoryLevel categoryLevel;
    private final int[] itemCategory; // by item index

    /** For the builder and {@link SequenceEncoderJson}; validates the table against the vocabularies. */
    SequenceEncoder(IdVocabulary items, IdVocabulary categories, GapBuckets gaps, int maxLen,
                    CategoryLevel categoryLevel, int[] itemCategory) {
        if (maxLen < 1) {
            throw new BadInputException("sequence encoder: maxLen must be >= 1, was " + maxLen);
        }
        if (itemCategory.length != items.size()) {
            throw new BadInputException("sequence encoder: item category table has " + itemCategory.length
                    + " entries, expected " + items.size());
        }
        for (int i = 0; i < itemCategory.length; i++) {
            if (itemCategory[i] < 0 || itemCategory[i] >= categories.size()) {
                throw new BadInputException("sequence encoder: item category table entry " + i + " = " + itemCategory[i]
                        + " outside [0, " + categories.size() + ")");
            }
        }
        this.items = items;
        this.categories = categories;
        this.gaps = gaps;
        this.maxLen = maxLen;
        this.categoryLevel = categoryLevel;
        this.itemCategory = itemCategory;
    }

    /** @return a builder with defaults: maxLen 50, min counts 1, no size limit, LEAF categories, default gaps */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the item vocabulary */
    public IdVocabulary items() {
        return items;
    }

    /** @return the category vocabulary */
    public IdVocabulary categories() {
        return categories;
    }

    /** @return the time-gap buckets */
    public GapBuckets gaps() {
        return gaps;
    }

    /** @return the maximum encoded length N */
    public int maxLen() {
        return maxLen;
    }

    /** @return the category level used */
    public CategoryLevel categoryLevel() {
        return categoryLevel;
    }

    /** The item-to-category table by item index (not copied: for {@link SequenceEncoderJson}, which does not modify it). */
    int[] itemCategoryTable() {
        return itemCategory;
    }

    /** @return the number of event-type indices, padding included */
    public int typeCount() {
        return EventTypeIndex.size();
    }

    /**
     * @param itemIndex an item index from {@link #items()}
     * @return the category index of that item ({@link IdVocabulary#OOV} for OOV items or unknown categories)
     */
    public int categoryOfItem(int itemIndex) {
        if (itemIndex < 0 || itemIndex >= itemCategory.length) {
            throw new BadInputException("item index " + itemIndex + " outside [0, " + itemCategory.length + ")");
        }
        return itemCategory[itemIndex];
    }

    /**
     * Encodes one event for serving.
     *
     * @param event the event, not null
     * @param previousMillis the time of the user's previous event, or -1 when this is the first
     * @return the encoded step
     * @throws BadInputException when the event is null
     */
    public EncodedStep encodeStep(BehaviorEvent event, long previousMillis) {
        if (event == null) {
            throw new BadInputException("sequence encoder: event is required, was null");
        }
        int item = items.index(event.itemId());
        return new EncodedStep(item, EventTypeIndex.index(event.type()), itemCategory[item],
                gaps.bucket(previousMillis, event.timestampMillis()));
    }

    /**
     * Encodes a history, keeping its last {@link #maxLen()} events, padded on the right to
     * {@code maxLen} (mask 0 on padding).
     *
     * @param history the events oldest first, not null (may be empty)
     * @return arrays of length {@code maxLen}
     */
    public EncodedSequence encode(List<BehaviorEvent> history) {
        return encode(history, maxLen, true);
    }

    /**
     * Encodes the last {@code limit} events of a history.
     *
     * @param history the events oldest first, not null (may be empty)
     * @param limit the maximum number of events kept (the most recent), {@code >= 1}
     * @param pad whether to pad the arrays to {@code limit} (else their length is the number kept)
     * @return the encoded sequence
     */
    public EncodedSequence encode(List<BehaviorEvent> history, int limit, boolean pad) {
        if (history == null) {
            throw new BadInputException("sequence encoder: history is required, was null");
        }
        if (limit < 1) {
            throw new BadInputException("sequence encoder: limit must be >= 1, was " + limit);
        }
        int n = history.size();
        int kept = Math.min(n, limit);
        int cap = pad ? limit : kept;
        int[] it = new int[cap];
        int[] ty = new int[cap];
        int[] ca = new int[cap];
        int[] ga = new int[cap];
        int start = n - kept;
        for (int i = 0; i < kept; i++) {
            BehaviorEvent e = history.get(start + i);
            if (e == null) {
                throw new BadInputException("sequence encoder: history event " + (start + i) + " is null");
            }
            long prev = start + i == 0 ? -1 : history.get(start + i - 1).timestampMillis();
            EncodedStep s = encodeStep(e, prev);
            it[i] = s.item();
            ty[i] = s.type();
            ca[i] = s.category();
            ga[i] = s.gap();
        }
        return new EncodedSequence(it, ty, ca, ga, kept);
    }

    /**
     * The schema of the encoded values (four INDEX fields with their vocabulary sizes and the
     * maximum length); its hash ties a trained model to this encoder.
     *
     * @return the schema
     */
    public FeatureSchema schema() {
        List<FeatureSchema.Field> f = new ArrayList<>();
        f.add(new FeatureSchema.Field("seq.item", FeatureSchema.Type.INDEX, 0, items.size() - 1, items.size()));
        f.add(new FeatureSchema.Field("seq.type", FeatureSchema.Type.INDEX, 0, EventTypeIndex.size() - 1, EventTypeIndex.size()));
        f.add(new FeatureSchema.Field("seq.category." + categoryLevel.name().toLowerCase(Locale.ROOT), FeatureSchema.Type.INDEX,
                0, categories.size() - 1, categories.size()));
        f.add(new FeatureSchema.Field("seq.gap" + Arrays.toString(gaps.boundariesMillis()).replace(" ", ""),
                FeatureSchema.Type.INDEX, 0, gaps.size() - 1, gaps.size()));
        f.add(new FeatureSchema.Field("seq.maxLen=" + maxLen, FeatureSchema.Type.NUMERIC, maxLen, maxLen, 0));
        return new FeatureSchema(f);
    }

    /**
     * @return the stable JSON text of this encoder
     * @deprecated use {@link SequenceEncoderJson#toJson(SequenceEncoder)}
     */
    @Deprecated
    public String toJson() {
        return SequenceEncoderJson.toJson(this);
    }

    /**
     * @return the encoder as a JSON tree
     * @deprecated use {@link SequenceEncoderJson#toJsonNode(SequenceEncoder)}
     */
    @Deprecated
    public ObjectNode toJsonNode() {
        return SequenceEncoderJson.toJsonNode(this);
    }

    /**
     * @param json the text
     * @return the encoder
     * @throws ModelFormatException when the text is not an encoder, is malformed or too new
     * @deprecated use {@link SequenceEncoderJson#fromJson(String)}
     */
    @Deprecated
    public static SequenceEncoder fromJson(String json) {
        return SequenceEncoderJson.fromJson(json);
    }

    /**
     * @param root the tree
     * @return the encoder
     * @throws ModelFormatException when the tree is not an encoder, is malformed or too new
     * @deprecated use {@link SequenceEncoderJson#fromJson(JsonNode)}
     */
    @Deprecated
    public static SequenceEncoder fromJson(JsonNode root) {
        return SequenceEncoderJson.fromJson(root);
    }

    /**
     * @param file the target
     * @throws IOException when writing fails
     * @deprecated use {@link SequenceEncoderJson#write(SequenceEncoder, Path)}
     */
    @Deprecated
    public void save(Path file) throws IOException {
        SequenceEncoderJson.write(this, file);
    }

    /**
     * @param file a saved encoder
     * @return the encoder
     * @throws IOException when reading fails
     * @throws ModelFormatException when the file is not a valid encoder (the message names the file)
     * @deprecated use {@link SequenceEncoderJson#read(Path)}
     */
    @Deprecated
    public static SequenceEncoder load(Path file) throws IOException {
        return SequenceEncoderJson.read(file);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SequenceEncoder)) {
            return false;
        }
        SequenceEncoder s = (SequenceEncoder) o;
        return maxLen == s.maxLen && categoryLevel == s.categoryLevel && items.equals(s.items)
                && categories.equals(s.categories) && gaps.equals(s.gaps) && Arrays.equals(itemCategory, s.itemCategory);
    }

    @Override
    public int hashCode() {
        return items.hashCode() * 31 + categories.hashCode();
    }

    @Override
    public String toString() {
        return "SequenceEncoder{items=" + items.knownIds() + ", categories=" + categories.knownIds() + ", gaps=" + gaps
                + ", maxLen=" + maxLen + ", level=" + categoryLevel + "}";
    }

    /** Fits a {@link SequenceEncoder}; fail-fast setters naming the bad value. */
    public static final class Builder {
        private int maxLen = 50;
        private int minItemCount = 1;
        private int minCategoryCount = 1;
        private int maxItems;
        private CategoryLevel level = CategoryLevel.LEAF;
        private GapBuckets gaps = GapBuckets.defaults();

        private Builder() {
        }

        /** @param v maximum encoded length N, {@code >= 1} @return this */
        public Builder maxLen(int v) {
            if (v < 1) {
                throw new BadInputException("maxLen must be >= 1, was " + v);
            }
            this.maxLen = v;
            return this;
        }

        /** @param v items seen fewer times become OOV, {@code >= 1} @return this */
        public Builder minItemCount(int v) {
            if (v < 1) {
                throw new BadInputException("minItemCount must be >= 1, was " + v);
            }
            this.minItemCount = v;
            return this;
        }

        /** @param v categories seen fewer times become OOV, {@code >= 1} @return this */
        public Builder minCategoryCount(int v) {
            if (v < 1) {
                throw new BadInputException("minCategoryCount must be >= 1, was " + v);
            }
            this.minCategoryCount = v;
            return this;
        }

        /** @param v keep at most this many items (most frequent), 0 = no limit @return this */
        public Builder maxItems(int v) {
            if (v < 0) {
                throw new BadInputException("maxItems must be >= 0, was " + v);
            }
            this.maxItems = v;
            return this;
        }

        /** @param v the category level, not null @return this */
        public Builder categoryLevel(CategoryLevel v) {
            if (v == null) {
                throw new BadInputException("categoryLevel must not be null");
            }
            this.level = v;
            return this;
        }

        /** @param v the gap buckets, not null @return this */
        public Builder gaps(GapBuckets v) {
            if (v == null) {
                throw new BadInputException("gaps must not be null");
            }
            this.gaps = v;
            return this;
        }

        /**
         * Fits the vocabularies on events (counting each event's item and its category).
         *
         * @param events training events, not null
         * @param catalog the catalogue for item categories, or null for none
         * @return the fitted encoder
         */
        public SequenceEncoder fit(Iterable<BehaviorEvent> events, Catalog catalog) {
            if (events == null) {
                throw new BadInputException("sequence encoder: events are required, was null");
            }
            Map<String, Long> itemCounts = new HashMap<>();
            for (BehaviorEvent e : events) {
                if (e.itemId() != null) {
                    itemCounts.merge(e.itemId(), 1L, Long::sum);
                }
            }
            IdVocabulary iv = IdVocabulary.fit(itemCounts, minItemCount, maxItems == 0 ? IdVocabulary.UNLIMITED : maxItems);
            Map<String, String> categoryOfItem = new HashMap<>();
            Map<String, Long> catCounts = new HashMap<>();
            if (catalog != null) {
                for (String id : iv.ids()) { // categories of kept items only: OOV items map to the OOV category
                    String c = catalog.item(id).map(level::of).orElse(null);
                    if (c != null) {
                        categoryOfItem.put(id, c);
                        catCounts.merge(c, itemCounts.get(id), Long::sum);
                    }
                }
            }
            IdVocabulary cv = IdVocabulary.fit(catCounts, minCategoryCount, IdVocabulary.UNLIMITED);
            int[] table = new int[iv.size()];
            table[IdVocabulary.OOV] = IdVocabulary.OOV;
            for (int i = IdVocabulary.FIRST_ID; i < iv.size(); i++) {
                table[i] = cv.index(categoryOfItem.get(iv.id(i)));
            }
            return new SequenceEncoder(iv, cv, gaps, maxLen, level, table);
        }
    }
}
