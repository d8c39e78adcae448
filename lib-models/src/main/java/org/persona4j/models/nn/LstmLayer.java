package org.persona4j.models.nn;

/**
 * One LSTM layer on plain arrays in DL4J's parameter layout (input weights {@code W[nIn][4h]},
 * recurrent weights {@code RW[h][4h]}, bias {@code b[4h]}, gate blocks a, f, o, i; see
 * {@link LeanLstmModel}). Immutable and thread-safe.
 */
public final class LstmLayer {
    private final int nIn;
    private final int hidden;
    private final float[] wInT;  // [4h * nIn]
    private final float[] wRecT; // [4h * h]
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
        this.wInT = transpose(w, nIn, g, "LSTM input weights");
        this.wRecT = transpose(rw, hidden, g, "LSTM recurrent weights");
        this.bias = b.clone();
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

    /** @return the input size */
    public int nIn() {
        return nIn;
    }

    /** @return the number of units */
    public int hidden() {
        return hidden;
    }

    /**
     * One time step: reads {@code x}, {@code hPrev}, {@code cPrev}, writes {@code hOut}, {@code cOut}
     * (which must not alias the inputs).
     *
     * @param x input of length {@link #nIn()}
     * @param hPrev previous output
     * @param cPrev previous cell state
     * @param hOut new output
     * @param cOut new cell state
     */
    public void step(float[] x, float[] hPrev, float[] cPrev, float[] hOut, float[] cOut) {
        int h = hidden;
        for (int j = 0; j < h; j++) {
            float za = pre(j, x, hPrev);
            float zf = pre(h + j, x, hPrev);
            float zo = pre(2 * h + j, x, hPrev);
            float zi = pre(3 * h + j, x, hPrev);
            float a = (float) Math.tanh(za);
            float cj = Kernels.sigmoid(zf) * cPrev[j] + Kernels.sigmoid(zi) * a;
            cOut[j] = cj;
            hOut[j] = Kernels.sigmoid(zo) * (float) Math.tanh(cj);
        }
    }

    private float pre(int row, float[] x, float[] hp) {
        return bias[row] + Kernels.dot(wInT, row * nIn, x, 0, nIn) + Kernels.dot(wRecT, row * hidden, hp, 0, hidden);
    }
}
