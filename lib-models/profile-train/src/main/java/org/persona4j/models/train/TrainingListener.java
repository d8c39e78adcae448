package org.persona4j.models.train;

import java.util.Map;
import org.persona4j.core.Progress;
import org.persona4j.core.ProgressListener;

/** Receives training progress; called on the training thread. Both methods default to nothing. */
public interface TrainingListener {
    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() { };

    /** @param p progress after a mini-batch */
    default void onBatch(TrainingProgress p) {
    }

    /** @param s the summary of a finished epoch */
    default void onEpoch(EpochSummary s) {
    }

    /**
     * Adapts a core progress listener (e.g. the CLI's progress bar): one task per epoch, counted in batches.
     *
     * @param l the listener
     * @return a training listener forwarding batch progress
     */
    static TrainingListener progress(ProgressListener l) {
        return new TrainingListener() {
            private long epochStart = System.nanoTime();

            @Override
            public void onBatch(TrainingProgress p) {
                l.onProgress(new Progress("epoch " + p.epoch() + "/" + p.epochs(), p.batch(), p.batches(), "batches",
                        System.nanoTime() - epochStart, Map.of("loss", p.loss(), "events/s", p.eventsPerSecond(), "eta_s", p.etaSeconds())));
            }

            @Override
            public void onEpoch(EpochSummary s) {
                epochStart = System.nanoTime(); // the bar's rate and ETA are per epoch
            }
        };
    }
}
