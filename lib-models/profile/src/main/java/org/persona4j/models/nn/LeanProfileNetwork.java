package org.persona4j.models.nn;

/**
 * The deep profile network on plain arrays: embeddings of item, event type, category and time-gap
 * indices, concatenated, then a stack of LSTM layers; from the last hidden state a projection into
 * the item output space (the user vector; in a residual network plus the last event's item
 * embedding, as a transformer's skip connection carries its input), the item scorer (dot product with the item output
 * embeddings plus an item bias), and the heads on the last hidden state optionally joined by a
 * static user feature vector: purchase propensity (sigmoid, one unit), category interests
 * (sigmoid per category) and, in networks trained since the churn head exists, churn risk (sigmoid,
 * one unit). Numerically the same as the DL4J graph it was extracted from (tested).
 *
 * <p>Immutable and thread-safe; {@link #step} is O(1) in the history length and allocates only the
 * new state and one small scratch input.
 */
public final class LeanProfileNetwork {
    private final float[][] embeddings; // per input: [vocab * dim]
    private final int[] vocab;
    private final int[] dims;
    private final int inputSize;
    private final LstmLayer[] lstm;
    private final DenseLayer projection;
    private final float[] itemOutT;      // [nItems * proj], one row per item
    private final float[] itemBias;
    private final int staticSize;
    private final DenseLayer purchase;
    private final DenseLayer categories;
    private final boolean itemResidual;
    private final DenseLayer churn;

    /**
     * @param embeddings embedding tables in input order (item, type, category, gap), each {@code [vocab][dim]}
     * @param lstm the LSTM layers, first to last
     * @param projection hidden → user vector (identity activation)
     * @param itemOutW item output weights {@code [proj][nItems]} (DL4J layout)
     * @param itemOutB item output bias {@code [nItems]}
     * @param staticSize length of the static user feature vector joined before the heads, 0 for none
     * @param purchase purchase head on {@code [lastHidden, static]} (sigmoid, one output)
     * @param categories category head on {@code [lastHidden, static]} (sigmoid)
     * @throws IllegalArgumentException if the shapes do not fit together
     */
    public LeanProfileNetwork(float[][][] embeddings, LstmLayer[] lstm, DenseLayer projection, float[][] itemOutW,
                              float[] itemOutB, int staticSize, DenseLayer purchase, DenseLayer categories) {
        this(embeddings, lstm, projection, itemOutW, itemOutB, staticSize, purchase, categories, false);
    }

    /**
     * @param embeddings embedding tables in input order (item, type, category, gap), each {@code [vocab][dim]}
     * @param lstm the LSTM layers, first to last
     * @param projection hidden → user vector (identity activation)
     * @param itemOutW item output weights {@code [proj][nItems]} (DL4J layout)
     * @param itemOutB item output bias {@code [nItems]}
     * @param staticSize length of the static user feature vector joined before the heads, 0 for none
     * @param purchase purchase head on {@code [lastHidden, static]} (sigmoid, one output)
     * @param categories category head on {@code [lastHidden, static]} (sigmoid)
     * @param itemResidual whether the user vector adds the last event's item embedding to the projection
     *     (needs item embedding size == projection size)
     * @throws IllegalArgumentException if the shapes do not fit together
     */
    public LeanProfileNetwork(float[][][] embeddings, LstmLayer[] lstm, DenseLayer projection, float[][] itemOutW,
                              float[] itemOutB, int staticSize, DenseLayer purchase, DenseLayer categories,
                              boolean itemResidual) {
        this(embeddings, lstm, projection, itemOutW, itemOutB, staticSize, purchase, categories, itemResidual, null);
    }

    /**
     * @param embeddings embedding tables in input order (item, type, category, gap), each {@code [vocab][dim]}
     * @param lstm the LSTM layers, first to last
     * @param projection hidden → user vector (identity activation)
     * @param itemOutW item output weights {@code [proj][nItems]} (DL4J layout)
     * @param itemOutB item output bias {@code [nItems]}
     * @param staticSize length of the static user feature vector joined before the heads, 0 for none
     * @param purchase purchase head on {@code [lastHidden, static]} (sigmoid, one output)
     * @param categories category head on {@code [lastHidden, static]} (sigmoid)
     * @param itemResidual whether the user vector adds the last event's item embedding to the projection
     *     (needs item embedding size == projection size)
     * @param churn churn head on {@code [lastHidden, static]} (sigmoid, one output), or null for none
     * @throws IllegalArgumentException if the shapes do not fit together
     */
    public LeanProfileNetwork(float[][][] embeddings, LstmLayer[] lstm, DenseLayer projection, float[][] itemOutW,
                              float[] itemOutB, int staticSize, DenseLayer purchase, DenseLayer categories,
                              boolean itemResidual, DenseLayer churn) {
        this(flatVocab(embeddings), flatDims(embeddings), flatTables(embeddings), lstm, projection,
                transposeItems(itemOutW, projection.nOut()), itemOutB, staticSize, purchase, categories, itemResidual, churn);
    }

