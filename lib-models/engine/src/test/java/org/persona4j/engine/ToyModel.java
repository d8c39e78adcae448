package org.persona4j.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.UserProfile;
import org.persona4j.core.UserState;

/**
 * A small exact model for engine tests: an item's embedding is a fixed pseudo-random vector of its
 * id; the user embedding is the mean of the item vectors seen. Update is O(1) and equals the batch
 * profile exactly, like the real model's contract.
 */
final class ToyModel implements ProfileModel {
    static final int DIM = 8;
    private final String version;
    final AtomicBoolean closed = new AtomicBoolean();

    ToyModel(String version) {
        this.version = version;
    }

    record State(String userId, long eventCount, long lastEventMillis, float[] sum) implements UserState {
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public int embeddingSize() {
        return DIM;
    }

    @Override
    public UserState newState(String userId) {
        check();
        if (userId == null || userId.isBlank()) {
            throw new BadInputException("userId is required");
        }
        return new State(userId, 0, -1, new float[DIM]);
    }

    @Override
    public UserState update(UserState state, BehaviorEvent event) {
        check();
        State s = (State) state;
        if (event == null) {
            throw new BadInputException("event is required");
        }
        if (!event.userId().equals(s.userId())) {
            throw new BadInputException("event of " + event.userId() + " folded into state of " + s.userId());
        }
        float[] sum = s.sum().clone();
        if (event.itemId() != null) {
            float[] v = vector(event.itemId());
            for (int i = 0; i < DIM; i++) {
                sum[i] += v[i];
            }
        }
        return new State(s.userId(), s.eventCount() + 1, event.timestampMillis(), sum);
    }

    @Override
    public UserProfile profile(UserState state) {
        check();
        State s = (State) state;
        float[] e = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            e[i] = s.eventCount() == 0 ? 0 : s.sum()[i] / s.eventCount();
        }
        return new UserProfile(s.userId(), e, Map.of(), Map.of("purchase", 0.5), Map.of(), List.of(), Map.of(),
                s.eventCount(), s.lastEventMillis() < 0 ? Instant.EPOCH : Instant.ofEpochMilli(s.lastEventMillis()), version);
    }

    @Override
    public UserProfile profile(String userId, List<BehaviorEvent> history) {
        if (history == null) {
            throw new BadInputException("history is required");
        }
        UserState s = newState(userId);
        for (BehaviorEvent e : history) {
            s = update(s, e);
        }
        return profile(s);
    }

    @Override
    public Optional<float[]> itemEmbedding(String itemId) {
        check();
        return itemId.startsWith("unknown") ? Optional.empty() : Optional.of(vector(itemId));
    }

    static float[] vector(String itemId) {
        SplittableRandom r = new SplittableRandom(itemId.hashCode());
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private void check() {
        if (closed.get()) {
            throw new IllegalStateException("model " + version + " is closed");
        }
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
