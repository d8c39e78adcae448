package org.persona4j.features.aggregate;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A growing dictionary of names (categories, brands): assigns dense ids {@code 0, 1, 2, ...} in
 * first-seen order and maps them back, so that aggregates can store small ints instead of strings.
 * Not to be confused with {@code org.persona4j.io.Interner}, which only shares {@code String}
 * instances while reading files. Thread-safe: lookups are lock-free, new names are added under a
 * lock.
 */
public final class NameDictionary {
    /** {@link #idOf(String)} of a name never assigned. */
    public static final int NO_ID = -1;

    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private volatile String[] names = new String[16];
    private int size;

    /** An empty dictionary. */
    public NameDictionary() {
    }

    /**
     * @param name a name, not null
     * @return its id, the next free one when the name is new
     */
    public int assign(String name) {
        Integer id = ids.get(name);
        if (id != null) {
            return id;
        }
        synchronized (this) {
            id = ids.get(name);
            if (id != null) {
                return id;
            }
            String[] n = names;
            if (size == n.length) {
                n = Arrays.copyOf(n, n.length * 2);
            }
            n[size] = name;
            names = n;
            int fresh = size++;
            ids.put(name, fresh);
            return fresh;
        }
    }

    /**
     * @param name a name, may be null
     * @return its id, or {@link #NO_ID} when never assigned
     */
    public int idOf(String name) {
        Integer id = name == null ? null : ids.get(name);
        return id == null ? NO_ID : id;
    }

    /**
     * @param id an id returned by {@link #assign}
     * @return its name
     */
    public String name(int id) {
        return names[id];
    }

    /** @return the number of names */
    public int size() {
        return ids.size();
    }
}