    /**
     * A network from its flat form, the arrays kept, not copied (a million-item model is built
     * without a second copy of its tables).
     *
     * @param vocab rows of each embedding table (item, type, category, gap)
     * @param dims width of each embedding table
     * @param tables each table row-major, {@code [vocab * dim]}
     * @param lstm the LSTM layers, first to last
     * @param projection hidden → user vector (identity activation)
     * @param itemOutT item output weights one row per item, {@code [nItems * projection]}
     * @param itemOutB item output bias {@code [nItems]}
     * @param staticSize length of the static user feature vector joined before the heads, 0 for none
     * @param purchase purchase head on {@code [lastHidden, static]}
     * @param categories category head on {@code [lastHidden, static]}
     * @param itemResidual whether the user vector adds the last event's item embedding
     * @param churn churn head, or null for none
     * @return the network
     * @throws IllegalArgumentException if the shapes do not fit together
     */
    public static LeanProfileNetwork ofFlat(int[] vocab, int[] dims, float[][] tables, LstmLayer[] lstm, DenseLayer projection,
                                            float[] itemOutT, float[] itemOutB, int staticSize, DenseLayer purchase,
                                            DenseLayer categories, boolean itemResidual, DenseLayer churn) {
        return new LeanProfileNetwork(vocab, dims, tables, lstm, projection, itemOutT, itemOutB, staticSize, purchase, categories,
                itemResidual, churn);
    }

    /**
     * The flat form {@link LeanWeights} reads: embedding tables row-major ({@code [vocab * dim]}),
     * item output weights one row per item ({@code [nItems * projection]}). The arrays are kept, not
     * copied.
     */
    LeanProfileNetwork(int[] vocab, int[] dims, float[][] tables, LstmLayer[] lstm, DenseLayer projection,
                       float[] itemOutT, float[] itemOutB, int staticSize, DenseLayer purchase, DenseLayer categories,
                       boolean itemResidual, DenseLayer churn) {
        if (vocab.length == 0 || vocab.length != dims.length || vocab.length != tables.length) {
            throw new IllegalArgumentException("expected one vocabulary size, width and table per embedding input");
        }
        int in = 0;
        for (int k = 0; k < vocab.length; k++) {
            if (vocab[k] <= 0 || dims[k] <= 0 || (long) vocab[k] * dims[k] != tables[k].length) {
                throw new IllegalArgumentException("embedding " + k + ": table of " + tables[k].length + " values for "
                        + vocab[k] + " rows of " + dims[k]);
            }
            in += dims[k];
        }
        this.vocab = vocab.clone();
        this.dims = dims.clone();
        this.embeddings = tables.clone();
        this.inputSize = in;
        if (lstm.length == 0 || lstm[0].nIn() != in) {
            throw new IllegalArgumentException("first LSTM layer must take the concatenated embeddings (" + in + ")");
        }
        for (int l = 1; l < lstm.length; l++) {
            if (lstm[l].nIn() != lstm[l - 1].hidden()) {
                throw new IllegalArgumentException("LSTM layer " + l + " input " + lstm[l].nIn() + " != previous hidden " + lstm[l - 1].hidden());
            }
        }
        this.lstm = lstm.clone();
        int hid = lstm[lstm.length - 1].hidden();
        if (projection.nIn() != hid) {
            throw new IllegalArgumentException("projection input " + projection.nIn() + " != hidden " + hid);
        }
        this.projection = projection;
        int p = projection.nOut();
        int nItems = itemOutB.length;
        if ((long) nItems * p != itemOutT.length) {
            throw new IllegalArgumentException("item output weights have " + itemOutT.length + " values, expected "
                    + nItems + " items x " + p);
        }
        this.itemOutT = itemOutT;
        this.itemBias = itemOutB.clone();
        if (staticSize < 0) {
            throw new IllegalArgumentException("static feature size must be >= 0, was " + staticSize);
        }
        this.staticSize = staticSize;
        if (purchase.nIn() != hid + staticSize || categories.nIn() != hid + staticSize) {
            throw new IllegalArgumentException("heads must take hidden + static = " + (hid + staticSize) + " inputs");
        }
        if (purchase.nOut() != 1) {
            throw new IllegalArgumentException("the purchase head must have one output, has " + purchase.nOut());
        }
        this.purchase = purchase;
        this.categories = categories;
        if (itemResidual && dims[0] != p) {
            throw new IllegalArgumentException("a residual user vector needs item embedding size " + dims[0] + " == projection " + p);
        }
        this.itemResidual = itemResidual;
        if (churn != null && (churn.nIn() != hid + staticSize || churn.nOut() != 1)) {
            throw new IllegalArgumentException("the churn head must take hidden + static = " + (hid + staticSize)
                    + " inputs and have one output, has " + churn.nIn() + " and " + churn.nOut());
        }
        this.churn = churn;
    }

