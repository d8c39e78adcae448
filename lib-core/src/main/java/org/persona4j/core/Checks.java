package org.persona4j.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Argument checks shared by the domain types; every message names the field and the bad value. */
final class Checks {
    private Checks() {
    }

    static String requireId(String field, String value) {
        if (value == null) {
            throw new BadInputException("field '" + field + "': required, was null");
        }
        if (value.isBlank()) {
            throw new BadInputException("field '" + field + "': must not be blank, was \"" + value + "\"");
        }
        return value;
    }

    static double requireFiniteOrNaN(String field, double value, double min) {
        if (Double.isNaN(value)) {
            return value;
        }
        if (Double.isInfinite(value) || value < min) {
            throw new BadInputException("field '" + field + "': expected a finite number >= " + min + ", was " + value);
        }
        return value;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static <K, V> Map<K, V> copyOrdered(String field, Map<K, V> m) {
        if (m == null || m.isEmpty()) {
            return Map.of();
        }
        if (m instanceof Frozen<K, V>) {
            return m; // already an unmodifiable, ordered, checked copy: no second copy
        }
        for (Map.Entry<K, V> e : m.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new BadInputException("field '" + field + "': null key or value in " + m);
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /**
     * @param m a map built by the caller alone, with no null key or value, not changed afterwards
     * @return an unmodifiable view in its order, which {@link #copyOrdered} passes on without copying
     */
    static <K, V> Map<K, V> frozen(java.util.LinkedHashMap<K, V> m) {
        return m.isEmpty() ? Map.of() : new Frozen<>(m);
    }

    /** An unmodifiable, insertion-ordered map whose keys and values were checked when it was built. */
    private static final class Frozen<K, V> extends java.util.AbstractMap<K, V> {
        private final Map<K, V> m;

        Frozen(java.util.LinkedHashMap<K, V> m) {
            this.m = Collections.unmodifiableMap(m);
        }

        @Override
        public java.util.Set<Map.Entry<K, V>> entrySet() {
            return m.entrySet();
        }

        @Override
        public V get(Object key) {
            return m.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return m.containsKey(key);
        }

        @Override
        public int size() {
            return m.size();
        }
    }
}
