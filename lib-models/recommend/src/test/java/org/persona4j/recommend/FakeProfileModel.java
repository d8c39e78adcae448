package org.persona4j.recommend;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.UserProfile;
import org.persona4j.core.UserState;

/** A test model: seeded random item embeddings; a user embedding is the mean of the history's (plus 0.01 in the first component). Checked against the ProfileModel contract. */
final class FakeProfileModel implements ProfileModel {
    private final int dim;
    private final long seed;
    private volatile boolean closed;

    FakeProfileModel(int dim, long seed) {
        this.dim = dim;
        this.seed = seed;
    }

    @Override
    public String version() {
        return "fake-" + seed;
    }

    @Override
    public int embeddingSize() {
        return dim;
    }

    private record State(String userId, long eventCount, long lastEventMillis, float[] sum) implements UserState {
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("fake model closed");
        }
    }

    @Override
    public UserState newState(String userId) {
        open();
        if (userId == null || userId.isBlank()) {
            throw new BadInputException("userId is required");
        }
        return new State(userId, 0, -1, new float[dim]);
    }

    @Override
    public UserState update(UserState state, BehaviorEvent event) {
        open();
        State s = (State) state;
        if (event == null || !event.userId().equals(s.userId())) {
            throw new BadInputException("event of another user or null");
        }
        float[] sum = s.sum().clone();
        float[] v = itemEmbedding(event.itemId()).orElseThrow();
        for (int d = 0; d < dim; d++) {
            sum[d] += v[d];
        }
        return new State(s.userId(), s.eventCount() + 1, event.timestampMillis(), sum);
    }

    @Override
    public UserProfile profile(UserState state) {
        open();
        State s = (State) state;
        float[] u = new float[dim];
        u[0] = 0.01f;
        for (int d = 0; d < dim; d++) {
            u[d] += s.eventCount() == 0 ? 0f : s.sum()[d] / s.eventCount();
        }
        return new UserProfile(s.userId(), u, null, null, null, null, null, s.eventCount(), null, version());
    }

    @Override
    public UserProfile profile(String userId, List<BehaviorEvent> history) {
        open();
        if (history == null) {
            throw new BadInputException("history is required");
        }
        float[] u = new float[dim];
        u[0] = 0.01f;
        for (BehaviorEvent e : history) {
            float[] v = itemEmbedding(e.itemId()).orElseThrow();
            for (int d = 0; d < dim; d++) {
                u[d] += v[d] / history.size();
            }
        }
        return new UserProfile(userId, u, null, null, null, null, null, history.size(), null, version());
    }

    @Override
    public Optional<float[]> itemEmbedding(String itemId) {
        Random r = new Random(seed * 31 + itemId.hashCode());
        float[] v = new float[dim];
        for (int d = 0; d < dim; d++) {
            v[d] = (float) r.nextGaussian();
        }
        return Optional.of(v);
    }

    @Override
    public void close() {
        closed = true;
    }
}