    private static int[] flatVocab(float[][][] e) {
        int[] v = new int[e.length];
        for (int k = 0; k < e.length; k++) {
            v[k] = e[k].length;
        }
        return v;
    }

    private static int[] flatDims(float[][][] e) {
        int[] d = new int[e.length];
        for (int k = 0; k < e.length; k++) {
            if (e[k].length == 0) {
                throw new IllegalArgumentException("embedding " + k + " has no rows");
            }
            d[k] = e[k][0].length;
        }
        return d;
    }

    private static float[][] flatTables(float[][][] e) {
        float[][] t = new float[e.length][];
        for (int k = 0; k < e.length; k++) {
            int rows = e[k].length;
            int d = rows == 0 ? 0 : e[k][0].length;
            t[k] = new float[rows * d];
            for (int v = 0; v < rows; v++) {
                if (e[k][v].length != d) {
                    throw new IllegalArgumentException("embedding " + k + " row " + v + " has length " + e[k][v].length + ", expected " + d);
                }
                System.arraycopy(e[k][v], 0, t[k], v * d, d);
            }
        }
        return t;
    }

    private static float[] transposeItems(float[][] w, int p) {
        if (w.length != p) {
            throw new IllegalArgumentException("item output weights have " + w.length + " rows, expected " + p);
        }
        int nItems = w[0].length;
        float[] t = new float[nItems * p];
        for (int i = 0; i < p; i++) {
            if (w[i].length != nItems) {
                throw new IllegalArgumentException("item output weights row " + i + " has length " + w[i].length + ", expected " + nItems);
            }
            for (int o = 0; o < nItems; o++) {
                t[o * p + i] = w[i][o];
            }
        }
        return t;
    }

    // package-private views for LeanWeights (never modified)
    int[] vocabSizes() {
        return vocab;
    }

    int[] embeddingWidths() {
        return dims;
    }

    float[][] embeddingTables() {
        return embeddings;
    }

    LstmLayer[] lstmLayers() {
        return lstm;
    }

    DenseLayer projectionLayer() {
        return projection;
    }

    float[] itemOutputRows() {
        return itemOutT;
    }

    float[] itemBiases() {
        return itemBias;
    }

    DenseLayer purchaseLayer() {
        return purchase;
    }

    DenseLayer categoryLayer() {
        return categories;
    }

    DenseLayer churnLayer() {
        return churn;
    }

    /** @return whether the network has a churn head (the last value of {@link #heads}) */
    public boolean hasChurnHead() {
        return churn != null;
    }

    /** @return whether the user vector adds the last event's item embedding to the projection */
    public boolean itemResidual() {
        return itemResidual;
    }

    /** @return the number of item scores ({@link #scores}) */
    public int itemCount() {
        return itemBias.length;
    }

    /** @return the length of the projected user vector */
    public int projectionSize() {
        return projection.nOut();
    }

    /** @return the length of a static user feature vector (0 for none) */
    public int staticSize() {
        return staticSize;
    }

    /** @return the number of category-interest outputs */
    public int categoryCount() {
        return categories.nOut();
    }

    /** @return the all-zero state before any event */
    public ProfileNetState initialState() {
        float[][] h = new float[lstm.length][];
        float[][] c = new float[lstm.length][];
        for (int l = 0; l < lstm.length; l++) {
            h[l] = new float[lstm[l].hidden()];
            c[l] = new float[lstm[l].hidden()];
        }
        return new ProfileNetState(h, c, -1);
    }

    /**
     * Advances a state by one encoded event. The previous state is unchanged.
     *
     * @param prev the state
     * @param indices one index per embedding input (item, type, category, gap)
     * @return the new state
     * @throws IllegalArgumentException on an index outside its vocabulary
     */
    public ProfileNetState step(ProfileNetState prev, int... indices) {
        float[] x = input(indices, new float[inputSize]);
        float[][] h = new float[lstm.length][];
        float[][] c = new float[lstm.length][];
        for (int l = 0; l < lstm.length; l++) {
            h[l] = new float[lstm[l].hidden()];
            c[l] = new float[lstm[l].hidden()];
            lstm[l].step(x, prev.h[l], prev.c[l], h[l], c[l]);
            x = h[l];
        }
        return new ProfileNetState(h, c, indices[0]);
    }

