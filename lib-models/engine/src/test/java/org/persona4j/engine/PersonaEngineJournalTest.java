package org.persona4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.store.InMemoryProfileStore;

/**
 * The engine with its event journal: a crash (an engine abandoned without {@code close}, its
 * write-behind stopped) loses no acknowledged event and duplicates none on restart, forgets are
 * replayed, a clean close leaves nothing to replay, and an over-full journal refuses events
 * (backpressure) until the store catches up. The real {@code kill -9} of a child JVM is tested in
 * lib-examples ({@code EngineKillTest}, {@code ServeKillTest}).
 */
class PersonaEngineJournalTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private static BehaviorEvent ev(String user, int i) {
        return BehaviorEvent.of(user, "item-" + i, EventType.VIEW, T0 + i * 1000L);
    }

    private PersonaEngine.Builder engine(InMemoryProfileStore store) {
        // no background writer: the store holds only what flush() wrote
        return PersonaEngine.builder(new ToyModel("v1")).store(store).closeStores(false).historySize(1000)
                .flushInterval(Duration.ZERO).journal(dir.resolve("journal"));
    }

    @Test
    void aCrashLosesNoAcknowledgedEventAndReplayDuplicatesNone() {
        InMemoryProfileStore store = new InMemoryProfileStore();
        Map<String, List<String>> expected = new HashMap<>();
        PersonaEngine crashed = engine(store).build();
        for (int i = 0; i < 120; i++) {
            String u = "u" + (i % 7);
            crashed.ingest(ev(u, i));
            expected.computeIfAbsent(u, k -> new ArrayList<>()).add("item-" + i);
            if (i == 59) {
                crashed.flush(); // half of the events reach the store (with their journal position)
            }
        }
        // crashed is abandoned here, never closed: 60 events exist only in its journal
        try (PersonaEngine restarted = engine(store).build()) {
            assertEquals(60, restarted.stats().eventsReplayed(), "the unstored half is replayed, the stored half skipped");
            for (Map.Entry<String, List<String>> x : expected.entrySet()) {
                List<String> items = restarted.recentEvents(x.getKey()).stream().map(BehaviorEvent::itemId).toList();
                assertEquals(x.getValue(), items, "user " + x.getKey() + ": every event once, in order");
                assertEquals(x.getValue().size(), restarted.profile(x.getKey()).eventCount());
            }
        }
    }

    @Test
    void concurrentIngestsForOneUserWithFlushesLoseNothingInACrash() throws Exception {
        // several threads ingest for the same few users while the store is flushed again and again:
        // a user's events must take their journal positions in the order they are applied, or a flush
        // can store a position that covers a not yet applied event, which replay would then skip
        for (int round = 0; round < 8; round++) {
            Path journal = dir.resolve("journal-" + round);
            InMemoryProfileStore store = new InMemoryProfileStore();
            java.util.function.Supplier<PersonaEngine.Builder> b = () -> PersonaEngine.builder(new ToyModel("v1")).store(store)
                    .closeStores(false).historySize(100_000).flushInterval(Duration.ZERO).journal(journal)
                    .journalDurability(JournalDurability.SYNC);
            PersonaEngine crashed = b.get().build();
            int threads = 4;
            int perThread = 400;
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Thread flusher = new Thread(() -> {
                while (!done.get()) {
                    crashed.flush();
                }
            });
            flusher.start();
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        crashed.ingest(BehaviorEvent.of("u" + (i % 2), "t" + thread + "-" + i, EventType.VIEW, T0 + i));
                    }
                });
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) {
                th.join();
            }
            done.set(true);
            flusher.join();
            Map<String, List<String>> live = new HashMap<>();
            for (String u : List.of("u0", "u1")) {
                live.put(u, crashed.recentEvents(u).stream().map(BehaviorEvent::itemId).toList());
            }
            // crashed is abandoned: whatever the last flush stored, the journal holds the rest
            try (PersonaEngine restarted = b.get().build()) {
                int recovered = 0;
                for (String u : List.of("u0", "u1")) {
                    List<String> items = restarted.recentEvents(u).stream().map(BehaviorEvent::itemId).toList();
                    assertEquals(items.size(), new java.util.HashSet<>(items).size(), "round " + round + ", " + u + ": no event twice");
                    // the stored part, then the journal's records in their order: the live order, when each user's
                    // events were applied in the order of their journal positions
                    assertEquals(live.get(u), items, "round " + round + ", " + u + ": recovered in the order applied");
                    recovered += items.size();
                }
                assertEquals(threads * perThread, recovered, "round " + round + ": every acknowledged event recovered");
            }
        }
    }

    @Test
    void ingestAllIsJournaledInGroupsAndSurvivesACrash() {
        InMemoryProfileStore store = new InMemoryProfileStore();
        PersonaEngine crashed = engine(store).build();
        List<BehaviorEvent> batch = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            batch.add(ev("u" + (i % 11), i));
        }
        assertEquals(3000, crashed.ingestAll(batch));
        assertTrue(crashed.stats().journalCommits() <= 3, "one commit per chunk of " + PersonaEngine.INGEST_CHUNK
                + ": " + crashed.stats().journalCommits());
        try (PersonaEngine restarted = engine(store).build()) {
            assertEquals(3000, restarted.stats().eventsReplayed());
            long total = 0;
            for (int u = 0; u < 11; u++) {
                total += restarted.profile("u" + u).eventCount();
            }
            assertEquals(3000, total);
        }
    }

    @Test
    void aForgetIsReplayedInItsPlace() {
        InMemoryProfileStore store = new InMemoryProfileStore();
        PersonaEngine crashed = engine(store).build();
        crashed.ingest(ev("gone", 1));
        crashed.ingest(ev("gone", 2));
        crashed.flush();
        crashed.ingest(ev("gone", 3));
        crashed.forget("gone");
        crashed.ingest(ev("gone", 4));
        crashed.ingest(ev("kept", 5));
        try (PersonaEngine restarted = engine(store).build()) {
            assertEquals(List.of("item-4"), restarted.recentEvents("gone").stream().map(BehaviorEvent::itemId).toList(),
                    "only the event after the forget");
            assertEquals(1, restarted.profile("kept").eventCount());
        }
    }

    @Test
    void aForgottenUsersJournaledEventsAreGoneAfterTheNextRound() throws Exception {
        InMemoryProfileStore store = new InMemoryProfileStore();
        ManualTiming timing = new ManualTiming();
        String secret = "erase-me-7f3a";
        try (PersonaEngine e = engine(store).flushInterval(Duration.ofMillis(5)).writeBehindTiming(timing).build()) {
            for (int i = 0; i < 20; i++) {
                e.ingest(ev(i % 2 == 0 ? secret : "kept-user", i));
            }
            assertTrue(journalHolds(secret), "control: the id is in the journal before the forget");
            e.forget(secret);
            e.ingest(ev("kept-user", 99));
            timing.runRound(); // writes the pending users, then truncates what the store covers
            assertTrue(!journalHolds(secret), "the forgotten id is gone from every journal file");
            assertTrue(journalHolds("kept-user"), "the newer event of another user is still journaled");
        }
    }

    private boolean journalHolds(String id) throws java.io.IOException {
        byte[] needle = id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir.resolve("journal"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                byte[] b = java.nio.file.Files.readAllBytes(f);
                outer:
                for (int i = 0; i + needle.length <= b.length; i++) {
                    for (int j = 0; j < needle.length; j++) {
                        if (b[i + j] != needle[j]) {
                            continue outer;
                        }
                    }
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void aCleanCloseLeavesNothingToReplay() {
        InMemoryProfileStore store = new InMemoryProfileStore();
        try (PersonaEngine e = engine(store).build()) {
            for (int i = 0; i < 50; i++) {
                e.ingest(ev("u" + (i % 5), i));
            }
        }
        try (PersonaEngine restarted = engine(store).build()) {
            assertEquals(0, restarted.stats().eventsReplayed());
            assertEquals(10, restarted.profile("u3").eventCount());
        }
    }

    @Test
    void anOverfullJournalRefusesEventsUntilTheStoreCatchesUp() {
        InMemoryProfileStore store = new InMemoryProfileStore();
        try (PersonaEngine e = engine(store).journalDurability(JournalDurability.BUFFERED).maxJournalBytes(1 << 20)
                .journalSegmentBytes(64 << 10).build()) {
            int accepted = 0;
            EngineOverloadedException refused = null;
            for (int i = 0; i < 200_000 && refused == null; i++) {
                try {
                    e.ingest(ev("u" + (i % 100), i));
                    accepted++;
                } catch (EngineOverloadedException x) {
                    refused = x;
                }
            }
            assertTrue(refused != null, "refused once the journal passed 1 MiB");
            assertTrue(refused.getMessage().contains("bound 1048576"), refused.getMessage());
            assertEquals(1, e.stats().eventsRefusedOverloaded());
            assertEquals(accepted, e.stats().eventsIngested(), "the refused event was not applied");
            assertTrue(e.stats().journalBytes() > 1 << 20);
            e.flush(); // the write-behind catches up: the journal is truncated
            assertTrue(e.stats().journalBytes() < 64 << 10, "truncated: " + e.stats().journalBytes());
            e.ingest(ev("u1", 1));
            assertEquals(accepted + 1, e.stats().eventsIngested());
        }
    }

    @Test
    void maxJournalBytesBelowOneMebibyteIsRefused() {
        assertThrows(org.persona4j.core.BadInputException.class,
                () -> PersonaEngine.builder(new ToyModel("v1")).maxJournalBytes(1000));
    }
}
