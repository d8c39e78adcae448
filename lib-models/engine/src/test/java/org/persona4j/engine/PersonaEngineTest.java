package org.persona4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.ReasonKind;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.UserProfile;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.AggregateSnapshot;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.aggregate.PriceQuantiles;
import org.persona4j.store.InMemoryProfileStore;
import org.persona4j.store.UserDataStore;

class PersonaEngineTest {
    private static final long T0 = 1_700_000_000_000L;

    /**
     * An in-memory store that can be switched to fail, to test retries, and that runs a hook before
     * each write (to advance a test clock or to signal the test).
     */
    static final class FlakyStore implements UserDataStore {
        final InMemoryProfileStore inner = new InMemoryProfileStore();
        final AtomicBoolean down = new AtomicBoolean();
        volatile Runnable beforeWrite = () -> { };

        private void check() {
            beforeWrite.run();
            if (down.get()) {
                throw new IllegalStateException("store unavailable");
            }
        }

        @Override
        public Optional<UserProfile> load(String userId) {
            return inner.load(userId);
        }

        @Override
        public void save(UserProfile profile) {
            check();
            inner.save(profile);
        }

        @Override
        public void save(UserProfile profile, Map<String, byte[]> states) {
            check();
            inner.save(profile, states);
        }

        @Override
        public boolean delete(String userId) {
            return inner.delete(userId);
        }

        @Override
        public long size() {
            return inner.size();
        }

        @Override
        public void putState(String userId, String slot, byte[] value) {
            check();
            inner.putState(userId, slot, value);
        }

        @Override
        public Optional<byte[]> getState(String userId, String slot) {
            return inner.getState(userId, slot);
        }

        @Override
        public Map<String, byte[]> statesOf(String userId) {
            return inner.statesOf(userId);
        }

        @Override
        public boolean deleteState(String userId, String slot) {
            return inner.deleteState(userId, slot);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    private static BehaviorEvent ev(String user, String item, int i) {
        return BehaviorEvent.of(user, item, EventType.VIEW, T0 + i * 1000L);
    }

    @Test
    void ingestedEventsShapeTheProfileExactlyLikeTheBatchModel() {
        ToyModel model = new ToyModel("v1");
        try (PersonaEngine engine = PersonaEngine.builder(model).flushInterval(Duration.ZERO).build()) {
            List<BehaviorEvent> history = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                BehaviorEvent e = ev("u1", "i" + (i % 7), i);
                history.add(e);
                engine.ingest(e);
            }
            UserProfile p = engine.profile("u1");
            assertEquals(20, p.eventCount());
            assertArrayEquals(model.profile("u1", history).embedding(), p.embedding(), 1e-6f);
            assertEquals(history, engine.recentEvents("u1"));
            UserProfile cold = engine.profile("nobody");
            assertEquals(0, cold.eventCount());
            assertEquals(0, engine.recentEvents("nobody").size());
        }
    }

