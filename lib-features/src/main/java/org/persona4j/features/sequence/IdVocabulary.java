package org.persona4j.features.sequence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;

/**
 * A fitted vocabulary of string ids: index {@link #PADDING} (0) is reserved for padding,
 * {@link #OOV} (1) for ids not in the vocabulary (and for absent ids), and known ids get
 * {@code 2..size()-1}, most frequent first (ties broken by id, so fitting is deterministic).
 * Immutable and thread-safe.
 */
public final class IdVocabulary {
    /** The padding index. */
    public static final int PADDING = 0;
    /** The out-of-vocabulary index. */
    public static final int OOV = 1;
    /** The first index of a known id. */
    public static final int FIRST_ID = 2;

    private final List<String> ids;
    private final Map<String, Integer> index;
    private final int minCount;

    private IdVocabulary(List<String> ids, int minCount) {
        this.ids = List.copyOf(ids);
        this.minCount = minCount;
        this.index = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id == null || id.isEmpty()) {
                throw new BadInputException("vocabulary: id at position " + i + " is empty");
            }
            if (index.put(id, FIRST_ID + i) != null) {
                throw new BadInputException("vocabulary: duplicate id '" + id + "' at position " + i);
            }
        }
    }

    /**
     * Fits a vocabulary from ids with their counts.
     *
     * @param counts occurrences per id
     * @param minCount ids seen fewer times become out-of-vocabulary, {@code >= 1}
     * @param maxSize at most this many known ids are kept (the most frequent), {@code >= 0}; 0 for no limit
     * @return the vocabulary
     * @throws BadInputException on a bad {@code minCount} or {@code maxSize}
     */
    public static IdVocabulary fit(Map<String, Long> counts, int minCount, int maxSize) {
        if (minCount < 1) {
            throw new BadInputException("vocabulary: minCount must be >= 1, was " + minCount);
        }
        if (maxSize < 0) {
            throw new BadInputException("vocabulary: maxSize must be >= 0 (0 = no limit), was " + maxSize);
        }
        List<Map.Entry<String, Long>> kept = new ArrayList<>();
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (e.getKey() != null && !e.getKey().isEmpty() && e.getValue() >= minCount) {
                kept.add(e);
            }
        }
        kept.sort((a, b) -> {
            int c = Long.compare(b.getValue(), a.getValue());
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
        int n = maxSize == 0 ? kept.size() : Math.min(maxSize, kept.size());
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(kept.get(i).getKey());
        }
        return new IdVocabulary(ids, minCount);
    }

    /**
     * A vocabulary of the given ids in the given order (ids get {@code 2, 3, ...}).
     *
     * @param ids distinct, non-empty ids
     * @param minCount the minimum count it was fitted with (recorded only)
     * @return the vocabulary
     * @throws BadInputException on an empty or duplicate id
     */
    public static IdVocabulary of(List<String> ids, int minCount) {
        return new IdVocabulary(ids, minCount);
    }

    /**
     * @param id an id, may be null
     * @return its index, or {@link #OOV} when unknown or null
     */
    public int index(String id) {
        if (id == null) {
            return OOV;
        }
        Integer i = index.get(id);
        return i == null ? OOV : i;
    }

    /**
     * @param id an id
     * @return whether the id is in the vocabulary
     */
    public boolean contains(String id) {
        return id != null && index.containsKey(id);
    }

    /**
     * @param index an index in {@code [2, size())}
     * @return the id at that index
     * @throws BadInputException for padding, OOV or out-of-range indices
     */
    public String id(int index) {
        if (index < FIRST_ID || index >= size()) {
            throw new BadInputException("vocabulary index " + index + " does not name an id: expected [" + FIRST_ID + ", " + size() + ")");
        }
        return ids.get(index - FIRST_ID);
    }

    /** @return the number of indices, padding and OOV included ({@code knownIds() + 2}) */
    public int size() {
        return ids.size() + FIRST_ID;
    }

    /** @return the number of known ids */
    public int knownIds() {
        return ids.size();
    }

    /** @return the known ids in index order (unmodifiable) */
    public List<String> ids() {
        return Collections.unmodifiableList(ids);
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
        return "IdVocabulary{" + ids.size() + " ids, minCount=" + minCount + "}";
    }
}
