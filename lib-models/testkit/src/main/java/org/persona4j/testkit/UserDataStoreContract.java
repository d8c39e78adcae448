package org.persona4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Evidence;
import org.persona4j.core.Tag;
import org.persona4j.core.UserProfile;
import org.persona4j.store.StoreClosedException;
import org.persona4j.store.UserDataStore;

/**
 * The conformance suite every {@link UserDataStore} passes: each implementation's test extends it
 * and supplies a fresh, empty store plus a way to prove that nothing of a forgotten user remains.
 */
public abstract class UserDataStoreContract {
    protected UserDataStore store;

    /** @return a new, empty, open store */
    protected abstract UserDataStore newStore() throws Exception;

    /**
     * Asserts that the store holds nothing (no key, no record) under the given user id, looking
     * below the public API (raw keys).
     */
    protected abstract void assertNothingLeftFor(String userId) throws Exception;

    @BeforeEach
    public void open() throws Exception {
        store = newStore();
    }

    @AfterEach
    public void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    protected static UserProfile profile(String id, int dim, int seed) {
        Random r = new Random(seed);
        float[] e = new float[dim];
        for (int i = 0; i < dim; i++) {
            e[i] = (float) r.nextGaussian();
        }
        Map<String, Double> interests = new LinkedHashMap<>();
        interests.put("cat-" + seed, 0.9);
        interests.put("Beauty > Skin care", 0.4);
        // a long-term embedding on most profiles; every third one without (the format-version-1 form)
        float[] longTerm = new float[seed % 3 == 0 ? 0 : dim];
        for (int i = 0; i < longTerm.length; i++) {
            longTerm[i] = (float) r.nextGaussian();
        }
        return new UserProfile(id, e, longTerm, interests, Map.of("purchase", r.nextDouble()), Map.of("rfm.r", (double) seed),
                List.of(new Tag("price-sensitive", "Price-sensitive", 0.5, Evidence.of("share", 0.6))),
                Map.of("behaviour", "kmeans-" + (seed % 5)), seed, Instant.ofEpochMilli(1_700_000_000_000L + seed), "v" + seed);
    }

    @Test
    public void roundTripKeepsTheProfileEqual() {
        UserProfile p = profile("u1", 32, 1);
        store.save(p);
        assertEquals(p, store.load("u1").orElseThrow());
        assertArrayEquals(p.longTermEmbedding(), store.load("u1").orElseThrow().longTermEmbedding());
        assertEquals(1, store.size());
        UserProfile q = profile("u3", 8, 3);
        store.save(q);
        assertEquals(q, store.load("u3").orElseThrow(), "without a long-term embedding");
    }

    @Test
    public void saveOverwrites() {
        store.save(profile("u1", 8, 1));
        UserProfile newer = profile("u1", 8, 2);
        store.save(newer);
        assertEquals(newer, store.load("u1").orElseThrow());
        assertEquals(1, store.size());
    }

    @Test
    public void unknownIdsAreEmptyNotErrors() {
        assertTrue(store.load("nobody").isEmpty());
        assertTrue(store.getState("nobody", "lstm").isEmpty());
        assertTrue(store.statesOf("nobody").isEmpty());
        assertFalse(store.delete("nobody"));
        assertFalse(store.deleteState("nobody", "lstm"));
        assertEquals(0, store.size());
    }

    @Test
    public void statesAreStoredBesideProfilesAndKept() {
        byte[] a = {1, 2, 3};
        store.putState("u1", "agg", a);
        a[0] = 9; // the store keeps a copy
        store.save(profile("u1", 4, 1), Map.of("lstm", new byte[] {4, 5}, "empty", new byte[0]));
        assertArrayEquals(new byte[] {1, 2, 3}, store.getState("u1", "agg").orElseThrow());
        assertArrayEquals(new byte[] {4, 5}, store.getState("u1", "lstm").orElseThrow());
        Map<String, byte[]> all = store.statesOf("u1");
        assertEquals(List.of("agg", "empty", "lstm"), new ArrayList<>(all.keySet()));
        assertEquals(0, all.get("empty").length);
        assertTrue(store.deleteState("u1", "agg"));
        assertTrue(store.getState("u1", "agg").isEmpty());
        assertTrue(store.load("u1").isPresent(), "deleting a slot keeps the profile");
        // state of a user with a similar id is separate
        store.putState("u10", "agg", new byte[] {7});
        assertEquals(List.of("empty", "lstm"), new ArrayList<>(store.statesOf("u1").keySet()));
    }

