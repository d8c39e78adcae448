package org.persona4j.engine;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value that readers lease and that can be replaced while they hold it: the engine's serving
 * model and recommender. {@link #swap} installs a new value at once, without waiting; calls that
 * leased the old value finish on it, and the old value is retired — handed to the retirement
 * callback exactly once — when the last of them releases it (at once when none holds it).
 * {@link #close} retires the current value the same way and refuses later leases and swaps.
 *
 * <p>Each installed value has a count of its leases plus one for being installed. A lease is
 * granted only while the count is above zero and the value is still the installed one, so a
 * value whose count has reached zero (retired) is never handed out again. Lock-free and
 * thread-safe; the retirement callback runs on the thread that drops the count to zero.
 *
 * @param <T> the shared value
 */
final class HotSwapRef<T> {
    private static final Logger LOG = LoggerFactory.getLogger(HotSwapRef.class);

    /** Receives each value once it is retired and unused. */
    @FunctionalInterface
    interface Retirement<T> {
        /**
         * @param retired the value no reader holds any more
         * @param successor the value that replaced it, or null when it was retired by {@link #close}
         */
        void retired(T retired, T successor);
    }

    /**
     * A leased value: {@link #get()} it while held, then {@link #release()} it exactly once
     * (typically in a {@code finally} block).
     *
     * @param <T> the shared value
     */
    static final class Lease<T> {
        private final T value;
        private final Retirement<T> retirement;
        /** Leases held, plus 1 while installed; 0 once retired. */
        private final AtomicInteger users;
        /** True for the marker installed by {@link HotSwapRef#close}: never leased. */
        private final boolean closedMarker;
        private volatile T successor;

        private Lease(T value, Retirement<T> retirement, boolean closedMarker) {
            this.value = value;
            this.retirement = retirement;
            this.closedMarker = closedMarker;
            this.users = new AtomicInteger(closedMarker ? 0 : 1);
        }

        /** @return the leased value */
        T get() {
            return value;
        }

        private boolean tryAcquire() {
            for (;;) {
                int u = users.get();
                if (u == 0) {
                    return false;
                }
                if (users.compareAndSet(u, u + 1)) {
                    return true;
                }
            }
        }

        /** Gives the lease back; the last release of a replaced value retires it. */
        void release() {
            int left = users.decrementAndGet();
            if (left == 0) {
                try {
                    retirement.retired(value, successor);
                } catch (RuntimeException e) {
                    // a failing close must not fail the reader's call that happened to release last
                    LOG.warn("retiring a replaced value failed: {}", e.toString());
                }
            } else if (left < 0) {
                throw new IllegalStateException("lease released more often than acquired");
            }
        }

        private void retire(T next) {
            successor = next;
            release(); // drops the "installed" count
        }
    }

    private final AtomicReference<Lease<T>> current;
    private final Retirement<T> retirement;

    /**
     * @param initial the value installed first (not null)
     * @param retirement called once for each value retired by {@link #swap} or {@link #close}
     */
    HotSwapRef(T initial, Retirement<T> retirement) {
        this.retirement = Objects.requireNonNull(retirement, "retirement");
        this.current = new AtomicReference<>(new Lease<>(Objects.requireNonNull(initial, "initial"), retirement, false));
    }

    /**
     * Leases the installed value; never blocks (it retries only when a swap lands in between).
     *
     * @return the lease, to be released exactly once
     * @throws IllegalStateException after {@link #close}
     */
    Lease<T> acquire() {
        for (;;) {
            Lease<T> r = current.get();
            if (r.closedMarker) {
                throw new IllegalStateException("the engine is closed");
            }
            if (r.tryAcquire()) {
                if (current.get() == r) {
                    return r;
                }
                r.release(); // replaced meanwhile: may be the release that retires it
            }
        }
    }

    /**
     * @return the installed value (after {@link #close}, the last one) without leasing it: only
     *     for facts that stay valid after retirement, such as a model's version
     */
    T peek() {
        return current.get().value;
    }

    /**
     * Installs {@code next}; the replaced value is retired once its last lease is released.
     *
     * @param next the new value (not null)
     * @return the replaced value
     * @throws IllegalStateException after {@link #close} ({@code next} is then not installed and
     *     stays the caller's)
     */
    T swap(T next) {
        Lease<T> fresh = new Lease<>(Objects.requireNonNull(next, "next"), retirement, false);
        for (;;) {
            Lease<T> old = current.get();
            if (old.closedMarker) {
                throw new IllegalStateException("the engine is closed");
            }
            if (current.compareAndSet(old, fresh)) {
                old.retire(next);
                return old.value;
            }
        }
    }

    /**
     * Retires the installed value (once its last lease is released) and refuses later leases and
     * swaps. Idempotent.
     */
    void close() {
        for (;;) {
            Lease<T> old = current.get();
            if (old.closedMarker) {
                return;
            }
            if (current.compareAndSet(old, new Lease<>(old.value, retirement, true))) {
                old.retire(null);
                return;
            }
        }
    }
}
