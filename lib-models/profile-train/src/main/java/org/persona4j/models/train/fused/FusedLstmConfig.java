package org.persona4j.models.train.fused;

/**
 * Shape and optimiser settings of a {@link FusedLstmTrainer}, validated at construction.
 *
 * @param vocabulary number of item ids including the padding id 0 (the embedding rows and the
 *     softmax classes)
 * @param embedding item embedding size
 * @param hidden LSTM size
 * @param maxBatch the most sequences in one batch (buffers are sized for it)
 * @param maxLength the longest input of one sequence, its item count less one (buffers are sized
 *     for {@code maxBatch * maxLength} positions)
 * @param learningRate Adam learning rate
 * @param beta1 Adam first-moment decay (DL4J default 0.9)
 * @param beta2 Adam second-moment decay (DL4J default 0.999)
 * @param epsilon Adam epsilon (DL4J default 1e-8)
 */
public record FusedLstmConfig(int vocabulary, int embedding, int hidden, int maxBatch, int maxLength,
                              double learningRate, double beta1, double beta2, double epsilon) {

    /** Validates every field; the message names the field and the bad value. */
    public FusedLstmConfig {
        if (vocabulary < 2) {
            throw new IllegalArgumentException("vocabulary must be >= 2 (padding id 0 and one item), was " + vocabulary);
        }
        positive("embedding", embedding);
        positive("hidden", hidden);
        positive("maxBatch", maxBatch);
        positive("maxLength", maxLength);
        if ((long) maxBatch * maxLength > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("maxBatch * maxLength is too large: " + maxBatch + " * " + maxLength);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a positive finite number, was " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), was " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), was " + beta2);
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a positive finite number, was " + epsilon);
        }
    }

    /** A configuration with DL4J's Adam defaults ({@code beta1 0.9, beta2 0.999, epsilon 1e-8}). */
    public static FusedLstmConfig of(int vocabulary, int embedding, int hidden, int maxBatch, int maxLength,
                                     double learningRate) {
        return new FusedLstmConfig(vocabulary, embedding, hidden, maxBatch, maxLength, learningRate, 0.9, 0.999, 1e-8);
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + v);
        }
    }
}
