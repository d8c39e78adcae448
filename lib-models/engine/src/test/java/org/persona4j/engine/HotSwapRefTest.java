package org.persona4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HotSwapRefTest {
    /** A stand-in for a model: counts how often it is closed and fails when used afterwards. */
    static final class Resource {
        final String name;
        final AtomicInteger closes = new AtomicInteger();
        volatile Resource successor;

        Resource(String name) {
            this.name = name;
        }

        void use() {
            if (closes.get() > 0) {
                throw new IllegalStateException(name + " used after it was closed");
            }
        }
    }

    private static HotSwapRef<Resource> ref(Resource initial) {
        return new HotSwapRef<>(initial, (old, next) -> {
            old.successor = next;
            old.closes.incrementAndGet();
        });
    }

    @Test
    void swapWhileReadersHoldTheOldValueClosesItOnceAfterTheLastRelease() {
        Resource v1 = new Resource("v1");
        Resource v2 = new Resource("v2");
        HotSwapRef<Resource> ref = ref(v1);
        HotSwapRef.Lease<Resource> a = ref.acquire();
        HotSwapRef.Lease<Resource> b = ref.acquire();
        assertSame(v1, a.get());

        assertSame(v1, ref.swap(v2), "swap returns the replaced value");
        assertSame(v2, ref.peek());
        assertEquals(0, v1.closes.get(), "held by two readers: not closed");
        HotSwapRef.Lease<Resource> c = ref.acquire();
        assertSame(v2, c.get(), "new leases get the new value at once");

        a.release();
        assertEquals(0, v1.closes.get(), "still held by one reader");
        b.get().use();
        b.release();
        assertEquals(1, v1.closes.get(), "closed when the last reader released it");
        assertSame(v2, v1.successor, "the retirement names the successor");

        c.release();
        assertEquals(0, v2.closes.get(), "the installed value is not closed by its readers");
        ref.close();
        assertEquals(1, v2.closes.get());
        assertNull(v2.successor, "retired by close: no successor");
        ref.close();
        assertEquals(1, v1.closes.get());
        assertEquals(1, v2.closes.get(), "close is idempotent");
    }

    @Test
    void unheldValueIsClosedAtOnceAndEveryReplacedValueExactlyOnce() {
        Resource v1 = new Resource("v1");
        Resource v2 = new Resource("v2");
        Resource v3 = new Resource("v3");
        HotSwapRef<Resource> ref = ref(v1);
        ref.swap(v2);
        assertEquals(1, v1.closes.get(), "nobody held v1");
        HotSwapRef.Lease<Resource> held = ref.acquire();
        ref.swap(v3);
        ref.close();
        assertEquals(0, v2.closes.get());
        assertEquals(1, v3.closes.get(), "v3 was never leased: close retires it at once");
        held.release();
        assertEquals(1, v2.closes.get());
        assertEquals(1, v1.closes.get());
    }

    @Test
    void closeWaitsForReadersAndRefusesLaterLeasesAndSwaps() {
        Resource v1 = new Resource("v1");
        HotSwapRef<Resource> ref = ref(v1);
        HotSwapRef.Lease<Resource> held = ref.acquire();
        ref.close();
        assertEquals(0, v1.closes.get(), "a call in flight finishes on the value");
        held.get().use();
        assertThrows(IllegalStateException.class, ref::acquire);
        Resource late = new Resource("late");
        assertThrows(IllegalStateException.class, () -> ref.swap(late));
        assertEquals(0, late.closes.get(), "a refused swap leaves the value to the caller");
        assertSame(v1, ref.peek(), "peek still names the last value");
        held.release();
        assertEquals(1, v1.closes.get());
        assertThrows(IllegalStateException.class, held::release, "a second release is a bug and is refused");
    }

    @Test
    void failingRetirementDoesNotFailTheReleasingCall() {
        Resource v1 = new Resource("v1");
        HotSwapRef<Resource> ref = new HotSwapRef<>(v1, (old, next) -> {
            throw new IllegalStateException("close failed");
        });
        HotSwapRef.Lease<Resource> held = ref.acquire();
        ref.swap(new Resource("v2"));
        held.release(); // logged, not thrown
        assertEquals("v2", ref.peek().name);
    }

    @Test
    void concurrentAcquireReleaseAndSwapsNeverUseAClosedValueAndCloseEachOnce() throws Exception {
        int readers = 6;
        int swaps = 300;
        List<Resource> all = new ArrayList<>();
        Resource first = new Resource("r0");
        all.add(first);
        Map<Resource, Integer> retiredCount = new ConcurrentHashMap<>();
        HotSwapRef<Resource> ref = new HotSwapRef<>(first, (old, next) -> {
            retiredCount.merge(old, 1, Integer::sum);
            old.closes.incrementAndGet();
        });
        AtomicInteger stopped = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(readers + 1);
        CountDownLatch done = new CountDownLatch(readers);
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        List<Future<Long>> fs = new ArrayList<>();
        for (int t = 0; t < readers; t++) {
            fs.add(pool.submit(() -> {
                start.await();
                long n = 0;
                try {
                    while (stopped.get() == 0 || n < 1_000) {
                        HotSwapRef.Lease<Resource> l = ref.acquire();
                        try {
                            l.get().use(); // throws if the leased value was closed under the reader
                            if ((n & 7) == 0) {
                                HotSwapRef.Lease<Resource> nested = ref.acquire(); // re-entrant reads
                                nested.get().use();
                                nested.release();
                            }
                            l.get().use();
                        } finally {
                            l.release();
                        }
                        n++;
                    }
                } finally {
                    done.countDown();
                }
                return n;
            }));
        }
        start.await();
        for (int i = 1; i <= swaps; i++) {
            Resource next = new Resource("r" + i);
            all.add(next);
            ref.swap(next);
            if (i % 50 == 0) {
                Thread.yield();
            }
        }
        stopped.set(1);
        assertTrue(done.await(1, TimeUnit.MINUTES));
        long reads = 0;
        for (Future<Long> f : fs) {
            reads += f.get();
        }
        pool.shutdown();
        assertTrue(reads >= readers * 1_000L);
        for (int i = 0; i < swaps; i++) {
            assertEquals(1, all.get(i).closes.get(), "replaced value " + all.get(i).name + " closed exactly once");
        }
        Resource last = all.get(swaps);
        assertEquals(0, last.closes.get(), "the installed value stays open");
        assertFalse(retiredCount.containsKey(last));
        ref.close();
        assertEquals(1, last.closes.get());
        assertEquals(swaps + 1, retiredCount.size());
        retiredCount.values().forEach(c -> assertEquals(1, c));
    }
}
