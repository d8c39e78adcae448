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
        for (Map.Entry<K, V> e : m.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new BadInputException("field '" + field + "': null key or value in " + m);
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
