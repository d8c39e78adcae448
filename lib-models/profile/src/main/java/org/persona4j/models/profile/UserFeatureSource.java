package org.persona4j.models.profile;

/**
 * Static per-user features (for example lib-features' aggregates) that join the last hidden state
 * before the purchase and category heads. Implementations must be thread-safe.
 */
public interface UserFeatureSource {
    /** @return the length of every vector */
    int dimension();

    /**
     * @param userId a user
     * @return the user's features (length {@link #dimension()}, finite), or null when unknown (zeros are used)
     */
    float[] features(String userId);

    /** @return a hash of the feature schema, recorded in the artifact and checked on load */
    String schemaHash();
}
