package org.persona4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.UserProfile;
import org.persona4j.core.UserState;

/**
 * The {@link ProfileModel} contract as tests: incremental updates equal the batch profile, states
 * are values, cold start is defined, bad input is refused with {@link BadInputException}, unknown
 * items are not errors, propensities lie in [0, 1], concurrent reads agree with sequential ones,
 * and a closed model refuses further calls. Extend it with a model and a few histories.
 */
public abstract class ProfileModelContract {
    /** The model under test; {@link #createModel()} makes a fresh one per test. */
    protected ProfileModel model;

    /**
     * @return a fresh model (closed by the contract after each test)
     * @throws Exception when it cannot be built
     */
    protected abstract ProfileModel createModel() throws Exception;

    /**
     * @return at least two users' histories, each at least three events long, oldest first, every
     *     event carrying its user's id; the items should be ones the model knows
     */
    protected abstract Map<String, List<BehaviorEvent>> histories();

    /** @return the tolerance for comparing floating-point outputs of update and batch profiles */
    protected double tolerance() {
        return 1e-5;
    }

    @BeforeEach
    public void openModel() throws Exception {
        model = createModel();
    }

    @AfterEach
    public void closeModel() {
        if (model != null) {
            model.close();
        }
    }

    private UserState fold(String user, List<BehaviorEvent> h, boolean owned) {
        UserState s = model.newState(user);
        for (BehaviorEvent e : h) {
            s = owned ? model.updateOwned(s, e) : model.update(s, e);
        }
        return s;
    }

    protected void assertProfilesEqual(UserProfile a, UserProfile b, String what) {
        assertEquals(a.userId(), b.userId(), what + ": user");
        assertEquals(a.eventCount(), b.eventCount(), what + ": event count");
        assertArrayEquals(a.embedding(), b.embedding(), (float) tolerance(), what + ": embedding");
        assertArrayEquals(a.longTermEmbedding(), b.longTermEmbedding(), (float) tolerance(), what + ": long-term embedding");
        assertEquals(a.propensities().keySet(), b.propensities().keySet(), what + ": propensities");
        for (String k : a.propensities().keySet()) {
            assertEquals(a.propensities().get(k), b.propensities().get(k), tolerance(), what + ": propensity " + k);
        }
        assertEquals(a.interests().keySet(), b.interests().keySet(), what + ": interests");
        for (String k : a.interests().keySet()) {
            assertEquals(a.interests().get(k), b.interests().get(k), tolerance(), what + ": interest " + k);
        }
    }

    @Test
    public void incrementalUpdatesEqualTheBatchProfile() {
        for (Map.Entry<String, List<BehaviorEvent>> u : histories().entrySet()) {
            UserProfile batch = model.profile(u.getKey(), u.getValue());
            assertProfilesEqual(batch, model.profile(fold(u.getKey(), u.getValue(), false)), "update, user " + u.getKey());
            assertProfilesEqual(batch, model.profile(fold(u.getKey(), u.getValue(), true)), "updateOwned, user " + u.getKey());
            assertEquals(u.getValue().size(), batch.eventCount());
        }
    }

    @Test
    public void updateLeavesTheOldStateUnchanged() {
        Map.Entry<String, List<BehaviorEvent>> u = histories().entrySet().iterator().next();
        List<BehaviorEvent> h = u.getValue();
        UserState s = fold(u.getKey(), h.subList(0, h.size() - 1), false);
        UserProfile before = model.profile(s);
        model.update(s, h.get(h.size() - 1));
        assertProfilesEqual(before, model.profile(s), "state after another update");
    }

    @Test
    public void coldStartIsDefined() {
        UserProfile cold = model.profile(model.newState("cold-user"));
        assertEquals(0, cold.eventCount());
        assertEquals("cold-user", cold.userId());
        assertProfilesEqual(cold, model.profile("cold-user", List.of()), "cold start");
        assertTrue(cold.embedding().length == 0 || cold.embedding().length == model.embeddingSize(),
                "embedding length " + cold.embedding().length + " vs embeddingSize " + model.embeddingSize());
    }

    @Test
    public void profilesAreWellFormed() {
        for (Map.Entry<String, List<BehaviorEvent>> u : histories().entrySet()) {
            UserProfile p = model.profile(u.getKey(), u.getValue());
            assertTrue(p.embedding().length == 0 || p.embedding().length == model.embeddingSize(),
                    "embedding length " + p.embedding().length + " vs embeddingSize " + model.embeddingSize());
            p.propensities().forEach((k, v) -> assertTrue(v >= 0 && v <= 1, "propensity " + k + " = " + v));
            assertTrue(model.version() != null && !model.version().isBlank(), "a version");
        }
    }

    @Test
    public void anotherUsersEventAndNullsAreBadInput() {
        List<String> users = new ArrayList<>(histories().keySet());
        assertTrue(users.size() >= 2, "the contract needs two users' histories");
        UserState s = model.newState(users.get(0));
        BehaviorEvent foreign = histories().get(users.get(1)).get(0);
        assertThrows(BadInputException.class, () -> model.update(s, foreign));
        assertThrows(BadInputException.class, () -> model.update(s, null));
        assertThrows(BadInputException.class, () -> model.updateOwned(s, foreign));
        assertProfilesEqual(model.profile(model.newState(users.get(0))), model.profile(s), "state after refused events");
        assertThrows(BadInputException.class, () -> model.newState(null));
        assertThrows(BadInputException.class, () -> model.profile(users.get(0), null));
    }

    @Test
    public void unknownItemsAreNotErrors() {
        String user = histories().keySet().iterator().next();
        BehaviorEvent e = BehaviorEvent.builder(user, "never-seen-item-7f3a", EventType.VIEW, 1_700_000_000_000L).build();
        UserProfile p = model.profile(model.update(model.newState(user), e));
        assertEquals(1, p.eventCount());
        Optional<float[]> v = model.itemEmbedding("never-seen-item-7f3a");
        assertTrue(v.isEmpty() || v.get().length == model.embeddingSize(), "an unknown item has no embedding or one of the model's size");
    }

    @Test
    public void itemEmbeddingsHaveTheModelsSize() {
        for (List<BehaviorEvent> h : histories().values()) {
            for (BehaviorEvent e : h) {
                if (e.itemId() != null) {
                    model.itemEmbedding(e.itemId()).ifPresent(v -> assertEquals(model.embeddingSize(), v.length, "item " + e.itemId()));
                }
            }
        }
    }

    @Test
    public void concurrentReadsAgreeWithSequentialOnes() throws Exception {
        Map<String, List<BehaviorEvent>> hs = histories();
        List<String> users = new ArrayList<>(hs.keySet());
        List<UserProfile> expected = new ArrayList<>();
        for (String u : users) {
            expected.add(model.profile(u, hs.get(u)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<UserProfile>> got = new ArrayList<>();
            for (int rep = 0; rep < 8; rep++) {
                for (String u : users) {
                    got.add(pool.submit(() -> model.profile(u, hs.get(u))));
                }
            }
            for (int i = 0; i < got.size(); i++) {
                assertProfilesEqual(expected.get(i % users.size()), got.get(i).get(), "concurrent read " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void closeIsIdempotentAndLaterCallsFail() {
        model.close();
        model.close();
        assertThrows(IllegalStateException.class, () -> model.newState("u"));
    }
}
