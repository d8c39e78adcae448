package org.persona4j.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Ids;
import org.persona4j.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's write-behind: remembers which cached users changed and writes them to the store —
 * in background rounds every {@code interval}, paced by a duty cycle, and unpaced on demand
 * ({@link #flushAll()}, from {@code flush()} and {@code close()}) and on eviction
 * ({@link #persist}). Counts the records written and the time spent writing them.
 *
 * <p>A background round takes the pending users in slices of {@link #SLICE} and rests after each
 * slice so that writing takes at most {@code dutyCycle} of the writer's wall time: the writer's
 * CPU use is spread out instead of coming in bursts of one whole round. (At the open-loop
 * benchmark's load, docs/benchmarks.md, ingest p99 did not differ measurably between 0.25 and 1.)
 *
 * <p>A write that cannot succeed is not retried forever: a permanent error ({@link BadInputException},
 * a {@linkplain StoreException#permanent() permanent} {@link StoreException}, an
 * {@link IllegalArgumentException}) or {@code maxAttempts} failures in a row for the same user
 * quarantine that write: the user is marked clean and dropped from the retry set, the write is
 * counted ({@link #quarantined()}) and logged at WARN once per user (id truncated). A later change
 * of the user is written afresh.
 *
 * <p>Time and the background thread come from a {@link Timing}, which tests replace to run rounds
 * and advance time by hand. Thread-safe: each user is written inside its per-key compute of the
 * cache, so a write never interleaves with a change of the same user.
 */
final class WriteBehind {
    private static final Logger LOG = LoggerFactory.getLogger(WriteBehind.class);
    /** Users written by a background round between two rests. */
    static final int SLICE = 32;
    /** Failed writes in a row of one user before it is quarantined, by default. */
    static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** Users remembered as already warned about (beyond this, warnings may repeat). */
    private static final int MAX_WARNED = 1_000;

    /** Writes one user's record to the store; throws when the store fails. */
    @FunctionalInterface
    interface RecordWriter {
        /** @param entry the user, held inside its per-key compute */
        void write(UserEntry entry);
    }

    /** Stops a started background writer. */
    @FunctionalInterface
    interface Stopper {
        /** Stops scheduling rounds and waits (boundedly) for a running round to end. */
        void stop();
    }

    /** The clock, the rests and the background thread of the write-behind. */
    interface Timing {
        /** @return a monotonic time in nanoseconds, for the duty cycle and the write-time counter */
        long nanoTime();

        /** @param nanos how long to rest between two slices, > 0 */
        void rest(long nanos);

        /**
         * @param round the background round, to be run every {@code intervalMillis} (fixed delay)
         * @param intervalMillis the interval, > 0
         * @return what stops it
         */
        Stopper start(Runnable round, long intervalMillis);
    }

    /** The system clock, {@link LockSupport#parkNanos} rests and one daemon thread. */
    static final Timing SYSTEM = new Timing() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void rest(long nanos) {
            LockSupport.parkNanos(nanos);
        }

        @Override
        public Stopper start(Runnable round, long intervalMillis) {
            ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "persona4j-engine-flush");
                t.setDaemon(true);
                return t;
            });
            ex.scheduleWithFixedDelay(round, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
            return () -> {
                ex.shutdown();
                try {
                    ex.awaitTermination(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
        }
    };

    private final ConcurrentMap<String, UserEntry> users;
    private final RecordWriter writer;
    private final LongAdder storeFailures;
    private final double dutyCycle;
    private final Timing timing;
    /** Users with unwritten changes → the lowest journal sequence number among them (0 without a journal). */
    private final ConcurrentMap<String, Long> dirty = new ConcurrentHashMap<>();
    private final LongAdder written = new LongAdder();
    private final LongAdder writeNanos = new LongAdder();
    private final Stopper stopper;
    private final int maxAttempts;
    private final ConcurrentMap<String, Integer> failures = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final LongAdder quarantined = new LongAdder();
    private volatile boolean stopping;
    private volatile Runnable afterRound;

    /**
     * @param users the engine's live users (the cache's map view)
     * @param writer writes one user's record
     * @param storeFailures where failed writes are counted
     * @param intervalMillis the background interval; 0 for no background writer
     * @param dutyCycle the largest share of its wall time a background round spends writing, in (0, 1]
     * @param timing the clock, rests and thread
     */
    WriteBehind(ConcurrentMap<String, UserEntry> users, RecordWriter writer, LongAdder storeFailures,
                long intervalMillis, double dutyCycle, Timing timing) {
        this(users, writer, storeFailures, intervalMillis, dutyCycle, timing, DEFAULT_MAX_ATTEMPTS);
    }

    /**
     * @param users the engine's live users (the cache's map view)
     * @param writer writes one user's record
     * @param storeFailures where failed writes are counted
     * @param intervalMillis the background interval; 0 for no background writer
     * @param dutyCycle the largest share of its wall time a background round spends writing, in (0, 1]
     * @param timing the clock, rests and thread
     * @param maxAttempts failed writes in a row of one user before it is quarantined, >= 1
     */
    WriteBehind(ConcurrentMap<String, UserEntry> users, RecordWriter writer, LongAdder storeFailures,
                long intervalMillis, double dutyCycle, Timing timing, int maxAttempts) {
        this.maxAttempts = Math.max(1, maxAttempts);
        this.users = users;
        this.writer = writer;
        this.storeFailures = storeFailures;
        this.timing = timing;
        this.dutyCycle = intervalMillis > 0 ? dutyCycle : 1.0;
        this.stopper = intervalMillis > 0 ? timing.start(this::roundQuietly, intervalMillis) : null;
    }

    /**
     * Marks a user pending. Called inside the user's per-key compute, right after the change, so
     * that no change is ever applied without its user being pending ({@link #minPendingSeq}).
     *
     * @param userId a user whose live state changed
     * @param seq the change's journal sequence number (0 without a journal)
     */
    void markDirty(String userId, long seq) {
        dirty.merge(userId, seq, Math::min);
    }

    /** @param userId a user whose live state changed (no journal) */
    void markDirty(String userId) {
        markDirty(userId, 0L);
    }

    /** @return the lowest journal sequence number of a change not yet written, or {@link Long#MAX_VALUE} */
    long minPendingSeq() {
        long min = Long.MAX_VALUE;
        for (Long v : dirty.values()) {
            min = Math.min(min, v);
        }
        return min;
    }

    /** @param r run after each background round and each {@link #flushAll} (the journal's truncation) */
    void afterRound(Runnable r) {
        this.afterRound = r;
    }

    /** @param userId a user that is being forgotten: nothing of it is to be written */
    void discard(String userId) {
        dirty.remove(userId);
        failures.remove(userId);
    }

    /** @return users with changes not yet written */
    int pending() {
        return dirty.size();
    }

    /** @return user records written */
    long usersWritten() {
        return written.sum();
    }

    /** @return writes given up on (permanent error or too many failures in a row) */
    long quarantined() {
        return quarantined.sum();
    }

    /** @return wall-clock milliseconds spent writing, all writers together */
    long writeMillis() {
        return writeNanos.sum() / 1_000_000;
    }

    /**
     * Writes one user now and marks it clean; on failure counts it, logs it (without personal
     * data) and leaves the user pending for the next round, unless the error is permanent or the
     * user's writes failed {@code maxAttempts} times in a row: then the write is quarantined (the
     * user marked clean, not retried). Called inside the user's per-key compute, or from the
     * eviction, which holds it.
     *
     * @param e the user
     */
    void persist(UserEntry e) {
        long t0 = timing.nanoTime();
        try {
            writer.write(e);
            e.markClean();
            dirty.remove(e.userId);
            written.increment();
            failures.remove(e.userId);
        } catch (RuntimeException ex) {
            storeFailures.increment();
            boolean permanent = permanent(ex);
            int n = failures.merge(e.userId, 1, Integer::sum);
            if (permanent || n >= maxAttempts) {
                quarantine(e, ex, permanent, n);
            } else {
                LOG.error("writing a user to the stores failed (attempt {} of {}, will retry): {}", n, maxAttempts, ex.toString());
            }
        } finally {
            writeNanos.add(timing.nanoTime() - t0);
        }
    }

    private void quarantine(UserEntry e, RuntimeException ex, boolean permanent, int attempts) {
        failures.remove(e.userId);
        dirty.remove(e.userId);
        e.markClean();
        quarantined.increment();
        boolean first = warned.size() < MAX_WARNED ? warned.add(e.userId) : !warned.contains(e.userId);
        String why = permanent ? "a permanent error" : attempts + " failed attempts in a row";
        if (first) {
            LOG.warn("write-behind: giving up on writing user '{}' after {} (quarantined, not retried; "
                    + "its next change is written afresh): {}", Ids.truncate(e.userId, 16), why, ex.toString());
        } else {
            LOG.debug("write-behind: quarantined user '{}' again after {}: {}", Ids.truncate(e.userId, 16), why, ex.toString());
        }
    }

    /** @return whether retrying the write cannot help */
    static boolean permanent(Throwable ex) {
        return ex instanceof BadInputException || ex instanceof IllegalArgumentException
                || (ex instanceof StoreException se && se.permanent());
    }

    /** Writes every pending user now, unpaced. */
    void flushAll() {
        for (String uid : new ArrayList<>(dirty.keySet())) {
            writeOne(uid);
        }
        runAfterRound();
    }

    private void runAfterRound() {
        Runnable r = afterRound;
        if (r != null) {
            try {
                r.run();
            } catch (RuntimeException ex) {
                LOG.error("after a write-behind round: {}", ex.toString());
            }
        }
    }

    /**
     * One background round: the pending users in slices of {@link #SLICE}, resting after each
     * slice for {@code busy × (1 − dutyCycle) / dutyCycle}. Ends early when {@link #close} starts.
     */
    void round() {
        List<String> pending = new ArrayList<>(dirty.keySet());
        for (int i = 0; i < pending.size() && !stopping; i += SLICE) {
            long t0 = timing.nanoTime();
            for (int j = i; j < Math.min(pending.size(), i + SLICE); j++) {
                writeOne(pending.get(j));
            }
            if (dutyCycle < 1.0) {
                long busy = timing.nanoTime() - t0;
                long rest = (long) (busy * (1.0 - dutyCycle) / dutyCycle);
                if (rest > 0) {
                    timing.rest(rest);
                }
            }
        }
        if (!stopping) {
            runAfterRound();
        }
    }

    private void roundQuietly() {
        try {
            round();
        } catch (RuntimeException ex) {
            LOG.error("background flush failed: {}", ex.toString());
        }
    }

    private void writeOne(String uid) {
        // inside the per-key compute: no change of this user can slip between the write and the
        // removal from the pending set
        users.compute(uid, (k, e) -> {
            if (e == null) {
                dirty.remove(k); // evicted (and written then) or forgotten meanwhile: nothing left to retry
                failures.remove(k);
            } else if (e.dirty()) {
                persist(e);
            } else {
                dirty.remove(k);
            }
            return e;
        });
    }

    /** Stops the background writer (waiting for a running round), then writes every pending user. */
    void close() {
        stopping = true;
        if (stopper != null) {
            stopper.stop();
        }
        flushAll();
    }
}
