package org.persona4j.models.train;

import java.util.Map;

/**
 * The result of one epoch.
 *
 * @param epoch the epoch, 1-based
 * @param meanLoss the mean batch loss
 * @param validation validation metrics ({@code hr@10}, {@code ndcg@10}, ...), empty without validation
 * @param seconds training seconds of this epoch (validation excluded)
 * @param improved whether the early-stopping metric improved on the best so far
 */
public record EpochSummary(int epoch, double meanLoss, Map<String, Double> validation, double seconds, boolean improved) {
    /** Copies the metrics. */
    public EpochSummary {
        validation = Map.copyOf(validation);
    }

    /** @return {@code epoch}, {@code loss}, {@code seconds} and {@code validation}, for JSON reports */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("loss", meanLoss);
        m.put("seconds", seconds);
        m.put("validation", validation);
        return m;
    }
}
