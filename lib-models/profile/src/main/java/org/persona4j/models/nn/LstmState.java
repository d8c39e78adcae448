package org.persona4j.models.nn;

import java.util.Arrays;

/**
 * The recurrent state of one user: the LSTM output {@code h} and cell {@code c}. Immutable: the
 * arrays are never changed after construction and {@link #h()} / {@link #c()} return copies.
 */
public final class LstmState {
    final float[] h;
    final float[] c;

    LstmState(float[] h, float[] c) {
        this.h = h;
        this.c = c;
    }

    /** The all-zero state of a model with {@code hidden} units (the state before any event). */
    public static LstmState zero(int hidden) {
        if (hidden <= 0) {
            throw new IllegalArgumentException("hidden must be > 0, was " + hidden);
        }
        return new LstmState(new float[hidden], new float[hidden]);
    }

    /** Number of hidden units. */
    public int size() {
        return h.length;
    }

    /** A copy of the output (the user embedding). */
    public float[] h() {
        return h.clone();
    }

    /** A copy of the cell state. */
    public float[] c() {
        return c.clone();
    }

    @Override
    public String toString() {
        return "LstmState[h=" + Arrays.toString(Arrays.copyOf(h, Math.min(4, h.length))) + "...]";
    }
}