    @Test
    public void deleteForgetsProfileAndEveryState() throws Exception {
        String id = "forget-me-7f3a";
        store.save(profile(id, 16, 3), Map.of("lstm", "hidden".getBytes(StandardCharsets.UTF_8)));
        store.putState(id, "aggregates", new byte[] {1});
        store.save(profile("keep-me", 16, 4), Map.of("lstm", new byte[] {2}));
        assertTrue(store.delete(id));
        assertTrue(store.load(id).isEmpty());
        assertTrue(store.statesOf(id).isEmpty());
        assertFalse(store.delete(id), "second delete finds nothing");
        assertEquals(1, store.size());
        assertTrue(store.load("keep-me").isPresent());
        assertArrayEquals(new byte[] {2}, store.getState("keep-me", "lstm").orElseThrow());
        assertNothingLeftFor(id);
        // a user with only state is forgotten too
        store.putState("state-only-user", "lstm", new byte[] {5});
        assertTrue(store.delete("state-only-user"));
        assertNothingLeftFor("state-only-user");
    }

    @Test
    public void concurrentWritersLoseNothing() throws Exception {
        int threads = 8;
        int perThread = 150;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int tt = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String id = "t" + tt + "-u" + i;
                        store.save(profile(id, 8, i));
                        store.putState(id, "lstm", new byte[] {(byte) tt, (byte) i});
                        // every thread also rewrites one shared user
                        store.save(profile("shared", 8, tt * 1000 + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * perThread + 1, store.size());
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                String id = "t" + t + "-u" + i;
                assertEquals(profile(id, 8, i), store.load(id).orElseThrow(), id);
                assertArrayEquals(new byte[] {(byte) t, (byte) i}, store.getState(id, "lstm").orElseThrow(), id);
            }
        }
        UserProfile shared = store.load("shared").orElseThrow();
        assertEquals(profile("shared", 8, (int) shared.eventCount()), shared, "the shared user is one complete write");
    }

    @Test
    public void sizeCountsProfilesNotStates() {
        for (int i = 0; i < 25; i++) {
            store.save(profile("u" + i, 4, i));
        }
        store.putState("only-state", "lstm", new byte[] {1});
        assertEquals(25, store.size());
        store.delete("u3");
        assertEquals(24, store.size());
    }

    @Test
    public void largeProfilesRoundTrip() {
        Map<String, Double> interests = new LinkedHashMap<>();
        for (int i = 0; i < 3000; i++) {
            interests.put("category/" + i + "/ünïcode", i / 3000.0);
        }
        List<Tag> tags = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tags.add(new Tag("t" + i, "Tag number " + i, 0.5, Evidence.of("i", i, "why", "x".repeat(100))));
        }
        float[] e = new float[8192];
        for (int i = 0; i < e.length; i++) {
            e[i] = i * 0.001f;
        }
        UserProfile big = new UserProfile("big", e, interests, Map.of(), Map.of(), tags, Map.of(), 123_456_789L, Instant.now(), "m");
        byte[] state = new byte[1 << 20];
        new Random(5).nextBytes(state);
        store.save(big, Map.of("lstm", state));
        assertEquals(big, store.load("big").orElseThrow());
        assertArrayEquals(state, store.getState("big", "lstm").orElseThrow());
    }

    @Test
    public void unicodeAndAwkwardIdsAreDistinct() {
        List<String> ids = List.of("ユーザー42", "😀", "ü", "u", "a b", "a:b", "p:x", "s:x", "*", "[x]?", "\\", "id\twith\ttabs", "u\u0000nul");
        for (int i = 0; i < ids.size(); i++) {
            store.save(profile(ids.get(i), 4, i), Map.of("slot-é", new byte[] {(byte) i}));
        }
        assertEquals(ids.size(), store.size());
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(profile(ids.get(i), 4, i), store.load(ids.get(i)).orElseThrow(), ids.get(i));
            assertArrayEquals(new byte[] {(byte) i}, store.getState(ids.get(i), "slot-é").orElseThrow(), ids.get(i));
        }
        assertTrue(store.delete("*"));
        assertEquals(ids.size() - 1, store.size(), "deleting '*' deletes only that id");
    }

    @Test
    public void blankIdsAreBadInput() {
        assertThrows(BadInputException.class, () -> store.load(" "));
        assertThrows(BadInputException.class, () -> store.putState("u", "", new byte[0]));
        assertThrows(BadInputException.class, () -> store.putState("u", "s", null));
        assertThrows(BadInputException.class, () -> store.save(null));
    }

    @Test
    public void closeIsIdempotentAndUseAfterCloseIsClear() {
        store.save(profile("u1", 4, 1));
        store.close();
        store.close();
        StoreClosedException e = assertThrows(StoreClosedException.class, () -> store.load("u1"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(StoreClosedException.class, () -> store.save(profile("u2", 4, 2)));
        assertThrows(StoreClosedException.class, () -> store.delete("u1"));
        assertThrows(StoreClosedException.class, () -> store.size());
        assertThrows(StoreClosedException.class, () -> store.putState("u1", "s", new byte[0]));
        assertThrows(StoreClosedException.class, () -> store.statesOf("u1"));
    }
}
