package org.persona4j.features.encode;

import java.util.ArrayList;
import java.util.List;
import org.persona4j.core.BadInputException;

/**
 * Multi-hot encoding of a set-valued attribute, in particular a category path: every prefix of the
 * path ({@code "Beauty"}, {@code "Beauty > Skin care"}) sets its own slot, so that related paths
 * share their ancestors. Slot 0 is "other" (a value or prefix not in the vocabulary). Immutable and
 * thread-safe.
 *
 * @param name the field-name prefix ("category")
 * @param vocabulary the known values (for paths: the prefixes joined with {@code " > "})
 */
public record MultiHotEncoder(String name, IdVocabulary vocabulary) {
    /** The separator of path prefixes. */
    public static final String PATH_SEPARATOR = " > ";
    /** The slot of values not in the vocabulary. */
    public static final int OTHER_SLOT = 0;
    /** The slot of the first known value; known values follow in vocabulary order. */
    public static final int FIRST_VALUE_SLOT = 1;

    /** Validates. @throws BadInputException on a null argument */
    public MultiHotEncoder {
        if (name == null || name.isBlank() || vocabulary == null) {
            throw new BadInputException("multi-hot encoder: 'name' and 'vocabulary' are required");
        }
    }

    /**
     * @param path a category path from the root, may be null or empty
     * @return its prefixes joined with {@code " > "}, shortest first
     */
    public static List<String> prefixes(List<String> path) {
        List<String> out = new ArrayList<>();
        if (path == null) {
            return out;
        }
        StringBuilder sb = new StringBuilder();
        for (String p : path) {
            if (sb.length() > 0) {
                sb.append(PATH_SEPARATOR);
            }
            sb.append(p);
            out.add(sb.toString());
        }
        return out;
    }

    /** @return the number of slots */
    public int width() {
        return FIRST_VALUE_SLOT + vocabulary.knownIds();
    }

    /**
     * @param value a value, may be null
     * @return its slot: {@link #OTHER_SLOT} when not in the vocabulary, else
     *     {@code FIRST_VALUE_SLOT + position}
     */
    public int slotOf(String value) {
        int p = vocabulary.position(value);
        return p == IdVocabulary.NOT_KNOWN ? OTHER_SLOT : FIRST_VALUE_SLOT + p;
    }

    /**
     * Sets the slots of the given values to 1.
     *
     * @param values values (or path prefixes), may be null
     * @param out the vector
     * @param offset where this block starts
     */
    public void encode(Iterable<String> values, float[] out, int offset) {
        if (values == null) {
            return;
        }
        for (String v : values) {
            out[offset + slotOf(v)] = 1f;
        }
    }

    /**
     * Sets the slots of every prefix of a category path.
     *
     * @param path the path, may be null
     * @param out the vector
     * @param offset where this block starts
     */
    public void encodePath(List<String> path, float[] out, int offset) {
        encode(prefixes(path), out, offset);
    }

    /** @return field names in slot order */
    public List<String> fieldNames() {
        List<String> n = new ArrayList<>(width());
        n.add(name + "=<other>");
        for (String v : vocabulary.ids()) {
            n.add(name + "=" + v);
        }
        return n;
    }
}
