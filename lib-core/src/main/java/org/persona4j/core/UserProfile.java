package org.persona4j.core;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the SDK knows about a user at one moment: an embedding in the item space, interest scores
 * (category, brand → [0, 1]), propensities (purchase, churn → [0, 1]), numeric features (RFM,
 * price sensitivity, ...), tags with evidence, segment memberships keyed by segmenter name, the
 * number of events seen, when it was updated and by which model version. Immutable: both
 * embeddings are copied in and out.
 *
 * <p>Two embeddings, for two uses. {@code embedding} describes the user <em>now</em> (for the deep
 * profile model: the projection of the sequence model's last state, what next-item retrieval
 * scores); {@code longTermEmbedding} describes the user over their whole history (for the deep
 * profile model: the mean of the per-event {@code embedding} over every event folded in), which is
 * what persona segments should be found on. Either may be empty: no model, a model without a
 * long-term view, or (for the long-term one) a user with no events yet.
 *
 * @param userId the user id
 * @param embedding the user embedding, possibly empty (no model), finite values only
 * @param longTermEmbedding the long-term user embedding, possibly empty, finite values only
 * @param interests interest scores by name, ordered strongest first by convention
 * @param propensities propensity scores by name, each in [0, 1]
 * @param features numeric profile features by name, finite
 * @param tags human-readable tags
 * @param segments segment id by segmenter name ("behaviour" → "kmeans-3", "value" → "champions")
 * @param eventCount number of events the profile was built from
 * @param updatedAt time of the last event or update
 * @param modelVersion the model version that produced the embedding, or null
 */
public record UserProfile(String userId, float[] embedding, float[] longTermEmbedding, Map<String, Double> interests,
                          Map<String, Double> propensities, Map<String, Double> features, List<Tag> tags,
                          Map<String, String> segments, long eventCount, Instant updatedAt, String modelVersion) {

    /** Validates and copies. @throws BadInputException naming the bad field */
    public UserProfile {
        Checks.requireId("userId", userId);
        embedding = finiteCopy(userId, "embedding", embedding);
        longTermEmbedding = finiteCopy(userId, "longTermEmbedding", longTermEmbedding);
        interests = Checks.copyOrdered("interests", interests);
        propensities = Checks.copyOrdered("propensities", propensities);
        for (Map.Entry<String, Double> e : propensities.entrySet()) {
            double v = e.getValue();
            if (!(v >= 0 && v <= 1)) {
                throw new BadInputException("profile " + userId + ": field 'propensities." + e.getKey() + "': expected [0, 1], was " + v);
            }
        }
        features = Checks.copyOrdered("features", features);
        tags = tags == null ? List.of() : List.copyOf(tags);
        segments = Checks.copyOrdered("segments", segments);
        if (eventCount < 0) {
            throw new BadInputException("profile " + userId + ": field 'eventCount': expected >= 0, was " + eventCount);
        }
        if (updatedAt == null) {
            updatedAt = Instant.EPOCH;
        }
    }

    /**
     * A profile without a long-term embedding (the form before it existed; models without a
     * long-term view use it).
     *
     * @param userId the user id
     * @param embedding the user embedding, possibly empty
     * @param interests interest scores by name
     * @param propensities propensity scores by name, each in [0, 1]
     * @param features numeric profile features by name
     * @param tags human-readable tags
     * @param segments segment id by segmenter name
     * @param eventCount number of events the profile was built from
     * @param updatedAt time of the last event or update
     * @param modelVersion the model version, or null
     * @throws BadInputException naming the bad field
     */
    public UserProfile(String userId, float[] embedding, Map<String, Double> interests, Map<String, Double> propensities,
                       Map<String, Double> features, List<Tag> tags, Map<String, String> segments, long eventCount,
                       Instant updatedAt, String modelVersion) {
        this(userId, embedding, null, interests, propensities, features, tags, segments, eventCount, updatedAt, modelVersion);
    }

    private static float[] finiteCopy(String userId, String field, float[] v) {
        float[] c = v == null ? new float[0] : v.clone();
        for (int i = 0; i < c.length; i++) {
            if (!Float.isFinite(c[i])) {
                throw new BadInputException("profile " + userId + ": field '" + field + "[" + i + "]': expected a finite number, was " + c[i]);
            }
        }
        return c;
    }

    /**
     * The profile of a user the SDK knows nothing about.
     *
     * @param userId the user
     * @return an empty profile
     */
    public static UserProfile empty(String userId) {
        return new UserProfile(userId, new float[0], Map.of(), Map.of(), Map.of(), List.of(), Map.of(), 0,
                Instant.EPOCH, null);
    }

    /** @return a copy of the embedding */
    @Override
    public float[] embedding() {
        return embedding.clone();
    }

    /** @return the embedding dimension (0 when there is none) */
    public int embeddingSize() {
        return embedding.length;
    }

    /** @return a copy of the long-term embedding (empty when there is none) */
    @Override
    public float[] longTermEmbedding() {
        return longTermEmbedding.clone();
    }

    /** @return the long-term embedding dimension (0 when there is none) */
    public int longTermEmbeddingSize() {
        return longTermEmbedding.length;
    }

    /**
     * @param v the long-term embedding, possibly empty or null (none)
     * @return a copy of this profile with that long-term embedding
     * @throws BadInputException when a value is not finite
     */
    public UserProfile withLongTermEmbedding(float[] v) {
        return new UserProfile(userId, embedding, v, interests, propensities, features, tags, segments, eventCount, updatedAt,
                modelVersion);
    }

    /** @return a copy of this profile with the given segment membership added or replaced
     * @param segmenter the segmenter name
     * @param segmentId the segment id */
    public UserProfile withSegment(String segmenter, String segmentId) {
        java.util.LinkedHashMap<String, String> s = new java.util.LinkedHashMap<>(segments);
        s.put(segmenter, segmentId);
        return new UserProfile(userId, embedding, longTermEmbedding, interests, propensities, features, tags, s, eventCount,
                updatedAt, modelVersion);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof UserProfile)) {
            return false;
        }
        UserProfile p = (UserProfile) o;
        return eventCount == p.eventCount && userId.equals(p.userId) && Arrays.equals(embedding, p.embedding)
                && Arrays.equals(longTermEmbedding, p.longTermEmbedding)
                && interests.equals(p.interests) && propensities.equals(p.propensities) && features.equals(p.features)
                && tags.equals(p.tags) && segments.equals(p.segments) && updatedAt.equals(p.updatedAt)
                && Objects.equals(modelVersion, p.modelVersion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, Arrays.hashCode(embedding), Arrays.hashCode(longTermEmbedding), interests, propensities,
                features, tags, segments, eventCount, updatedAt, modelVersion);
    }

    @Override
    public String toString() {
        return "UserProfile{userId=" + userId + ", embedding=" + embedding.length + "d, longTermEmbedding="
                + longTermEmbedding.length + "d, interests=" + interests
                + ", propensities=" + propensities + ", tags=" + tags.size() + ", segments=" + segments
                + ", events=" + eventCount + ", updatedAt=" + updatedAt + ", model=" + modelVersion + "}";
    }
}
