package org.persona4j.core;

/**
 * Receives progress of long work (reading, generating, training). Called from the working thread;
 * implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = p -> { };

    /** @param progress the current state */
    void onProgress(Progress progress);
}
