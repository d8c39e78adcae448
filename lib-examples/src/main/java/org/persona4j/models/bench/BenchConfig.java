package org.persona4j.models.bench;

/**
 * Settings of {@code bench-train}, validated at construction; the defaults are those of
 * {@code torch_reference.py}.
 *
 * @param emb item embedding size
 * @param hidden LSTM size
 * @param maxLen longest input sequence (the last {@code maxLen+1} training items are kept)
 * @param batch mini-batch size (sequences)
 * @param epochs training epochs
 * @param lr Adam learning rate
 * @param seed seed of the weight initialisation and of the shuffle
 * @param bucketWindow 0 for plain shuffled mini-batches; {@code w > 0} to sort each window of
 *     {@code w} consecutive batches of the shuffled order by length before cutting it into batches
 *     (every sequence still trains exactly once per epoch; the batch order is shuffled again)
 * @param latencyUpdates number of timed one-event updates of the lean model
 * @param engine the training implementation
 */
public record BenchConfig(int emb, int hidden, int maxLen, int batch, int epochs, double lr, long seed,
                          int bucketWindow, int latencyUpdates, BenchEngine engine) {

    /** Validates every field; the message names the field and the bad value. */
    public BenchConfig {
        positive("emb", emb);
        positive("hidden", hidden);
        positive("maxLen", maxLen);
        positive("batch", batch);
        positive("epochs", epochs);
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr must be a positive finite number, was " + lr);
        }
        if (bucketWindow < 0) {
            throw new IllegalArgumentException("bucketWindow must be >= 0, was " + bucketWindow);
        }
        if (latencyUpdates < 0) {
            throw new IllegalArgumentException("latencyUpdates must be >= 0, was " + latencyUpdates);
        }
        if (engine == null) {
            throw new IllegalArgumentException("engine must be set");
        }
    }

    /** The same settings with the default engine, {@link BenchEngine#FUSED}. */
    public BenchConfig(int emb, int hidden, int maxLen, int batch, int epochs, double lr, long seed,
                       int bucketWindow, int latencyUpdates) {
        this(emb, hidden, maxLen, batch, epochs, lr, seed, bucketWindow, latencyUpdates, BenchEngine.FUSED);
    }

    /** The same settings trained with {@code engine}. */
    public BenchConfig withEngine(BenchEngine engine) {
        return new BenchConfig(emb, hidden, maxLen, batch, epochs, lr, seed, bucketWindow, latencyUpdates, engine);
    }

    /**
     * The reference settings: emb 64, hidden 128, max-len 50, batch 128, 1 epoch, lr 0.001, seed 42,
     * fused engine.
     */
    public static BenchConfig reference() {
        return new BenchConfig(64, 128, 50, 128, 1, 1e-3, 42, 0, 10_000);
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + v);
        }
    }
}
