package org.persona4j.features.sequence;

import java.util.Arrays;
import org.persona4j.core.BadInputException;

/**
 * A history encoded as aligned int arrays of equal length: item, event type, category and gap
 * indices, and a mask (1 for a real event, 0 for padding). Real events come first (oldest first),
 * padding (index 0) after them. Immutable: the accessors return copies.
 */
public final class EncodedSequence {
    private final int[] items;
    private final int[] types;
    private final int[] categories;
    private final int[] gaps;
    private final int length;

    EncodedSequence(int[] items, int[] types, int[] categories, int[] gaps, int length) {
        if (types.length != items.length || categories.length != items.length || gaps.length != items.length
                || length < 0 || length > items.length) {
            throw new BadInputException("encoded sequence: arrays must have equal lengths and length <= capacity");
        }
        this.items = items;
        this.types = types;
        this.categories = categories;
        this.gaps = gaps;
        this.length = length;
    }

    /** @return the number of real (unmasked) events */
    public int length() {
        return length;
    }

    /** @return the array length (real events plus padding) */
    public int capacity() {
        return items.length;
    }

    /** @return item indices */
    public int[] items() {
        return items.clone();
    }

    /** @return event-type indices */
    public int[] types() {
        return types.clone();
    }

    /** @return category indices */
    public int[] categories() {
        return categories.clone();
    }

    /** @return gap-bucket indices */
    public int[] gaps() {
        return gaps.clone();
    }

    /** @return the mask: 1 for the first {@link #length()} positions, 0 after */
    public float[] mask() {
        float[] m = new float[items.length];
        Arrays.fill(m, 0, length, 1f);
        return m;
    }

    /**
     * @param i a position in {@code [0, length())}
     * @return the step at that position
     */
    public EncodedStep step(int i) {
        if (i < 0 || i >= length) {
            throw new BadInputException("encoded sequence: position " + i + " outside [0, " + length + ")");
        }
        return new EncodedStep(items[i], types[i], categories[i], gaps[i]);
    }

    /** Package-private raw access for encoders in this package (no copy). */
    int itemAt(int i) {
        return items[i];
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EncodedSequence)) {
            return false;
        }
        EncodedSequence s = (EncodedSequence) o;
        return length == s.length && Arrays.equals(items, s.items) && Arrays.equals(types, s.types)
                && Arrays.equals(categories, s.categories) && Arrays.equals(gaps, s.gaps);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(items) * 31 + length;
    }

    @Override
    public String toString() {
        return "EncodedSequence{length=" + length + ", capacity=" + items.length + "}";
    }
}
