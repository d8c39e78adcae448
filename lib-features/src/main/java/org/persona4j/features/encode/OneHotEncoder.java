package org.persona4j.features.encode;

import java.util.ArrayList;
import java.util.List;
import org.persona4j.core.BadInputException;

/**
 * One-hot encoding of a categorical attribute over a fitted {@link IdVocabulary}: slot 0 is
 * "missing" (null or blank value), slot 1 "other" (a value not in the vocabulary), then one slot
 * per known value. Immutable and thread-safe.
 *
 * @param name the attribute name, used as the field-name prefix ("gender")
 * @param vocabulary the known values
 */
public record OneHotEncoder(String name, IdVocabulary vocabulary) {
    /** The slot of a missing (null or blank) value. */
    public static final int MISSING_SLOT = 0;
    /** The slot of a value not in the vocabulary. */
    public static final int OTHER_SLOT = 1;
    /** The slot of the first known value; known values follow in vocabulary order. */
    public static final int FIRST_VALUE_SLOT = 2;

    /** Validates. @throws BadInputException on a null argument */
    public OneHotEncoder {
        if (name == null || name.isBlank() || vocabulary == null) {
            throw new BadInputException("one-hot encoder: 'name' and 'vocabulary' are required");
        }
    }

    /** @return the number of slots written by {@link #encode} */
    public int width() {
        return FIRST_VALUE_SLOT + vocabulary.knownIds();
    }

    /**
     * @param value the value, null or blank for missing
     * @return the slot that {@link #encode} sets
     */
    public int slotOf(String value) {
        if (value == null || value.isBlank()) {
            return MISSING_SLOT;
        }
        int p = vocabulary.position(value);
        return p == IdVocabulary.NOT_KNOWN ? OTHER_SLOT : FIRST_VALUE_SLOT + p;
    }

    /**
     * Sets exactly one of {@code out[offset .. offset + width())} to 1 (others untouched).
     *
     * @param value the value, null or blank for missing
     * @param out the vector
     * @param offset where this block starts
     */
    public void encode(String value, float[] out, int offset) {
        out[offset + slotOf(value)] = 1f;
    }

    /** @return field names in slot order: {@code name=<missing>}, {@code name=<other>}, {@code name=value}... */
    public List<String> fieldNames() {
        List<String> n = new ArrayList<>(width());
        n.add(name + "=<missing>");
        n.add(name + "=<other>");
        for (String v : vocabulary.ids()) {
            n.add(name + "=" + v);
        }
        return n;
    }
}