    @Test
    void eightThreadsIngestingLoseNoEventAndCountNoneTwice() throws Exception {
        ToyModel model = new ToyModel("v1");
        int users = 2_000;
        int perThread = 125_000; // 8 x 125,000 = 1,000,000 events
        InMemoryCatalog catalog = new InMemoryCatalog();
        for (int i = 0; i < 97; i++) {
            catalog.put(new Item("i" + i, List.of("C" + (i % 5), "S" + (i % 9)), "B" + (i % 7), 2.0, "", "", Map.of()));
        }
        InMemoryProfileStore store = new InMemoryProfileStore();
        try (PersonaEngine engine = PersonaEngine.builder(model).store(store).catalog(catalog)
                .aggregates(AggregateConfig.defaults(), new ItemResolver(catalog, PriceQuantiles.fit(catalog)), null)
                .maxCachedUsers(1_500).historySize(20).flushInterval(Duration.ofMillis(50)).closeStores(false).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String user = "u" + ((i * 8 + thread) % users);
                        // every fourth event of a thread is a purchase of one unit at 2.0
                        EventType type = i % 4 == 0 ? EventType.PURCHASE : EventType.VIEW;
                        engine.ingest(BehaviorEvent.builder(user, "i" + (i % 97), type, T0 + i * 1000L).quantity(1).build());
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
            engine.flush();
            assertEquals(8L * perThread, engine.stats().eventsIngested());
            // expected purchases per user: user index = (i*8+thread) % users, purchase when i % 4 == 0
            long[] buys = new long[users];
            for (int t = 0; t < 8; t++) {
                for (int i = 0; i < perThread; i += 4) {
                    buys[(i * 8 + t) % users]++;
                }
            }
            long total = 0;
            for (int u = 0; u < users; u++) {
                UserProfile p = engine.profile("u" + u);
                assertEquals(8L * perThread / users, p.eventCount(), "events of u" + u);
                total += p.eventCount();
                assertEquals(p.eventCount(), store.load("u" + u).orElseThrow().eventCount(), "stored profile of u" + u);
                AggregateSnapshot a = engine.aggregates("u" + u).orElseThrow();
                assertEquals(p.eventCount(), a.eventCount(), "aggregate events of u" + u);
                assertEquals(buys[u], a.count(EventType.PURCHASE), "aggregate purchases of u" + u);
                assertEquals(2.0 * buys[u], a.monetary(), 1e-9, "monetary of u" + u);
                assertEquals(p.eventCount() - buys[u], a.count(EventType.VIEW));
                assertEquals(buys[u], p.features().get("rfm.purchases"), 1e-9);
            }
            assertEquals(8L * perThread, total);
            assertTrue(engine.stats().cachedUsers() <= 1_500 + 8, "cache bounded: " + engine.stats().cachedUsers());
        }
    }

    @Test
    void evictedUsersComeBackFromTheLogStoreWithTheirState() {
        ToyModel model = new ToyModel("v1");
        try (PersonaEngine engine = PersonaEngine.builder(model).maxCachedUsers(5).historySize(100)
                .flushInterval(Duration.ZERO).build()) {
            Map<String, List<BehaviorEvent>> hist = new ConcurrentHashMap<>();
            for (int i = 0; i < 600; i++) {
                String u = "u" + (i % 60);
                BehaviorEvent e = ev(u, "i" + (i % 13), i);
                hist.computeIfAbsent(u, k -> new ArrayList<>()).add(e);
                engine.ingest(e);
            }
            for (int u = 0; u < 60; u++) {
                UserProfile p = engine.profile("u" + u);
                assertEquals(10, p.eventCount());
                assertArrayEquals(model.profile("u" + u, hist.get("u" + u)).embedding(), p.embedding(), 1e-5f);
            }
        }
    }

    @Test
    void forgetRemovesTheUserFromCacheAndEveryStore() {
        InMemoryProfileStore store = new InMemoryProfileStore();
        try (PersonaEngine engine = PersonaEngine.builder(new ToyModel("v1")).store(store)
                .flushInterval(Duration.ZERO).closeStores(false).build()) {
            for (int i = 0; i < 10; i++) {
                engine.ingest(ev("alice", "i" + i, i));
                engine.ingest(ev("bob", "i" + i, i));
            }
            engine.flush();
            assertTrue(store.load("alice").isPresent() && store.getState("alice", PersonaEngine.EVENTS_SLOT).isPresent());
            assertTrue(engine.forget("alice"));
            assertTrue(store.load("alice").isEmpty());
            assertTrue(store.statesOf("alice").isEmpty());
            assertFalse(store.userIds().contains("alice"));
            assertEquals(0, engine.profile("alice").eventCount());
            assertEquals(List.of(), engine.recentEvents("alice"));
            engine.flush();
            assertTrue(store.load("alice").isEmpty(), "a later flush must not bring the user back");
            assertEquals(10, engine.profile("bob").eventCount());
            assertFalse(engine.forget("carol"));
        }
    }

