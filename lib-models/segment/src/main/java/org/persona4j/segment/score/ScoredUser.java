package org.persona4j.segment.score;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Tag;

/**
 * One output row of {@link ProfileScorer}: what the SDK knows about a user as of the scoring time.
 * Immutable: the embeddings are copied in and out.
 *
 * @param userId the user
 * @param eventCount events in the user's history
 * @param lastEventMillis epoch milliseconds of the user's latest event, -1 when none
 * @param embedding the model's user embedding (the user now), possibly empty
 * @param longTermEmbedding the model's long-term embedding (mean over the history), possibly empty
 * @param propensities propensity scores in [0, 1], the model's (e.g. {@code purchase}) and
 *     {@value ProfileScorer#CHURN}
 * @param churnSource {@value ProfileScorer#CHURN_HEURISTIC} when {@code propensities.churn} comes
 *     from {@link ChurnHeuristic}, {@value ProfileScorer#CHURN_MODEL} when the model provided it
 * @param interests the top interests, strongest first, scores in [0, 1]
 * @param tags tags with evidence
 * @param segment the segment id of the configured segmenter, or null when none is configured
 * @param valueGroup the RFM value group id (one of {@code RfmSegmenter.GROUPS}), or null when no
 *     value groups were fitted and the user bought something
 */
public record ScoredUser(String userId, long eventCount, long lastEventMillis, float[] embedding, float[] longTermEmbedding,
                         Map<String, Double> propensities, String churnSource, Map<String, Double> interests, List<Tag> tags,
                         String segment, String valueGroup) {
    /** Validates and copies. @throws BadInputException naming the bad field */
    public ScoredUser {
        if (userId == null || userId.isEmpty()) {
            throw new BadInputException("scored user: field 'userId': required, was " + (userId == null ? "null" : "empty"));
        }
        if (eventCount < 0) {
            throw new BadInputException("scored user " + userId + ": field 'eventCount': expected >= 0, was " + eventCount);
        }
        embedding = embedding == null ? new float[0] : embedding.clone();
        longTermEmbedding = longTermEmbedding == null ? new float[0] : longTermEmbedding.clone();
        propensities = propensities == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(propensities));
        interests = interests == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(interests));
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** @return a copy of the embedding */
    @Override
    public float[] embedding() {
        return embedding.clone();
    }

    /** @return a copy of the long-term embedding */
    @Override
    public float[] longTermEmbedding() {
        return longTermEmbedding.clone();
    }

    /** @return the churn risk ({@code propensities.churn}), NaN when absent */
    public double churn() {
        Double c = propensities.get(ProfileScorer.CHURN);
        return c == null ? Double.NaN : c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoredUser s && eventCount == s.eventCount && lastEventMillis == s.lastEventMillis
                && userId.equals(s.userId) && Arrays.equals(embedding, s.embedding)
                && Arrays.equals(longTermEmbedding, s.longTermEmbedding) && propensities.equals(s.propensities)
                && Objects.equals(churnSource, s.churnSource) && interests.equals(s.interests) && tags.equals(s.tags)
                && Objects.equals(segment, s.segment) && Objects.equals(valueGroup, s.valueGroup);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, eventCount, lastEventMillis, Arrays.hashCode(embedding), Arrays.hashCode(longTermEmbedding),
                propensities, churnSource, interests, tags, segment, valueGroup);
    }

    @Override
    public String toString() {
        return "ScoredUser{userId=" + userId + ", events=" + eventCount + ", embedding=" + embedding.length + "d, longTerm="
                + longTermEmbedding.length + "d, propensities=" + propensities + ", interests=" + interests + ", tags="
                + tags.size() + ", segment=" + segment + ", valueGroup=" + valueGroup + "}";
    }
}
