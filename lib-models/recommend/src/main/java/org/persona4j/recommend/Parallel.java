package org.persona4j.recommend;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs an index loop on a fixed number of threads. Each index is processed exactly once and each
 * thread has its own scratch object, so results written per index are deterministic whatever the
 * thread count.
 */
public final class Parallel {
    private Parallel() {
    }

    /**
     * The body of a loop with per-thread scratch.
     *
     * @param <S> the scratch type
     */
    @FunctionalInterface
    public interface Body<S> {
        /**
         * Runs one index.
         *
         * @param scratch this thread's scratch
         * @param index the index
         */
        void run(S scratch, int index);
    }

    /**
     * @param threads number of threads (1 runs on the caller)
     * @param n indices 0..n-1
     * @param scratch makes one scratch object per thread
     * @param body the loop body
     * @param <S> the scratch type
     */
    public static <S> void forEach(int threads, int n, Supplier<S> scratch, Body<S> body) {
        if (threads <= 1 || n < 2) {
            S s = scratch.get();
            for (int i = 0; i < n; i++) {
                body.run(s, i);
            }
            return;
        }
        ExecutorService ex = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "persona4j-parallel");
            t.setDaemon(true);
            return t;
        });
        try {
            AtomicInteger next = new AtomicInteger();
            int chunk = Math.max(1, Math.min(256, n / (threads * 8)));
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(ex.submit(() -> {
                    S s = scratch.get();
                    int start;
                    while ((start = next.getAndAdd(chunk)) < n) {
                        int end = Math.min(n, start + chunk);
                        for (int i = start; i < end; i++) {
                            body.run(s, i);
                        }
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            if (c instanceof Error) {
                throw (Error) c;
            }
            throw new IllegalStateException(c);
        } finally {
            ex.shutdownNow();
        }
    }
}
