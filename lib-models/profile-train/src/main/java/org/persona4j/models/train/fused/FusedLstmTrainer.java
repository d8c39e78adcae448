package org.persona4j.models.train.fused;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the next-item LSTM ({@code embedding -> LSTM -> full softmax}) with the fused ND4J path:
 * one call of {@link #fit(List)} is one Adam step on one mini-batch, numerically the step DL4J's
 * {@code MultiLayerNetwork.fit} takes on the same padded, masked batch (see the package
 * documentation). Buffers are allocated once, for {@link FusedLstmConfig#maxBatch()} sequences of
 * {@link FusedLstmConfig#maxLength()} inputs; a batch never allocates arrays of its size.
 *
 * <p>Deterministic: the same weights and batches give the same result. Holds native memory:
 * {@link #close()} it. Not thread-safe.
 */
public final class FusedLstmTrainer implements AutoCloseable {
    /** Names of the phases timed by {@link #phaseSeconds()}, in order. */
    public static final List<String> PHASES = List.of("batch_assembly", "embedding_gather", "lstm_forward",
            "head_forward", "softmax_loss", "head_backward", "lstm_backward", "embedding_backward", "adam_update");

    private final FusedLstmConfig config;
    private final FusedLstmNet net;
    private final long[] phaseNanos = new long[PHASES.size()];
    private long lap;

    /**
     * Allocates the buffers and sets the initial parameters.
     *
     * @throws IllegalArgumentException if the weights do not have the configured shapes
     */
    public FusedLstmTrainer(FusedLstmConfig config, FusedLstmWeights initial) {
        this.config = config;
        if (initial.vocabulary() != config.vocabulary() || initial.embeddingSize() != config.embedding()
                || initial.hidden() != config.hidden()) {
            throw new IllegalArgumentException("weights are " + initial.vocabulary() + " x " + initial.embeddingSize()
                    + " -> " + initial.hidden() + ", config is " + config.vocabulary() + " x " + config.embedding()
                    + " -> " + config.hidden());
        }
        this.net = new FusedLstmNet(config.vocabulary(), config.embedding(), config.hidden(), config.maxBatch(),
                config.maxLength());
        try {
            setWeights(initial);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** The configuration. */
    public FusedLstmConfig config() {
        return config;
    }

    /**
     * One training step: forward, backward and an Adam update on one batch. Each sequence is item
     * ids {@code s[0..k-1]} ({@code k >= 2}, every id in {@code [1, vocabulary)}); its positions are
     * input {@code s[j]} with target {@code s[j+1]}.
     *
     * @return the batch's score before the update: summed cross-entropy of every position divided
     *     by the number of sequences (DL4J's {@code score()} for this model)
     * @throws IllegalArgumentException if the batch is empty, too large or holds a bad sequence
     */
    public double fit(List<int[]> sequences) {
        lap = System.nanoTime();
        BatchPlan plan = plan(sequences);
        lap(0);
        double score = net.forwardBackward(plan, phase -> lap(phase + 1));
        net.adamStep(config.learningRate(), config.beta1(), config.beta2(), config.epsilon());
        lap(PHASES.size() - 1);
        return score;
    }

    private BatchPlan plan(List<int[]> sequences) {
        if (sequences.size() > config.maxBatch()) {
            throw new IllegalArgumentException("batch of " + sequences.size() + " sequences, at most "
                    + config.maxBatch() + " configured");
        }
        for (int i = 0; i < sequences.size(); i++) {
            int[] s = sequences.get(i);
            if (s != null && s.length - 1 > config.maxLength()) {
                throw new IllegalArgumentException("sequence " + i + " of the batch has " + (s.length - 1)
                        + " inputs, at most " + config.maxLength() + " configured");
            }
        }
        return BatchPlan.of(sequences, config.vocabulary());
    }

    private void lap(int phase) {
        long now = System.nanoTime();
        phaseNanos[phase] += now - lap;
        lap = now;
    }

    /** Number of updates taken so far. */
    public int iterations() {
        return net.iteration();
    }

    /** Cumulative wall time of each phase of {@link #fit(List)}, in seconds, keyed by {@link #PHASES}. */
    public Map<String, Double> phaseSeconds() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < PHASES.size(); i++) {
            m.put(PHASES.get(i), phaseNanos[i] / 1e9);
        }
        return Collections.unmodifiableMap(m);
    }

    /** A copy of the current parameters. */
    public FusedLstmWeights weights() {
        return new FusedLstmWeights(net.pE.toFloatMatrix(), net.pW.toFloatMatrix(), net.pRW.toFloatMatrix(),
                net.pB.toFloatVector(), net.pWo.toFloatMatrix(), net.pBo.toFloatVector());
    }

    /** Replaces the parameters; the Adam state and the step count are reset. */
    public void setWeights(FusedLstmWeights w) {
        net.setParameters(w.embedding(), w.inputWeights(), w.recurrentWeights(), w.bias(), w.outputWeights(),
                w.outputBias());
        net.resetOptimizer();
    }

    /** Frees the native buffers; idempotent. */
    @Override
    public void close() {
        net.close();
    }
}
