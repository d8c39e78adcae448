package org.persona4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.Ids;
import org.persona4j.core.UserProfile;
import org.persona4j.store.InMemoryProfileStore;
import org.persona4j.store.StoreException;
import org.persona4j.store.UserDataStore;

/**
 * The write-behind gives up on a write that cannot succeed (quarantine) instead of retrying it
 * forever: a permanent error at once, a transient one after {@code maxWriteAttempts} failures in a
 * row; other users keep being written, and a later change of the quarantined user is tried afresh.
 */
class WriteBehindQuarantineTest {
    private static final long T0 = 1_700_000_000_000L;

    /** Fails every write of one user with the supplied exception; counts that user's attempts. */
    static final class OneBadUserStore implements UserDataStore {
        final InMemoryProfileStore inner = new InMemoryProfileStore();
        final String bad;
        final Supplier<RuntimeException> failure;
        final AtomicInteger attempts = new AtomicInteger();
        volatile boolean healed;

        OneBadUserStore(String bad, Supplier<RuntimeException> failure) {
            this.bad = bad;
            this.failure = failure;
        }

        private void check(String userId) {
            if (userId.equals(bad)) {
                attempts.incrementAndGet();
                if (!healed) {
                    throw failure.get();
                }
            }
        }

        @Override
        public Optional<UserProfile> load(String userId) {
            return inner.load(userId);
        }

        @Override
        public void save(UserProfile profile) {
            check(profile.userId());
            inner.save(profile);
        }

        @Override
        public void save(UserProfile profile, Map<String, byte[]> states) {
            check(profile.userId());
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
            check(userId);
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

    private static BehaviorEvent ev(String user, int i) {
        return BehaviorEvent.of(user, "i" + (i % 3), EventType.VIEW, T0 + i * 1000L);
    }

    @Test
    void transientFailuresOfOneUserAreQuarantinedAfterMaxAttempts() {
        String bad = "bad-user-" + "x".repeat(40);
        OneBadUserStore store = new OneBadUserStore(bad, () -> new IllegalStateException("store unavailable for this key"));
        ManualTiming timing = new ManualTiming();
        try (PersonaEngine engine = PersonaEngine.builder(new ToyModel("v1")).store(store).writeBehindTiming(timing)
                .flushInterval(Duration.ofMillis(5)).flushDutyCycle(1).maxWriteAttempts(3).closeStores(false).build()) {
            engine.ingest(ev(bad, 1));
            engine.ingest(ev("good", 1));
            timing.runRound();
            assertEquals(1, engine.stats().usersWritten(), "the good user is written");
            assertEquals(1, engine.stats().pendingWrites(), "the bad user is retried");
            timing.runRound();
            assertEquals(1, engine.stats().pendingWrites());
            assertEquals(0, engine.stats().quarantinedWrites());
            timing.runRound(); // third failure in a row: quarantined
            assertEquals(3, store.attempts.get());
            assertEquals(0, engine.stats().pendingWrites(), "dropped from the retry set");
            assertEquals(1, engine.stats().quarantinedWrites());
            assertEquals(3, engine.stats().storeFailures());
            for (int r = 0; r < 10; r++) {
                timing.runRound();
            }
            engine.flush();
            assertEquals(3, store.attempts.get(), "not retried forever (nor on flush)");

            // the good user keeps being written meanwhile
            engine.ingest(ev("good", 2));
            timing.runRound();
            assertEquals(2, engine.stats().usersWritten());

            // a later change of the quarantined user is tried afresh, and written once the store heals
            store.healed = true;
            engine.ingest(ev(bad, 2));
            timing.runRound();
            assertEquals(4, store.attempts.get());
            assertEquals(3, engine.stats().usersWritten());
            assertEquals(2, store.load(bad).orElseThrow().eventCount());
        }
    }

    @Test
    void permanentErrorsAreQuarantinedAtOnce() {
        for (Supplier<RuntimeException> f : java.util.List.<Supplier<RuntimeException>>of(
                () -> new StoreException("store: record too large for this user", null, true),
                () -> new BadInputException("field 'userId': cannot be stored"))) {
            OneBadUserStore store = new OneBadUserStore("u1", f);
            ManualTiming timing = new ManualTiming();
            try (PersonaEngine engine = PersonaEngine.builder(new ToyModel("v1")).store(store).writeBehindTiming(timing)
                    .flushInterval(Duration.ofMillis(5)).closeStores(false).build()) {
                engine.ingest(ev("u1", 1));
                timing.runRound();
                assertEquals(1, store.attempts.get());
                assertEquals(1, engine.stats().quarantinedWrites());
                assertEquals(0, engine.stats().pendingWrites());
                timing.runRound();
                assertEquals(1, store.attempts.get(), "a permanent error is not retried");
            }
            // close() (which flushes) did not retry it either
            assertEquals(1, store.attempts.get());
        }
        // a plain (transient) StoreException is retried
        assertTrue(WriteBehind.permanent(new StoreException("x", null, true)));
        assertTrue(!WriteBehind.permanent(new StoreException("x")));
        BadInputException e = assertThrows(BadInputException.class,
                () -> PersonaEngine.builder(new ToyModel("v")).maxWriteAttempts(0));
        assertTrue(e.getMessage().contains("maxWriteAttempts"), e.getMessage());
    }

    @Test
    void overlongIdsAreRefusedAtTheEngine() {
        try (PersonaEngine engine = PersonaEngine.builder(new ToyModel("v1")).build()) {
            String tooLong = "u".repeat(Ids.maxIdBytes() + 1);
            BadInputException e = assertThrows(BadInputException.class, () -> engine.profile(tooLong));
            assertTrue(e.getMessage().contains("'userId'") && e.getMessage().contains(String.valueOf(Ids.maxIdBytes())),
                    e.getMessage());
            assertThrows(BadInputException.class, () -> engine.ingest(BehaviorEvent.of(tooLong, "i", EventType.VIEW, T0)));
        }
    }
}
