package org.persona4j.core;

import java.util.Map;

/**
 * A snapshot of long-running work.
 *
 * @param task what is running ("generate", "train epoch 2/5")
 * @param done units done
 * @param total units in all, or -1 when unknown
 * @param unit what is counted ("events", "batches")
 * @param elapsedNanos time since the task began
 * @param metrics extra figures (loss, ...), possibly empty
 */
public record Progress(String task, long done, long total, String unit, long elapsedNanos, Map<String, Double> metrics) {
    /** Copies. */
    public Progress {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    /** @return units per second so far, 0 at the start */
    public double ratePerSecond() {
        return elapsedNanos <= 0 ? 0 : done * 1e9 / elapsedNanos;
    }

    /** @return fraction done in [0, 1], or -1 when the total is unknown */
    public double fraction() {
        return total <= 0 ? -1 : Math.min(1.0, (double) done / total);
    }

    /** @return estimated seconds left, or -1 when unknown */
    public double etaSeconds() {
        double r = ratePerSecond();
        return total <= 0 || r <= 0 ? -1 : Math.max(0, (total - done) / r);
    }
}
