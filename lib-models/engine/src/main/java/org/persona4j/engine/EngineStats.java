package org.persona4j.engine;

/**
 * Counters of a running engine, read without locking (each is exact, the set is not a snapshot).
 *
 * @param eventsIngested events folded into user states
 * @param eventsRejected events refused (null or invalid), never half-applied
 * @param lateEvents accepted events older than the user's previous event (folded in arrival order)
 * @param cachedUsers users whose live state is in memory now
 * @param pendingWrites users with changes not yet written to the stores
 * @param storeFailures failed store reads or writes (the engine kept serving)
 * @param modelSwaps how many times the model was replaced
 * @param modelVersion the version of the model serving now
 * @param usersWritten user records written to the stores (write-behind, eviction, flush, close)
 * @param writeMillis wall-clock milliseconds spent writing them, all writers together
 * @param quarantinedWrites user writes given up on (a permanent error, or {@code maxWriteAttempts}
 *     failures in a row for the same user): dropped from the retry set, logged once per user at WARN
 * @param journalBytes bytes the event journal holds on disk (0 without a journal)
 * @param eventsReplayed events replayed from the journal at start (not already in the store)
 * @param eventsRefusedOverloaded events refused because the journal was over its bound (backpressure)
 * @param journalCommits journal writes (fsyncs with SYNC) so far; ingested / commits is the group-commit factor
 * @param unknownItemEvents accepted events whose item the engine's catalogue did not hold (counted
 *     only while the catalogue is not empty; the first and then every 1,000th is logged at WARN)
 * @param cacheHits user look-ups (events, profiles, recommendations) served from the in-memory cache
 * @param cacheMisses user look-ups that had to load the user from the stores or start a new one
 */
public record EngineStats(long eventsIngested, long eventsRejected, long lateEvents, long cachedUsers,
                          long pendingWrites, long storeFailures, long modelSwaps, String modelVersion,
                          long usersWritten, long writeMillis, long quarantinedWrites, long journalBytes,
                          long eventsReplayed, long eventsRefusedOverloaded, long journalCommits, long unknownItemEvents,
                          long cacheHits, long cacheMisses) {
    /** @return hits / (hits + misses), or NaN before the first look-up */
    public double cacheHitRate() {
        long n = cacheHits + cacheMisses;
        return n == 0 ? Double.NaN : (double) cacheHits / n;
    }
}
