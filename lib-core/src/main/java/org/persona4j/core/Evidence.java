package org.persona4j.core;

import java.util.Map;

/**
 * Helpers for the evidence maps carried by {@link Tag} and {@link Reason}: small ordered maps from a
 * name ("item", "category", "score") to a value as text.
 */
public final class Evidence {
    private Evidence() {
    }

    /**
     * @param keyValues alternating keys and values; values are turned into text
     * @return an ordered unmodifiable map
     * @throws BadInputException when the count is odd or a key is null
     */
    public static Map<String, String> of(Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new BadInputException("evidence: expected key/value pairs, got " + keyValues.length + " values");
        }
        java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i] == null) {
                throw new BadInputException("evidence: key " + (i / 2) + " is null");
            }
            m.put(keyValues[i].toString(), String.valueOf(keyValues[i + 1]));
        }
        return Checks.frozen(m);
    }
}
