package org.persona4j.features.encode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;

/**
 * A fitted mapping from string ids to dense indices, the one vocabulary of the SDK (feature
 * encoders, the feature pipeline, item features and the sequence encoder):
 * <ul>
 *   <li>{@link #PADDING} (0) is reserved for padding,</li>
 *   <li>{@link #OOV} (1) is the out-of-vocabulary bucket: unknown ids, ids seen fewer than
 *       {@code minCount} times, and null,</li>
 *   <li>{@link #FIRST_ID} (2) {@code .. size() - 1} are the known ids, most frequent first, ties
 *       broken by id (so fitting is deterministic).</li>
 * </ul>
 * Encoders that lay out "one slot per known id" use {@link #position(String)}, the 0-based
 * position among the known ids, rather than shifting {@link #index(String)} themselves.
 * Null and empty ids are never known. Immutable and thread-safe.
 */
public final class IdVocabulary {
    /** The padding index. */
    public static final int PADDING = 0;
    /** The out-of-vocabulary index. */
    public static final int OOV = 1;
    /** The index of the first known id; known ids take {@code FIRST_ID .. size() - 1}. */
    public static final int FIRST_ID = 2;
    /** {@link #position(String)} of an id that is not known. */
    public static final int NOT_KNOWN = -1;
    /** A {@code maxSize} that keeps every id reaching the minimum count. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    private final List<String> ids;
    private final Map<String, Integer> index;
    private final int minCount;

    private IdVocabulary(List<String> ids, int minCount) {
        this.ids = List.copyOf(ids);
        this.minCount = minCount;
        Map<String, Integer> m = new HashMap<>(this.ids.size() * 2);
        for (int i = 0; i < this.ids.size(); i++) {
            String id = this.ids.get(i);
            if (id.isEmpty()) {
                throw new BadInputException("vocabulary: id at position " + i + " is empty");
            }
            if (m.put(id, FIRST_ID + i) != null) {
                throw new BadInputException("vocabulary: duplicate id \"" + id + "\" at position " + i);
            }
        }
        this.index = m;
    }

    /**
     * Rebuilds a vocabulary from its known ids in index order (as saved): {@code ids.get(0)} gets
     * {@link #FIRST_ID}, and so on.
     *
     * @param ids known ids; not null, unique, no null or empty element
     * @param minCount the minimum count it was fitted with (recorded only), {@code >= 1}
     * @return the vocabulary
     * @throws BadInputException on a null, empty or duplicate id or a bad minimum count
     */
    public static IdVocabulary of(List<String> ids, int minCount) {
        if (ids == null) {
            throw new BadInputException("vocabulary: 'ids' is required, was null");
        }
        checkMinCount(minCount);
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) == null) {
                throw new BadInputException("vocabulary: 'ids[" + i + "]' is null");
            }
        }
        return new IdVocabulary(ids, minCount);
    }

    /**
     * Fits on ids, one element per occurrence (null and empty ids are ignored).
     *
     * @param values training ids
     * @param minCount ids occurring fewer times go to the OOV bucket, {@code >= 1}
     * @param maxSize at most this many known ids (the most frequent), {@code >= 0}; {@link #UNLIMITED} for no limit
     * @return the vocabulary
     * @throws BadInputException on a bad {@code minCount} or {@code maxSize}
     */
    public static IdVocabulary fit(Iterable<String> values, int minCount, int maxSize) {
        Counter c = counter();
        for (String v : values) {
            c.add(v);
        }
        return c.build(minCount, maxSize);
    }

    /**
     * Fits on ids with their counts (null and empty ids are ignored).
     *
     * @param counts occurrences per id
     * @param minCount ids seen fewer times go to the OOV bucket, {@code >= 1}
     * @param maxSize at most this many known ids (the most frequent), {@code >= 0}; {@link #UNLIMITED} for no limit
     * @return the vocabulary
     * @throws BadInputException on a bad {@code minCount} or {@code maxSize}, or a negative count
     */
    public static IdVocabulary fit(Map<String, Long> counts, int minCount, int maxSize) {
        Counter c = counter();
        counts.forEach(c::add);
        return c.build(minCount, maxSize);
    }

    /** @return a counter to fit a vocabulary incrementally */
    public static Counter counter() {
        return new Counter();
    }

    /**
     * @param id an id, may be null
     * @return its index ({@code >= FIRST_ID}), or {@link #OOV} for unknown and null ids
     */
    public int index(String id) {
        if (id == null) {
            return OOV;
        }
        Integer i = index.get(id);
        return i == null ? OOV : i;
    }

    /**
     * @param id an id, may be null
     * @return its 0-based position among the known ids ({@code index(id) - FIRST_ID}), or
     *     {@link #NOT_KNOWN} for unknown and null ids
     */
    public int position(String id) {
        int i = index(id);
        return i == OOV ? NOT_KNOWN : i - FIRST_ID;
    }

    /**
     * @param id an id
     * @return whether it has its own index
     */
    public boolean contains(String id) {
        return id != null && index.containsKey(id);
    }

    /**
     * @param index an index in {@code [FIRST_ID, size())}
     * @return the id at that index
     * @throws BadInputException for padding, OOV or out-of-range indices
     */
    public String id(int index) {
        if (index < FIRST_ID || index >= size()) {
            throw new BadInputException("vocabulary index " + index + " does not name an id: expected [" + FIRST_ID + ", " + size() + ")");
        }
        return ids.get(index - FIRST_ID);
    }

    /** @return the number of indices, padding and OOV included ({@code FIRST_ID + knownIds()}) */
    public int size() {
        return FIRST_ID + ids.size();
    }

    /** @return the number of known ids */
    public int knownIds() {
        return ids.size();
    }

    /** @return the known ids in index order (unmodifiable) */
    public List<String> ids() {
        return ids;
    }

    /** @return the minimum count the vocabulary was fitted with */
    public int minCount() {
        return minCount;
    }

    private static void checkMinCount(int minCount) {
        if (minCount < 1) {
            throw new BadInputException("vocabulary: 'minCount' must be >= 1, was " + minCount);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdVocabulary && ((IdVocabulary) o).ids.equals(ids) && ((IdVocabulary) o).minCount == minCount;
    }

    @Override
    public int hashCode() {
        return ids.hashCode() * 31 + minCount;
    }

    @Override
    public String toString() {
        return "IdVocabulary{" + ids.size() + " ids, minCount=" + minCount + "}";
    }

    /** Counts ids for {@link #build}; not thread-safe. */
    public static final class Counter {
        private final Map<String, long[]> counts = new HashMap<>();

        private Counter() {
        }

        /**
         * @param id an occurrence, ignored when null or empty
         * @return this
         */
        public Counter add(String id) {
            return add(id, 1);
        }

        /**
         * @param id an id, ignored when null or empty
         * @param count occurrences to add, {@code >= 0}
         * @return this
         * @throws BadInputException on a negative count
         */
        public Counter add(String id, long count) {
            if (count < 0) {
                throw new BadInputException("vocabulary counter: count must be >= 0, was " + count);
            }
            if (id != null && !id.isEmpty()) {
                counts.computeIfAbsent(id, k -> new long[1])[0] += count;
            }
            return this;
        }

        /**
         * @param minCount minimum occurrences for an own index, {@code >= 1}
         * @param maxSize at most this many known ids, {@code >= 0}; {@link #UNLIMITED} for no limit
         * @return the vocabulary
         * @throws BadInputException on bad arguments
         */
        public IdVocabulary build(int minCount, int maxSize) {
            checkMinCount(minCount);
            if (maxSize < 0) {
                throw new BadInputException("vocabulary: 'maxSize' must be >= 0, was " + maxSize);
            }
            List<Map.Entry<String, long[]>> es = new ArrayList<>();
            for (Map.Entry<String, long[]> e : counts.entrySet()) {
                if (e.getValue()[0] >= minCount) {
                    es.add(e);
                }
            }
            es.sort((a, b) -> {
                int c = Long.compare(b.getValue()[0], a.getValue()[0]);
                return c != 0 ? c : a.getKey().compareTo(b.getKey());
            });
            int n = Math.min(es.size(), maxSize);
            List<String> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ids.add(es.get(i).getKey());
            }
            return new IdVocabulary(ids, minCount);
        }
    }
}
