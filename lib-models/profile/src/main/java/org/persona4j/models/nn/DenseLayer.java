package org.persona4j.models.nn;

/**
 * A fully connected layer {@code y = f(x W + b)} on plain arrays. The weights are stored
 * transposed (one contiguous row of {@code nIn} per output), so each output is a contiguous dot
 * product. Immutable and thread-safe.
 */
public final class DenseLayer {
    private final int nIn;
    private final int nOut;
    private final float[] wT;
    /**
     * The weights row-major by input ({@code [nIn][nOut]}) for the accumulating form of
     * {@link #forward(float[], float[])}; null for layers with fewer than {@value #ACCUMULATE_MIN} outputs.
     */
    private final float[] w;
    private final float[] b;
    /**
     * Outputs from which {@link #forward(float[], float[])} accumulates input by input
     * ({@code y += x_i w_i}, a loop the JIT vectorises: 2-2.5x faster at 64-300 outputs) instead of one
     * dot product per output (faster for a handful of outputs).
     */
    static final int ACCUMULATE_MIN = 8;
    private final Activation activation;

    /**
     * @param w weights in DL4J's layout, {@code w[i][o]} for input {@code i} and output {@code o}
     * @param b bias of length {@code nOut}, or {@code null} for none
     * @param activation the activation applied to each output
     */
    public DenseLayer(float[][] w, float[] b, Activation activation) {
        if (w.length == 0 || w[0].length == 0) {
            throw new IllegalArgumentException("weights must be non-empty");
        }
        this.nIn = w.length;
        this.nOut = w[0].length;
        this.wT = new float[nIn * nOut];
        for (int i = 0; i < nIn; i++) {
            if (w[i].length != nOut) {
                throw new IllegalArgumentException("weights row " + i + " has " + w[i].length + " columns, expected " + nOut);
            }
            for (int o = 0; o < nOut; o++) {
                wT[o * nIn + i] = w[i][o];
            }
        }
        if (b != null && b.length != nOut) {
            throw new IllegalArgumentException("bias has length " + b.length + ", expected " + nOut);
        }
        this.b = b == null ? new float[nOut] : b.clone();
        this.activation = activation;
        this.w = byInput(wT, nIn, nOut);
    }

    /** The flat form {@link LeanWeights} reads: {@code wT} one row of {@code nIn} per output; kept, not copied. */
    DenseLayer(int nIn, int nOut, float[] wT, float[] b, Activation activation) {
        if (nIn <= 0 || nOut <= 0 || wT.length != (long) nIn * nOut || b.length != nOut || activation == null) {
            throw new IllegalArgumentException("dense layer " + nIn + " -> " + nOut + ": " + wT.length + " weights and "
                    + b.length + " biases do not fit");
        }
        this.nIn = nIn;
        this.nOut = nOut;
        this.wT = wT;
        this.b = b;
        this.activation = activation;
        this.w = byInput(wT, nIn, nOut);
    }

    /** The row-major-by-input copy of {@code wT} for layers of at least {@value #ACCUMULATE_MIN} outputs, else null. */
    private static float[] byInput(float[] wT, int nIn, int nOut) {
        if (nOut < ACCUMULATE_MIN) {
            return null;
        }
        float[] w = new float[nIn * nOut];
        for (int o = 0; o < nOut; o++) {
            for (int i = 0; i < nIn; i++) {
                w[i * nOut + o] = wT[o * nIn + i];
            }
        }
        return w;
    }

    float[] weightsTransposed() {
        return wT;
    }

    float[] biases() {
        return b;
    }

    Activation activation() {
        return activation;
    }

    /** Input size. */
    public int nIn() {
        return nIn;
    }

    /** Output size. */
    public int nOut() {
        return nOut;
    }

    /** Computes the layer's output for one input vector into a new array. */
    public float[] forward(float[] x) {
        float[] y = new float[nOut];
        forward(x, y);
        return y;
    }

    /** Computes the layer's output for one input vector into {@code dest} (length {@code nOut}). */
    public void forward(float[] x, float[] dest) {
        if (x.length != nIn || dest.length != nOut) {
            throw new IllegalArgumentException("expected input " + nIn + " and output " + nOut
                    + ", got " + x.length + " and " + dest.length);
        }
        if (w != null) {
            System.arraycopy(b, 0, dest, 0, nOut);
            Kernels.accumulate(dest, w, x, nIn, nOut);
            for (int o = 0; o < nOut; o++) {
                dest[o] = activation.apply(dest[o]);
            }
            return;
        }
        for (int o = 0; o < nOut; o++) {
            dest[o] = activation.apply(b[o] + Kernels.dot(wT, o * nIn, x, 0, nIn));
        }
    }
}
