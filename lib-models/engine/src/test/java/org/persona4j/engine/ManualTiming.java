package org.persona4j.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A write-behind timing driven by the test: time advances only when the test (or a store it
 * wraps) says so, rests are recorded instead of slept, and background rounds run when the test
 * calls {@link #runRound()}, on the test's thread.
 */
final class ManualTiming implements WriteBehind.Timing {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    final List<Long> rests = new ArrayList<>();
    private Runnable round;
    long intervalMillis = -1;
    boolean stopped;

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public synchronized void rest(long nanos) {
        rests.add(nanos);
        now.addAndGet(nanos);
    }

    @Override
    public synchronized WriteBehind.Stopper start(Runnable r, long interval) {
        this.round = r;
        this.intervalMillis = interval;
        return () -> stopped = true;
    }

    /** @param nanos how far time moves on */
    void advance(long nanos) {
        now.addAndGet(nanos);
    }

    /** Runs one background round now, as the writer's thread would after an interval. */
    void runRound() {
        Runnable r;
        synchronized (this) {
            if (round == null || stopped) {
                throw new IllegalStateException("no background writer is running");
            }
            r = round;
        }
        r.run();
    }
}