    @Test
    void pseudonymsAreAllTheStoresEverSee() {
        InMemoryProfileStore store = new InMemoryProfileStore();
        try (PersonaEngine engine = PersonaEngine.builder(new ToyModel("v1")).store(store)
                .pseudonymizer(id -> "p-" + Integer.toHexString(id.hashCode())).flushInterval(Duration.ZERO)
                .closeStores(false).build()) {
            engine.ingest(ev("alice@example.com", "i1", 1));
            engine.flush();
            assertEquals(Set.of("p-" + Integer.toHexString("alice@example.com".hashCode())), store.userIds());
            UserProfile p = engine.profile("alice@example.com");
            assertEquals(1, p.eventCount());
            assertFalse(p.userId().contains("alice"));
            assertTrue(engine.forget("alice@example.com"));
            assertEquals(0, store.size());
            assertTrue(store.userIds().isEmpty());
        }
    }

    @Test
    void modelSwapUnderLoadDropsNoRequestAndClosesTheOldModelAfterwards() throws Exception {
        ToyModel v1 = new ToyModel("v1");
        ToyModel v2 = new ToyModel("v2");
        int threads = 4;
        int calls = 500; // per thread, before the swap and again after it
        // the background writer runs for real here: its writes are part of the load around the swap
        try (PersonaEngine engine = PersonaEngine.builder(v1).flushInterval(Duration.ofMillis(10)).build()) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean swapped = new AtomicBoolean();
            CountDownLatch warm = new CountDownLatch(threads);
            CountDownLatch after = new CountDownLatch(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Long>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                fs.add(pool.submit(() -> {
                    long n = 0;
                    long sinceSwap = -1;
                    while (!stop.get()) {
                        String u = "u" + (n % 50) + "-" + thread;
                        engine.ingest(ev(u, "i" + (n % 11), (int) n));
                        engine.profile(u);
                        n++;
                        if (n == calls) {
                            warm.countDown();
                        }
                        if (sinceSwap < 0 && swapped.get()) {
                            sinceSwap = 0;
                        }
                        if (sinceSwap >= 0 && ++sinceSwap == calls) {
                            after.countDown();
                        }
                    }
                    return n;
                }));
            }
            // swap while every thread is mid-stream, and stop only once each has served on after it
            assertTrue(warm.await(1, TimeUnit.MINUTES), "workers started");
            engine.swapModel(v2);
            swapped.set(true);
            assertTrue(after.await(1, TimeUnit.MINUTES), "workers went on after the swap");
            stop.set(true);
            long total = 0;
            for (Future<Long> f : fs) {
                total += f.get(); // rethrows if any call failed on a closed model
            }
            pool.shutdown();
            assertTrue(v1.closed.get(), "the retired model is closed once unused");
            assertFalse(v2.closed.get());
            assertEquals("v2", engine.modelVersion());
            assertEquals("v2", engine.profile("u1-0").modelVersion());
            assertEquals(total, engine.stats().eventsIngested());
            assertEquals(1, engine.stats().modelSwaps());
        }
        assertTrue(v2.closed.get(), "close() closes the serving model");
    }

    @Test
    void corruptStoredLogIsReportedAndTheEngineKeepsServing() {
        InMemoryProfileStore store = new InMemoryProfileStore();
        store.putState("mallory", PersonaEngine.EVENTS_SLOT, new byte[] {1, 2, 3, 4, 5, 6, 7});
        try (PersonaEngine engine = PersonaEngine.builder(new ToyModel("v1")).store(store)
                .flushInterval(Duration.ZERO).build()) {
            UserProfile p = engine.profile("mallory");
            assertEquals(0, p.eventCount());
            assertEquals(1, engine.stats().storeFailures());
            engine.ingest(ev("mallory", "i1", 1));
            assertEquals(1, engine.profile("mallory").eventCount());
        }
    }

    @Test
    void failingStoreIsCountedAndRetried() {
        FlakyStore store = new FlakyStore();
        AtomicBoolean down = store.down;
        down.set(true);
        try (PersonaEngine engine = PersonaEngine.builder(new ToyModel("v1")).store(store)
                .flushInterval(Duration.ZERO).closeStores(false).build()) {
            engine.ingest(ev("u", "i1", 1));
            engine.flush();
            assertTrue(engine.stats().storeFailures() >= 1);
            assertEquals(1, engine.profile("u").eventCount(), "still served from memory");
            down.set(false);
            engine.flush();
            assertEquals(1, store.load("u").orElseThrow().eventCount());
        }
    }

