package org.persona4j.features.aggregate;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Assigns dense ids {@code 0, 1, 2, ...} to names in first-seen order. Thread-safe: lookups are
 * lock-free, new names are added under a lock.
 */
public final class Interner {
    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private volatile String[] names = new String[16];
    private int size;

    /** An empty interner. */
    public Interner() {
    }

    /**
     * @param name a name, not null
     * @return its id, assigned on first sight
     */
    public int intern(String name) {
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
     * @param name a name
     * @return its id, or -1 when never interned
     */
    public int idOf(String name) {
        Integer id = name == null ? null : ids.get(name);
        return id == null ? -1 : id;
    }

    /**
     * @param id an id returned by {@link #intern}
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
