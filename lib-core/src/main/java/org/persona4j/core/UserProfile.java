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
 * number of events seen, when it was updated and by which model version. Immutable: the embedding
 * is copied in and out.
 *
 * @param userId the user id
 * @param embedding the user embedding, possibly empty (no model), finite values only
 * @param interests interest scores by name, ordered strongest first by convention
 * @param propensities propensity scores by name, each in [0, 1]
 * @param features numeric profile features by name, finite
 * @param tags human-readable tags
 * @param segments segment id by segmenter name ("behaviour" → "kmeans-3", "value" → "champions")
 * @param eventCount number of events the profile was built from
 * @param updatedAt time of the last event or update
 * @param modelVersion the model version that produced the embedding, or null
 */
public record UserProfile(String userId, float[] embedding, Map<String, Double> interests,
                          Map<String, Double> propensities, Map<String, Double> features, List<Tag> tags,
                          Map<String, String> segments, long eventCount, Instant updatedAt, String modelVersion) {

    /** Validates and copies. @throws BadInputException naming the bad field */
    public UserProfile {
        Checks.requireId("userId", userId);
        embedding = embedding == null ? new float[0] : embedding.clone();
        for (int i = 0; i < embedding.length; i++) {
            if (!Float.isFinite(embedding[i])) {
                throw new BadInputException("profile " + userId + ": field 'embedding[" + i + "]': expected a finite number, was " + embedding[i]);
            }
        }
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

    /** @return a copy of this profile with the given segment membership added or replaced
     * @param segmenter the segmenter name
     * @param segmentId the segment id */
    public UserProfile withSegment(String segmenter, String segmentId) {
        java.util.LinkedHashMap<String, String> s = new java.util.LinkedHashMap<>(segments);
        s.put(segmenter, segmentId);
        return new UserProfile(userId, embedding, interests, propensities, features, tags, s, eventCount, updatedAt, modelVersion);
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
                && interests.equals(p.interests) && propensities.equals(p.propensities) && features.equals(p.features)
                && tags.equals(p.tags) && segments.equals(p.segments) && updatedAt.equals(p.updatedAt)
                && Objects.equals(modelVersion, p.modelVersion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, Arrays.hashCode(embedding), interests, propensities, features, tags, segments,
                eventCount, updatedAt, modelVersion);
    }

    @Override
    public String toString() {
        return "UserProfile{userId=" + userId + ", embedding=" + embedding.length + "d, interests=" + interests
                + ", propensities=" + propensities + ", tags=" + tags.size() + ", segments=" + segments
                + ", events=" + eventCount + ", updatedAt=" + updatedAt + ", model=" + modelVersion + "}";
    }
}