    @Test
    void rerankReturnsEveryCandidateOnceWithReasonsAndFavoursTheProfile() {
        ToyModel model = new ToyModel("v1");
        try (PersonaEngine engine = PersonaEngine.builder(model).flushInterval(Duration.ZERO).build()) {
            for (int i = 0; i < 30; i++) {
                engine.ingest(ev("u", "liked", i));
            }
            List<String> candidates = List.of("a", "b", "c", "d", "e", "f", "g", "liked", "unknown-1", "a");
            List<Recommendation> out = engine.rerank("u", "shoes", candidates);
            assertEquals(9, out.size());
            assertEquals(new HashSet<>(candidates), new HashSet<>(out.stream().map(Recommendation::itemId).toList()));
            out.forEach(r -> assertEquals(ReasonKind.SEARCH_RERANK, r.reasons().get(0).kind()));
            int pos = out.stream().map(Recommendation::itemId).toList().indexOf("liked");
            assertTrue(pos < 7, "the item the profile is made of moves up from 8, was at " + (pos + 1));
            List<Recommendation> anon = engine.rerank(null, "shoes", List.of("a", "b", "c"));
            assertEquals(List.of("a", "b", "c"), anon.stream().map(Recommendation::itemId).toList());
        }
    }

    @Test
    void explainNamesTheSimilarHistoryItemAndMatchingInterest() {
        InMemoryCatalog catalog = new InMemoryCatalog();
        catalog.put(new Item("x", List.of("Beauty", "Skin care"), "B", 10.0, "serum", "", Map.of()));
        try (PersonaEngine engine = PersonaEngine.builder(new ToyModel("v1")).catalog(catalog)
                .flushInterval(Duration.ZERO).build()) {
            engine.ingest(BehaviorEvent.of("u", "x", EventType.PURCHASE, T0));
            Recommendation r = engine.explain("u", "x");
            assertEquals(ReasonKind.PROFILE_MATCH, r.reasons().get(0).kind());
            Recommendation none = engine.explain("nobody", "unknown-2");
            assertEquals(ReasonKind.FALLBACK, none.reasons().get(0).kind());
            engine.addItem(new Item("y", List.of("Home"), "H", 5.0, "lamp", "", Map.of()));
            assertTrue(engine.catalog().item("y").isPresent());
        }
    }

    @Test
    void recommendAddsHistoryAndProfileAndFallsBackWhenShort() {
        List<RecommendationRequest> seen = new ArrayList<>();
        org.persona4j.core.Recommender main = new org.persona4j.core.Recommender() {
            @Override
            public String name() {
                return "main";
            }

            @Override
            public List<Recommendation> recommend(RecommendationRequest request) {
                seen.add(request);
                return List.of(Recommendation.of("m1", 1.0,
                        org.persona4j.core.Reason.of(ReasonKind.OTHER, "test")));
            }
        };
        org.persona4j.core.Recommender pop = new org.persona4j.core.Recommender() {
            @Override
            public String name() {
                return "pop";
            }

            @Override
            public List<Recommendation> recommend(RecommendationRequest request) {
                List<Recommendation> out = new ArrayList<>();
                for (String id : List.of("m1", "p1", "p2", "p3")) {
                    if (!request.excludeItems().contains(id)) {
                        out.add(Recommendation.of(id, 0.5, org.persona4j.core.Reason.of(ReasonKind.POPULAR, "popular")));
                    }
                }
                return out;
            }
        };
        try (PersonaEngine engine = PersonaEngine.builder(new ToyModel("v1")).recommender(main).fallback(pop)
                .flushInterval(Duration.ZERO).build()) {
            engine.ingest(ev("u", "i1", 1));
            List<Recommendation> recs = engine.recommend(RecommendationRequest.builder(3).user("u").build());
            assertEquals(List.of("m1", "p1", "p2"), recs.stream().map(Recommendation::itemId).toList());
            assertEquals(1, seen.get(0).history().size());
            assertEquals(1, seen.get(0).profile().orElseThrow().eventCount());
        }
    }

