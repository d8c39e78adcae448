package org.persona4j.recommend;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.UserProfile;
import org.persona4j.core.UserState;

/** A test model: seeded random item embeddings; a user embedding is the mean of the history's. */
final class FakeProfileModel implements ProfileModel {
    private final int dim;
    private final long seed;

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

    @Override
    public UserState newState(String userId) {
        throw new UnsupportedOperationException("not used");
    }

    @Override
    public UserState update(UserState state, BehaviorEvent event) {
        throw new UnsupportedOperationException("not used");
    }

    @Override
    public UserProfile profile(UserState state) {
        throw new UnsupportedOperationException("not used");
    }

    @Override
    public UserProfile profile(String userId, List<BehaviorEvent> history) {
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
    }
}
