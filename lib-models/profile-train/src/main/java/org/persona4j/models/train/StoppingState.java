package org.persona4j.models.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where early stopping and the plateau decays stand after an epoch; a checkpoint saves it and a
 * resumed training restores it.
 *
 * <p>An epoch whose validation metric beats the best so far becomes the best epoch and resets the
 * count of bad epochs. Otherwise the count grows; when it reaches the patience and decays are left,
 * the learning rate is multiplied by the plateau decay and the count starts again; when it reaches
 * the patience with no decay left, training stops.
 *
 * @param epoch the last finished epoch, 0 before the first
 * @param bestMetric the best validation metric so far ({@code -Infinity} before any)
 * @param bestEpoch the epoch that reached it, 0 for none
 * @param badEpochs epochs since the best (or since the last decay) without a better metric
 * @param plateauDecays the learning-rate decays so far
 * @param learningRate the learning rate the next epoch trains at
 */
record StoppingState(int epoch, double bestMetric, int bestEpoch, int badEpochs, int plateauDecays, double learningRate) {

    /** @param config the configuration @return the state before the first epoch */
    static StoppingState start(ProfileModelConfig config) {
        return new StoppingState(0, Double.NEGATIVE_INFINITY, 0, 0, 0, config.learningRate());
    }

    /** @param epoch the epoch just trained, without validation @return the state after it */
    StoppingState unvalidated(int epoch) {
        return new StoppingState(epoch, bestMetric, bestEpoch, badEpochs, plateauDecays, learningRate);
    }

    /**
     * @param epoch the epoch just trained
     * @param metric its validation metric
     * @param config the patience and the plateau decays
     * @return the state after it
     */
    StoppingState validated(int epoch, double metric, ProfileModelConfig config) {
        if (metric > bestMetric) {
            return new StoppingState(epoch, metric, epoch, 0, plateauDecays, learningRate);
        }
        int bad = badEpochs + 1;
        int decays = plateauDecays;
        double lr = learningRate;
        if (bad >= config.patience() && decays < config.plateauDecays()) {
            // reduce on plateau: go on from the current weights (and Adam moments) at a lower rate
            decays++;
            lr *= config.plateauDecay();
            bad = 0;
        }
        return new StoppingState(epoch, bestMetric, bestEpoch, bad, decays, lr);
    }

    /** @return whether the last epoch is the best so far */
    boolean improved() {
        return bestEpoch == epoch && epoch > 0;
    }

    /** @param before the state before the last epoch @return whether the last epoch lowered the learning rate */
    boolean decayedSince(StoppingState before) {
        return plateauDecays > before.plateauDecays;
    }

    /** @param config the patience @return whether the patience is spent (with validation, training stops) */
    boolean exhausted(ProfileModelConfig config) {
        return badEpochs >= config.patience();
    }

    /**
     * The state restored for a configuration that may differ from the one that saved it: the decays
     * are capped at the configuration's and the learning rate is its rate after that many decays.
     *
     * @param config the resuming configuration
     * @return the state to resume with
     */
    StoppingState resumedWith(ProfileModelConfig config) {
        int decays = Math.min(plateauDecays, config.plateauDecays());
        return new StoppingState(epoch, bestMetric, bestEpoch, badEpochs, decays,
                config.learningRate() * Math.pow(config.plateauDecay(), decays));
    }

    /** @param into the checkpoint's state object, receives the fields */
    void write(ObjectNode into) {
        into.put("epoch", epoch);
        into.put("bestMetric", bestMetric);
        into.put("bestEpoch", bestEpoch);
        into.put("badEpochs", badEpochs);
        into.put("plateauDecays", plateauDecays);
        into.put("learningRate", learningRate);
    }

    /**
     * @param st a checkpoint's state object
     * @return the state it records (the learning rate as saved; see {@link #resumedWith})
     */
    static StoppingState read(JsonNode st) {
        return new StoppingState(st.path("epoch").asInt(), st.path("bestMetric").asDouble(Double.NEGATIVE_INFINITY),
                st.path("bestEpoch").asInt(), st.path("badEpochs").asInt(), st.path("plateauDecays").asInt(0),
                st.path("learningRate").asDouble(Double.NaN));
    }
}
