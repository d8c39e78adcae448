package org.persona4j.models.nn;

/**
 * An item-sequence model on plain arrays: item embedding, one LSTM layer and a linear scorer over
 * all items, numerically the same as the DL4J network {@code EmbeddingSequenceLayer -> LSTM ->
 * RnnOutputLayer(softmax)} it was extracted from.
 *
 * <p>The LSTM follows DL4J's parameter layout: input weights {@code W[nIn][4h]}, recurrent weights
 * {@code RW[h][4h]} and bias {@code b[4h]}, with the four gate blocks in the order
 * <em>block input</em> (activation tanh), <em>forget</em>, <em>output</em>, <em>input</em> (gate
 * activation sigmoid); the forget-gate bias is simply part of {@code b} (DL4J initialises it to
 * 1.0). A step is {@code c' = f*c + i*a}, {@code h' = o*tanh(c')}.
 *
 * <p>Instances are immutable and thread-safe; {@link #step} allocates only the new state arrays.
 * The model needs no ND4J at inference time and holds no native memory.
 */
public final class LeanLstmModel {
    private final int vocab;
    private final int emb;
    private final int hidden;
    private final float[] embedding; // [vocab * emb]
    private final float[] wInT;      // [4h * emb], one contiguous row per gate unit
    private final float[] wRecT;     // [4h * h]
    private final float[] bias;      // [4h]
    private final DenseLayer output;

    private LeanLstmModel(float[][] embedding, float[][] lstmW, float[][] lstmRW, float[] lstmB,
                          float[][] outW, float[] outB) {
        this.vocab = embedding.length;
        if (vocab == 0) {
            throw new IllegalArgumentException("embedding must have at least one row");
        }
        this.emb = embedding[0].length;
        this.hidden = lstmRW.length;
        int g = 4 * hidden;
        if (lstmW.length != emb) {
            throw new IllegalArgumentException("LSTM input weights have " + lstmW.length + " rows, expected emb=" + emb);
        }
        if (lstmB.length != g) {
            throw new IllegalArgumentException("LSTM bias has length " + lstmB.length + ", expected 4*hidden=" + g);
        }
        if (outW.length != hidden) {
            throw new IllegalArgumentException("output weights have " + outW.length + " rows, expected hidden=" + hidden);
        }
        this.embedding = new float[vocab * emb];
        for (int v = 0; v < vocab; v++) {
            if (embedding[v].length != emb) {
                throw new IllegalArgumentException("embedding row " + v + " has length " + embedding[v].length + ", expected " + emb);
            }
            System.arraycopy(embedding[v], 0, this.embedding, v * emb, emb);
        }
        this.wInT = transpose(lstmW, emb, g, "LSTM input weights");
        this.wRecT = transpose(lstmRW, hidden, g, "LSTM recurrent weights");
        this.bias = lstmB.clone();
        this.output = new DenseLayer(outW, outB, Activation.IDENTITY);
    }

    /**
     * Builds a model from weights in DL4J's layout (copied; the arguments are not retained).
     *
     * @param embedding item embedding {@code [vocab][emb]} (row = item id)
     * @param lstmW LSTM input weights {@code [emb][4*hidden]}, gate blocks a, f, o, i
     * @param lstmRW LSTM recurrent weights {@code [hidden][4*hidden]}, same block order
     * @param lstmB LSTM bias {@code [4*hidden]}
     * @param outW output weights {@code [hidden][nOut]}
     * @param outB output bias {@code [nOut]}
     * @return the immutable model
     * @throws IllegalArgumentException if the shapes do not fit together
     */
    public static LeanLstmModel of(float[][] embedding, float[][] lstmW, float[][] lstmRW, float[] lstmB,
                                   float[][] outW, float[] outB) {
        return new LeanLstmModel(embedding, lstmW, lstmRW, lstmB, outW, outB);
    }

    private static float[] transpose(float[][] m, int rows, int cols, String what) {
        float[] t = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            if (m[r].length != cols) {
                throw new IllegalArgumentException(what + " row " + r + " has length " + m[r].length + ", expected " + cols);
            }
            for (int k = 0; k < cols; k++) {
                t[k * rows + r] = m[r][k];
            }
        }
        return t;
    }

    /** Number of item ids the embedding covers ({@code 0..vocab-1}). */
    public int vocabularySize() {
        return vocab;
    }

    /** Embedding size. */
    public int embeddingSize() {
        return emb;
    }

    /** LSTM size (the length of the user embedding). */
    public int hiddenSize() {
        return hidden;
    }

    /** Number of scores {@link #scores} returns. */
    public int outputSize() {
        return output.nOut();
    }

    /** The state before any event. */
    public LstmState initialState() {
        return LstmState.zero(hidden);
    }

    /**
     * Advances a user's state by one item event. The previous state is not changed.
     *
     * @throws IllegalArgumentException if {@code item} is outside {@code [0, vocabularySize)}
     */
    public LstmState step(LstmState prev, int item) {
        if (item < 0 || item >= vocab) {
            throw new IllegalArgumentException("item id " + item + " outside [0, " + vocab + ")");
        }
        if (prev.h.length != hidden) {
            throw new IllegalArgumentException("state has size " + prev.h.length + ", expected " + hidden);
        }
        float[] hp = prev.h;
        float[] cp = prev.c;
        float[] h = new float[hidden];
        float[] c = new float[hidden];
        int xo = item * emb;
        for (int j = 0; j < hidden; j++) {
            float za = pre(j, xo, hp);
            float zf = pre(hidden + j, xo, hp);
            float zo = pre(2 * hidden + j, xo, hp);
            float zi = pre(3 * hidden + j, xo, hp);
            float a = (float) Math.tanh(za);
            float cj = Kernels.sigmoid(zf) * cp[j] + Kernels.sigmoid(zi) * a;
            c[j] = cj;
            h[j] = Kernels.sigmoid(zo) * (float) Math.tanh(cj);
        }
        return new LstmState(h, c);
    }

    private float pre(int row, int xo, float[] hp) {
        return bias[row] + Kernels.dot(wInT, row * emb, embedding, xo, emb) + Kernels.dot(wRecT, row * hidden, hp, 0, hidden);
    }

    /** Runs a whole sequence from the initial state and returns the final state. */
    public LstmState encode(int[] items) {
        LstmState s = initialState();
        for (int item : items) {
            s = step(s, item);
        }
        return s;
    }

    /** The raw output scores (logits) of every item for a state, into a new array. */
    public float[] scores(LstmState state) {
        return output.forward(state.h);
    }

    /** The raw output scores of every item for a state, into {@code dest}. */
    public void scores(LstmState state, float[] dest) {
        output.forward(state.h, dest);
    }

    /** The softmax over {@link #scores}, i.e. the next-item probabilities. */
    public float[] probabilities(LstmState state) {
        float[] s = scores(state);
        float max = Float.NEGATIVE_INFINITY;
        for (float v : s) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            double e = Math.exp(s[i] - max);
            s[i] = (float) e;
            sum += e;
        }
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (s[i] / sum);
        }
        return s;
    }
}