    @Test
    void pacedWriteBehindWritesEveryChangedUserInTheBackground() {
        FlakyStore store = new FlakyStore();
        ManualTiming timing = new ManualTiming();
        store.beforeWrite = () -> timing.advance(1_000_000); // each write takes 1 ms of test time
        int users = 3 * PersonaEngine.FLUSH_SLICE + 5;
        try (PersonaEngine engine = PersonaEngine.builder(new ToyModel("v1")).store(store).writeBehindTiming(timing)
                .flushInterval(Duration.ofMillis(20)).flushDutyCycle(0.25).closeStores(false).build()) {
            assertEquals(20, timing.intervalMillis, "a background writer is scheduled every flushInterval");
            for (int u = 0; u < users; u++) {
                engine.ingest(ev("w" + u, "i" + (u % 7), 1));
            }
            assertEquals(users, engine.stats().pendingWrites());
            assertEquals(0, engine.stats().usersWritten(), "nothing is written before a round runs");

            timing.runRound();
            assertEquals(users, engine.stats().usersWritten(), "every changed user written once, without flush()");
            assertEquals(0, engine.stats().pendingWrites());
            assertEquals(users, engine.stats().writeMillis(), "1 ms per write");
            // duty cycle 0.25: after each slice the writer rests 3 x the slice's busy time
            assertEquals(List.of(96_000_000L, 96_000_000L, 96_000_000L, 15_000_000L), timing.rests);
            for (int u = 0; u < users; u++) {
                assertEquals(1, store.load("w" + u).orElseThrow().eventCount(), "user w" + u);
            }

            timing.runRound();
            assertEquals(users, engine.stats().usersWritten(), "a round with nothing pending writes nothing");
            engine.ingest(ev("w0", "i1", 2));
            timing.runRound();
            assertEquals(users + 1, engine.stats().usersWritten());
            assertEquals(2, store.load("w0").orElseThrow().eventCount(), "a later change is written again");
        }
        assertTrue(timing.stopped, "close() stops the background writer");
        BadInputException ex = assertThrows(BadInputException.class,
                () -> PersonaEngine.builder(new ToyModel("v")).flushDutyCycle(0));
        assertTrue(ex.getMessage().contains("flushDutyCycle"), ex.getMessage());
        assertThrows(BadInputException.class, () -> PersonaEngine.builder(new ToyModel("v")).flushDutyCycle(1.5));
    }

    @Test
    void unpacedWriterAndFailedBackgroundWritesAreRetriedNextRound() {
        FlakyStore store = new FlakyStore();
        ManualTiming timing = new ManualTiming();
        store.beforeWrite = () -> timing.advance(1_000_000);
        try (PersonaEngine engine = PersonaEngine.builder(new ToyModel("v1")).store(store).writeBehindTiming(timing)
                .flushInterval(Duration.ofMillis(5)).flushDutyCycle(1).closeStores(false).build()) {
            for (int u = 0; u < 40; u++) {
                engine.ingest(ev("w" + u, "i1", 1));
            }
            store.down.set(true);
            timing.runRound();
            assertEquals(List.of(), timing.rests, "duty cycle 1 never rests");
            assertEquals(0, engine.stats().usersWritten());
            assertEquals(40, engine.stats().storeFailures());
            assertEquals(40, engine.stats().pendingWrites(), "failed users stay pending");
            store.down.set(false);
            timing.runRound();
            assertEquals(40, engine.stats().usersWritten());
            assertEquals(0, engine.stats().pendingWrites());
            assertEquals(80, engine.stats().writeMillis(), "failed writes count their time too");
        }
    }

    @Test
    void systemTimingRunsTheWriterOnItsOwnThread() throws Exception {
        FlakyStore store = new FlakyStore();
        CountDownLatch written = new CountDownLatch(1);
        Set<String> writers = ConcurrentHashMap.newKeySet();
        store.beforeWrite = () -> {
            writers.add(Thread.currentThread().getName());
            written.countDown();
        };
        try (PersonaEngine engine = PersonaEngine.builder(new ToyModel("v1")).store(store)
                .flushInterval(Duration.ofMillis(5)).closeStores(false).build()) {
            engine.ingest(ev("u", "i1", 1));
            assertTrue(written.await(1, TimeUnit.MINUTES), "written in the background, without flush()");
            assertEquals(Set.of("persona4j-engine-flush"), writers);
        }
    }

