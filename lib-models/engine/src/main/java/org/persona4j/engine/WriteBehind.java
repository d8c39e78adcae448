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
 * <p>Time and the background thread come from a {@link Timing}, which tests replace to run rounds
 * and advance time by hand. Thread-safe: each user is written inside its per-key compute of the
 * cache, so a write never interleaves with a change of the same user.
 */
final class WriteBehind {
    private static final Logger LOG = LoggerFactory.getLogger(WriteBehind.class);
    /** Users written by a background round between two rests. */
    static final int SLICE = 32;

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
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final LongAdder written = new LongAdder();
    private final LongAdder writeNanos = new LongAdder();
    private final Stopper stopper;
    private volatile boolean stopping;

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
        this.users = users;
        this.writer = writer;
        this.storeFailures = storeFailures;
        this.timing = timing;
        this.dutyCycle = intervalMillis > 0 ? dutyCycle : 1.0;
        this.stopper = intervalMillis > 0 ? timing.start(this::roundQuietly, intervalMillis) : null;
    }

    /** @param userId a user whose live state changed */
    void markDirty(String userId) {
        dirty.add(userId);
    }

    /** @param userId a user that is being forgotten: nothing of it is to be written */
    void discard(String userId) {
        dirty.remove(userId);
    }

    /** @return users with changes not yet written */
    int pending() {
        return dirty.size();
    }

    /** @return user records written */
    long usersWritten() {
        return written.sum();
    }

    /** @return wall-clock milliseconds spent writing, all writers together */
    long writeMillis() {
        return writeNanos.sum() / 1_000_000;
    }

    /**
     * Writes one user now and marks it clean; on failure counts it, logs it (without personal
     * data) and leaves the user pending for the next round. Called inside the user's per-key
     * compute, or from the eviction, which holds it.
     *
     * @param e the user
     */
    void persist(UserEntry e) {
        long t0 = timing.nanoTime();
        try {
            writer.write(e);
            e.markClean();
            written.increment();
        } catch (RuntimeException ex) {
            storeFailures.increment();
            dirty.add(e.userId);
            LOG.error("writing a user to the stores failed (will retry): {}", ex.toString());
        } finally {
            writeNanos.add(timing.nanoTime() - t0);
        }
    }

    /** Writes every pending user now, unpaced. */
    void flushAll() {
        for (String uid : new ArrayList<>(dirty)) {
            writeOne(uid);
        }
    }

    /**
     * One background round: the pending users in slices of {@link #SLICE}, resting after each
     * slice for {@code busy × (1 − dutyCycle) / dutyCycle}. Ends early when {@link #close} starts.
     */
    void round() {
        List<String> pending = new ArrayList<>(dirty);
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
    }

    private void roundQuietly() {
        try {
            round();
        } catch (RuntimeException ex) {
            LOG.error("background flush failed: {}", ex.toString());
        }
    }

    private void writeOne(String uid) {
        dirty.remove(uid);
        users.computeIfPresent(uid, (k, e) -> {
            if (e.dirty()) {
                persist(e);
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
