package org.persona4j.models.nn;

/**
 * One LSTM layer on plain arrays in DL4J's parameter layout (input weights {@code W[nIn][4h]},
 * recurrent weights {@code RW[h][4h]}, bias {@code b[4h]}, gate blocks a, f, o, i; see
 * {@link LeanLstmModel}). Immutable and thread-safe.
 */
public final class LstmLayer {
    private final int nIn;
    private final int hidden;
    private final float[] wIn;  // [nIn * 4h], row j = input j's weights into every gate unit
    private final float[] wRec; // [h * 4h]
    private final float[] bias;

    /**
     * @param w input weights {@code [nIn][4*hidden]}
     * @param rw recurrent weights {@code [hidden][4*hidden]}
     * @param b bias {@code [4*hidden]}
     * @throws IllegalArgumentException if the shapes do not fit
     */
    public LstmLayer(float[][] w, float[][] rw, float[] b) {
        this.nIn = w.length;
        this.hidden = rw.length;
        int g = 4 * hidden;
        if (b.length != g) {
            throw new IllegalArgumentException("LSTM bias has length " + b.length + ", expected 4*hidden=" + g);
        }
        this.wIn = flatten(w, nIn, g, "LSTM input weights");
        this.wRec = flatten(rw, hidden, g, "LSTM recurrent weights");
        this.bias = b.clone();
    }

    /** The flat form {@link LeanWeights} reads; the arrays are kept, not copied. */
    LstmLayer(int nIn, int hidden, float[] wIn, float[] wRec, float[] bias) {
        long g = 4L * hidden;
        if (nIn <= 0 || hidden <= 0 || wIn.length != nIn * g || wRec.length != hidden * g || bias.length != g) {
            throw new IllegalArgumentException("LSTM layer " + nIn + " -> " + hidden + ": weights of " + wIn.length + ", "
                    + wRec.length + " and " + bias.length + " values do not fit");
        }
        this.nIn = nIn;
        this.hidden = hidden;
        this.wIn = wIn;
        this.wRec = wRec;
        this.bias = bias;
    }

    float[] inputWeights() {
        return wIn;
    }

    float[] recurrentWeights() {
        return wRec;
    }

    float[] biases() {
        return bias;
    }

    private static float[] flatten(float[][] m, int rows, int cols, String what) {
        float[] t = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            if (m[r].length != cols) {
                throw new IllegalArgumentException(what + " row " + r + " has length " + m[r].length + ", expected " + cols);
            }
            System.arraycopy(m[r], 0, t, r * cols, cols);
        }
        return t;
    }

    /** @return the input size */
    public int nIn() {
        return nIn;
    }

    /** @return the number of units */
    public int hidden() {
        return hidden;
    }

    /**
     * One time step. The gate pre-activations are accumulated input by input ({@code z += w_j x_j}
     * over contiguous rows), a loop the JIT vectorises; the order of the sums is fixed, so results
     * are deterministic. {@code hOut} and {@code cOut} must not alias the inputs.
     *
     * @param x the input (length {@link #nIn()})
     * @param hPrev the previous output
     * @param cPrev the previous cell state
     * @param hOut receives the new output
     * @param cOut receives the new cell state
     */
    public void step(float[] x, float[] hPrev, float[] cPrev, float[] hOut, float[] cOut) {
        step(x, hPrev, cPrev, hOut, cOut, new float[4 * hidden]);
    }

    /**
     * As {@link #step(float[], float[], float[], float[], float[])}, with the caller's gate buffer.
     *
     * @param x the input (length {@link #nIn()})
     * @param hPrev the previous output
     * @param cPrev the previous cell state
     * @param hOut receives the new output (may not be hPrev)
     * @param cOut receives the new cell state (may be cPrev)
     * @param z scratch of at least {@code 4 * hidden} values; overwritten
     */
    public void step(float[] x, float[] hPrev, float[] cPrev, float[] hOut, float[] cOut, float[] z) {
        int h = hidden;
        int g = 4 * h;
        System.arraycopy(bias, 0, z, 0, g);
        Kernels.accumulate(z, wIn, x, nIn, g);
        Kernels.accumulate(z, wRec, hPrev, h, g);
        for (int j = 0; j < h; j++) {
            float a = (float) Math.tanh(z[j]);
            float cj = Kernels.sigmoid(z[h + j]) * cPrev[j] + Kernels.sigmoid(z[3 * h + j]) * a;
            cOut[j] = cj;
            hOut[j] = Kernels.sigmoid(z[2 * h + j]) * (float) Math.tanh(cj);
        }
    }

}
