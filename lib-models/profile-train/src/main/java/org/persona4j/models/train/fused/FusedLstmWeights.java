package org.persona4j.models.train.fused;

import java.util.SplittableRandom;

/**
 * The parameters of the fused model as plain arrays, in DL4J's layout: the shapes and meaning of
 * {@code EmbeddingSequenceLayer} {@code W}, {@code LSTM} {@code W}, {@code RW}, {@code b} (gate
 * blocks {@code a, f, o, i}, each {@code hidden} wide) and {@code RnnOutputLayer} {@code W},
 * {@code b}. The arrays are shared, not copied; a record of arrays compares by identity.
 *
 * @param embedding {@code [vocabulary][embedding]}
 * @param inputWeights {@code [embedding][4*hidden]}
 * @param recurrentWeights {@code [hidden][4*hidden]}
 * @param bias {@code [4*hidden]}
 * @param outputWeights {@code [hidden][vocabulary]}
 * @param outputBias {@code [vocabulary]}
 */
public record FusedLstmWeights(float[][] embedding, float[][] inputWeights, float[][] recurrentWeights, float[] bias,
                               float[][] outputWeights, float[] outputBias) {

    /** Checks that the shapes fit together. */
    public FusedLstmWeights {
        int v = embedding.length;
        int e = inputWeights.length;
        int h = recurrentWeights.length;
        check("embedding", embedding, v, e);
        check("inputWeights", inputWeights, e, 4 * h);
        check("recurrentWeights", recurrentWeights, h, 4 * h);
        check("outputWeights", outputWeights, h, v);
        if (bias.length != 4 * h) {
            throw new IllegalArgumentException("bias has length " + bias.length + ", expected 4*hidden=" + 4 * h);
        }
        if (outputBias.length != v) {
            throw new IllegalArgumentException("outputBias has length " + outputBias.length + ", expected " + v);
        }
    }

    /** Vocabulary size (embedding rows, softmax classes). */
    public int vocabulary() {
        return embedding.length;
    }

    /** LSTM size. */
    public int hidden() {
        return recurrentWeights.length;
    }

    /** Embedding size. */
    public int embeddingSize() {
        return inputWeights.length;
    }

    /**
     * A deterministic initialisation in the style of DL4J's {@code WeightInit.XAVIER} (normal,
     * variance {@code 2 / (fanIn + fanOut)} with fan-in = rows and fan-out = columns of each
     * matrix), zero biases except the forget gate's, which is 1 as DL4J's {@code LSTM} default.
     * Not bit-identical to DL4J's initialisation; copy a DL4J network's parameters for that.
     */
    public static FusedLstmWeights xavier(int vocabulary, int embedding, int hidden, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] b = new float[4 * hidden];
        for (int j = hidden; j < 2 * hidden; j++) {
            b[j] = 1f;
        }
        return new FusedLstmWeights(normal(rng, vocabulary, embedding), normal(rng, embedding, 4 * hidden),
                normal(rng, hidden, 4 * hidden), b, normal(rng, hidden, vocabulary), new float[vocabulary]);
    }

    private static float[][] normal(SplittableRandom rng, int rows, int cols) {
        double sd = Math.sqrt(2.0 / (rows + cols));
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int j = 0; j < cols; j++) {
                // Box-Muller, one value per pair
                double u = 1.0 - rng.nextDouble();
                double w = rng.nextDouble();
                row[j] = (float) (sd * Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * w));
            }
        }
        return m;
    }

    private static void check(String name, float[][] m, int rows, int cols) {
        if (m.length != rows) {
            throw new IllegalArgumentException(name + " has " + m.length + " rows, expected " + rows);
        }
        for (int r = 0; r < rows; r++) {
            if (m[r].length != cols) {
                throw new IllegalArgumentException(name + " row " + r + " has length " + m[r].length + ", expected " + cols);
            }
        }
    }
}
