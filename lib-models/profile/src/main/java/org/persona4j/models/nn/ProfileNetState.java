package org.persona4j.models.nn;

/**
 * The recurrent state of one user in a {@link LeanProfileNetwork}: output and cell arrays of every
 * LSTM layer, and the item index of the last event (for a network whose user vector adds the last
 * item's embedding). Immutable once shared: only {@link LeanProfileNetwork#stepInPlace}, called by the
 * state's sole owner, writes it after construction; accessors return copies.
 */
public final class ProfileNetState {
    final float[][] h;
    final float[][] c;
    int lastItem;

    ProfileNetState(float[][] h, float[][] c, int lastItem) {
        this.h = h;
        this.c = c;
        this.lastItem = lastItem;
    }

    /** @return the item index of the last event, or -1 before any event */
    public int lastItem() {
        return lastItem;
    }

    /** @return the number of LSTM layers */
    public int layers() {
        return h.length;
    }

    /** @return a copy of the last layer's output (the last hidden state) */
    public float[] lastHidden() {
        return h[h.length - 1].clone();
    }

    /**
     * @param layer a layer index
     * @return a copy of that layer's output
     */
    public float[] hidden(int layer) {
        return h[layer].clone();
    }

    /**
     * @param layer a layer index
     * @return a copy of that layer's cell state
     */
    public float[] cell(int layer) {
        return c[layer].clone();
    }
}