    /**
     * Like {@link #step}, but writes the new state over {@code state}'s own arrays, so that a state
     * that lives long (in a cache) is not replaced by a new object at every event: the only
     * allocations are short-lived scratch arrays. The caller must hold the only reference to
     * {@code state} and must not use it from another thread meanwhile.
     *
     * @param state the state to advance; changed
     * @param indices one index per embedding input (item, type, category, gap)
     * @throws IllegalArgumentException on an index outside its vocabulary ({@code state} unchanged)
     */
    public void stepInPlace(ProfileNetState state, int... indices) {
        StepScratch s = scratch.get();
        float[] x = input(indices, s.x); // checks every index before the state changes
        for (int l = 0; l < lstm.length; l++) {
            float[] hNew = s.h[l];
            // the cell state is read element by element before it is written: updated in place
            lstm[l].step(x, state.h[l], state.c[l], hNew, state.c[l], s.z);
            System.arraycopy(hNew, 0, state.h[l], 0, hNew.length);
            x = state.h[l];
        }
        state.lastItem = indices[0];
    }

    /**
     * The LSTM input of one event: each input's embedding row, concatenated.
     *
     * @param indices one index per embedding input
     * @param x receives the input (length {@code inputSize})
     * @return x
     * @throws IllegalArgumentException on a wrong number of indices or one outside its vocabulary
     */
    private float[] input(int[] indices, float[] x) {
        if (indices.length != embeddings.length) {
            throw new IllegalArgumentException("expected " + embeddings.length + " indices, got " + indices.length);
        }
        int off = 0;
        for (int k = 0; k < indices.length; k++) {
            int idx = indices[k];
            if (idx < 0 || idx >= vocab[k]) {
                throw new IllegalArgumentException("index " + idx + " of input " + k + " outside [0, " + vocab[k] + ")");
            }
            System.arraycopy(embeddings[k], idx * dims[k], x, off, dims[k]);
            off += dims[k];
        }
        return x;
    }

    /** Per-thread buffers of {@link #stepInPlace}: its input, the gates and each layer's new output. */
    private final class StepScratch {
        final float[] x = new float[inputSize];
        final float[] z;
        final float[][] h = new float[lstm.length][];

        StepScratch() {
            int widest = 0;
            for (int l = 0; l < lstm.length; l++) {
                h[l] = new float[lstm[l].hidden()];
                widest = Math.max(widest, lstm[l].hidden());
            }
            z = new float[4 * widest];
        }
    }

    private final ThreadLocal<StepScratch> scratch = ThreadLocal.withInitial(StepScratch::new);

    /**
     * @param state a state
     * @return the projected user vector (length {@link #projectionSize()})
     */
    public float[] userVector(ProfileNetState state) {
        float[] u = projection.forward(state.h[state.h.length - 1]);
        if (itemResidual && state.lastItem >= 0) {
            int d = dims[0];
            for (int i = 0; i < d; i++) {
                u[i] += embeddings[0][state.lastItem * d + i];
            }
        }
        return u;
    }

    /**
     * Scores of every item for a user vector: {@code u · w_i + b_i} (the next-item logits).
     *
     * @param userVector from {@link #userVector}
     * @return one score per item index
     */
    public float[] scores(float[] userVector) {
        int p = projection.nOut();
        float[] s = new float[itemBias.length];
        for (int o = 0; o < s.length; o++) {
            s[o] = itemBias[o] + Kernels.dot(itemOutT, o * p, userVector, 0, p);
        }
        return s;
    }

    /**
     * @param item an item index
     * @return the item's output embedding followed by its bias (length {@code projectionSize()+1})
     */
    public float[] itemVector(int item) {
        int p = projection.nOut();
        float[] v = new float[p + 1];
        System.arraycopy(itemOutT, item * p, v, 0, p);
        v[p] = itemBias[item];
        return v;
    }

    /**
     * The head outputs for a state.
     *
     * @param state a state
     * @param staticFeatures the static user features (length {@link #staticSize()}), or null for zeros
     * @return {@code [purchase, category_0, ..., category_n-1]}, followed by {@code churn} when the
     *     network has a churn head ({@link #hasChurnHead()}), each in [0, 1]
     */
    public float[] heads(ProfileNetState state, float[] staticFeatures) {
        float[] last = state.h[state.h.length - 1];
        float[] in = last;
        if (staticSize > 0) {
            in = new float[last.length + staticSize];
            System.arraycopy(last, 0, in, 0, last.length);
            if (staticFeatures != null) {
                if (staticFeatures.length != staticSize) {
                    throw new IllegalArgumentException("static features have length " + staticFeatures.length + ", expected " + staticSize);
                }
                System.arraycopy(staticFeatures, 0, in, last.length, staticSize);
            }
        }
        float[] p = purchase.forward(in);
        float[] c = categories.forward(in);
        float[] out = new float[1 + c.length + (churn == null ? 0 : 1)];
        out[0] = p[0];
        System.arraycopy(c, 0, out, 1, c.length);
        if (churn != null) {
            out[1 + c.length] = churn.forward(in)[0];
        }
        return out;
    }
}
