package org.persona4j.features.encode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;

/**
 * A fitted mapping from string ids to dense indices: index {@value #PAD} is padding, index
 * {@value #OOV} the out-of-vocabulary bucket (unknown ids, ids seen fewer than {@code minCount}
 * times, and null), and {@code 2..size()-1} the known ids ordered by descending training count,
 * ties broken by id. Immutable and thread-safe.
 */
public final class IdVocabulary {
    /** Index reserved for padding. */
    public static final int PAD = 0;
    /** Index of the out-of-vocabulary bucket. */
    public static final int OOV = 1;

    private final List<String> ids;
    private final Map<String, Integer> index;
    private final int minCount;

    private IdVocabulary(List<String> ids, int minCount) {
        this.ids = List.copyOf(ids);
        this.minCount = minCount;
        Map<String, Integer> m = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < this.ids.size(); i++) {
            if (m.put(this.ids.get(i), i + 2) != null) {
                throw new BadInputException("vocabulary: duplicate id \"" + this.ids.get(i) + "\"");
            }
        }
        this.index = m;
    }

    /**
     * Rebuilds a vocabulary from its known ids in index order (as saved).
     *
     * @param ids known ids, index 2 first; not null, unique, no null element
     * @param minCount the minimum count it was fitted with (recorded only)
     * @return the vocabulary
     * @throws BadInputException on a null, duplicate id or bad minimum count
     */
    public static IdVocabulary of(List<String> ids, int minCount) {
        if (ids == null) {
            throw new BadInputException("vocabulary: 'ids' is required, was null");
        }
        if (minCount < 1) {
            throw new BadInputException("vocabulary: 'minCount' must be >= 1, was " + minCount);
        }
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) == null) {
                throw new BadInputException("vocabulary: 'ids[" + i + "]' is null");
            }
        }
        return new IdVocabulary(ids, minCount);
    }

    /**
     * Fits on the given ids (nulls are ignored).
     *
     * @param values training ids, one per occurrence
     * @param minCount ids occurring fewer times go to the OOV bucket, {@code >= 1}
     * @param maxSize at most this many known ids (the most frequent), {@code >= 0}
     * @return the vocabulary
     */
    public static IdVocabulary fit(Iterable<String> values, int minCount, int maxSize) {
        Counter c = counter();
        for (String v : values) {
            c.add(v);
        }
        return c.build(minCount, maxSize);
    }

    /** @return a counter to fit a vocabulary incrementally */
    public static Counter counter() {
        return new Counter();
    }

    /**
     * @param id an id, may be null
     * @return its index, or {@link #OOV} for unknown and null ids
     */
    public int indexOf(String id) {
        if (id == null) {
            return OOV;
        }
        Integer i = index.get(id);
        return i == null ? OOV : i;
    }

    /**
     * @param id an id
     * @return whether it has its own index
     */
    public boolean contains(String id) {
        return id != null && index.containsKey(id);
    }

    /** @return the number of indices including padding and OOV */
    public int size() {
        return ids.size() + 2;
    }

    /** @return the number of known ids */
    public int knownSize() {
        return ids.size();
    }

    /**
     * @param index an index in {@code [0, size())}
     * @return the id, or {@code "<pad>"} / {@code "<oov>"} for the reserved indices
     * @throws BadInputException when out of range
     */
    public String idAt(int index) {
        if (index < 0 || index >= size()) {
            throw new BadInputException("vocabulary index " + index + " out of range [0, " + size() + ")");
        }
        return index == PAD ? "<pad>" : index == OOV ? "<oov>" : ids.get(index - 2);
    }

    /** @return the known ids in index order (unmodifiable) */
    public List<String> ids() {
        return ids;
    }

    /** @return the minimum count the vocabulary was fitted with */
    public int minCount() {
        return minCount;
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
        return "IdVocabulary{known=" + ids.size() + ", minCount=" + minCount + "}";
    }

    /** Counts ids for {@link #build}; not thread-safe. */
    public static final class Counter {
        private final Map<String, long[]> counts = new HashMap<>();

        private Counter() {
        }

        /**
         * @param id an occurrence, ignored when null
         * @return this
         */
        public Counter add(String id) {
            if (id != null) {
                counts.computeIfAbsent(id, k -> new long[1])[0]++;
            }
            return this;
        }

        /**
         * @param id an id, ignored when null
         * @param count occurrences to add, {@code >= 0}
         * @return this
         */
        public Counter add(String id, long count) {
            if (count < 0) {
                throw new BadInputException("vocabulary counter: count must be >= 0, was " + count);
            }
            if (id != null) {
                counts.computeIfAbsent(id, k -> new long[1])[0] += count;
            }
            return this;
        }

        /**
         * @param minCount minimum occurrences for an own index, {@code >= 1}
         * @param maxSize at most this many known ids, {@code >= 0}
         * @return the vocabulary
         * @throws BadInputException on bad arguments
         */
        public IdVocabulary build(int minCount, int maxSize) {
            if (minCount < 1) {
                throw new BadInputException("vocabulary: 'minCount' must be >= 1, was " + minCount);
            }
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
            List<String> ids = new ArrayList<>(Math.min(es.size(), maxSize));
            for (int i = 0; i < es.size() && i < maxSize; i++) {
                ids.add(es.get(i).getKey());
            }
            return new IdVocabulary(Collections.unmodifiableList(ids), minCount);
        }
    }
}
