package org.persona4j.engine;

/**
 * What the engine's event journal guarantees when {@link PersonaEngine#ingest} returns. Either way
 * the event is in the journal file before the call returns, and several concurrent callers share
 * one write (group commit).
 */
public enum JournalDurability {
    /**
     * The journal is fsynced before {@code ingest} returns: an acknowledged event survives a
     * process kill and a power cut. Concurrent callers share one fsync.
     */
    SYNC,
    /**
     * The journal is written to the operating system (not fsynced) before {@code ingest} returns:
     * an acknowledged event survives a process crash or {@code kill -9}, but a power cut may lose
     * the last moments.
     */
    BUFFERED
}