    @Test
    void eachBuildGetsItsOwnDefaultStore() {
        PersonaEngine.Builder b = PersonaEngine.builder(new ToyModel("v1")).flushInterval(Duration.ZERO).closeModels(false);
        PersonaEngine first = b.build();
        PersonaEngine second = b.build();
        try (second) {
            try (first) {
                first.ingest(ev("alice", "i1", 1));
                first.flush();
                assertEquals(1, first.profile("alice").eventCount());
                assertEquals(0, second.profile("alice").eventCount(), "the second engine does not see the first one's store");
                second.ingest(ev("bob", "i2", 1));
                second.flush();
                assertEquals(0, first.profile("bob").eventCount());
            }
            // closing the first engine closed its own store only
            second.ingest(ev("bob", "i3", 2));
            second.flush();
            assertEquals(2, second.profile("bob").eventCount());
            assertEquals(0, second.stats().storeFailures());
        }
        // an explicit store stays shared on purpose
        InMemoryProfileStore shared = new InMemoryProfileStore();
        PersonaEngine.Builder s = PersonaEngine.builder(new ToyModel("v1")).store(shared).flushInterval(Duration.ZERO)
                .closeStores(false).closeModels(false);
        try (PersonaEngine a = s.build(); PersonaEngine c = s.build()) {
            a.ingest(ev("carol", "i1", 1));
            a.flush();
            assertEquals(1, c.profile("carol").eventCount());
        }
    }

    @Test
    void badCallsGetClearErrorsAndClosedEngineRefuses() {
        PersonaEngine engine = PersonaEngine.builder(new ToyModel("v1")).flushInterval(Duration.ZERO).build();
        assertThrows(BadInputException.class, () -> engine.ingest(null));
        assertEquals(1, engine.stats().eventsRejected());
        BadInputException ex = assertThrows(BadInputException.class, () -> engine.profile(" "));
        assertTrue(ex.getMessage().contains("userId"), ex.getMessage());
        assertThrows(BadInputException.class, () -> PersonaEngine.builder(null));
        assertThrows(BadInputException.class, () -> PersonaEngine.builder(new ToyModel("v")).historySize(0));
        engine.close();
        engine.close();
        assertThrows(IllegalStateException.class, () -> engine.ingest(ev("u", "i", 1)));
    }

    @Test
    void eventsForItemsTheCatalogueLacksAreAcceptedButCounted() {
        InMemoryCatalog catalog = new InMemoryCatalog(List.of(Item.of("sku-1"), Item.of("sku-2")));
        try (PersonaEngine engine = PersonaEngine.builder(new CountingProfileModel(catalog)).catalog(catalog).build()) {
            engine.ingest(BehaviorEvent.of("u1", "sku-1", EventType.VIEW, 1_000));
            engine.ingest(BehaviorEvent.of("u1", "sku-1001", EventType.ADD_TO_CART, 2_000));
            engine.ingestAll(List.of(BehaviorEvent.of("u2", "typo", EventType.VIEW, 3_000), BehaviorEvent.of("u2", "sku-2", EventType.VIEW, 4_000)));
            assertEquals(4, engine.stats().eventsIngested());
            assertEquals(2, engine.stats().unknownItemEvents());
            assertEquals(2, engine.profile("u1").eventCount(), "still folded into the profile");
            EngineStats st = engine.stats();
            // u1: miss then hit (ingest), u2: miss then hit (ingestAll), then profile("u1"): hit
            assertEquals(2, st.cacheMisses());
            assertEquals(3, st.cacheHits());
            assertEquals(0.6, st.cacheHitRate(), 1e-12);
        }
        try (PersonaEngine engine = PersonaEngine.builder(new CountingProfileModel(new InMemoryCatalog())).build()) {
            engine.ingest(BehaviorEvent.of("u1", "anything", EventType.VIEW, 1_000));
            assertEquals(0, engine.stats().unknownItemEvents(), "no catalogue, nothing to check against");
        }
    }
}
