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
 * @param sentiment the user's rating polarity ({@code RatingPolarity.User#overall()}): the mean
 *     deviation of the user's ratings from the items' mean ratings, shrunk toward 0; positive for
 *     a user who rates above the crowd; NaN when the user (or the data) has no ratings
 * @param sentimentRatings the rated items the sentiment rests on (0 when NaN)
 * @param sentimentByCategory the polarity within the user's most-rated top-level categories
 *     (at most {@value ProfileScorer#SENTIMENT_CATEGORIES}, most ratings first), empty without ratings
 */
public record ScoredUser(String userId, long eventCount, long lastEventMillis, float[] embedding, float[] longTermEmbedding,
                         Map<String, Double> propensities, String churnSource, Map<String, Double> interests, List<Tag> tags,
                         String segment, String valueGroup, double sentiment, int sentimentRatings,
                         List<CategorySentiment> sentimentByCategory) {
    /**
     * A user's rating polarity within one category.
     *
     * @param category the top-level category
     * @param polarity the shrunk mean deviation from the item means within it (shrunk toward the
     *     user's overall polarity)
     * @param ratings the user's rated items in it
     */
    public record CategorySentiment(String category, double polarity, int ratings) {
        /** Validates. @throws BadInputException naming the bad field */
        public CategorySentiment {
            if (category == null || category.isEmpty()) {
                throw new BadInputException("category sentiment: field 'category': required, was "
                        + (category == null ? "null" : "empty"));
            }
            if (ratings < 0) {
                throw new BadInputException("category sentiment " + category + ": field 'ratings': expected >= 0, was " + ratings);
            }
        }
    }

    /**
     * A row without rating polarity (sentiment NaN, no ratings, no categories).
     *
     * @param userId the user
     * @param eventCount events in the user's history
     * @param lastEventMillis the latest event, -1 when none
     * @param embedding the user embedding
     * @param longTermEmbedding the long-term embedding
     * @param propensities the propensities
     * @param churnSource where the churn risk came from
     * @param interests the top interests
     * @param tags the tags
     * @param segment the segment, or null
     * @param valueGroup the value group, or null
     */
    public ScoredUser(String userId, long eventCount, long lastEventMillis, float[] embedding, float[] longTermEmbedding,
                      Map<String, Double> propensities, String churnSource, Map<String, Double> interests, List<Tag> tags,
                      String segment, String valueGroup) {
        this(userId, eventCount, lastEventMillis, embedding, longTermEmbedding, propensities, churnSource, interests, tags,
                segment, valueGroup, Double.NaN, 0, List.of());
    }

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
        if (sentimentRatings < 0) {
            throw new BadInputException("scored user " + userId + ": field 'sentimentRatings': expected >= 0, was "
                    + sentimentRatings);
        }
        sentimentByCategory = sentimentByCategory == null ? List.of() : List.copyOf(sentimentByCategory);
    }

    /** @return whether the row carries a rating polarity ({@link #sentiment()} is not NaN) */
    public boolean hasSentiment() {
        return !Double.isNaN(sentiment);
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
                && Objects.equals(segment, s.segment) && Objects.equals(valueGroup, s.valueGroup)
                && Double.compare(sentiment, s.sentiment) == 0 && sentimentRatings == s.sentimentRatings
                && sentimentByCategory.equals(s.sentimentByCategory);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, eventCount, lastEventMillis, Arrays.hashCode(embedding), Arrays.hashCode(longTermEmbedding),
                propensities, churnSource, interests, tags, segment, valueGroup, sentiment, sentimentRatings, sentimentByCategory);
    }

    @Override
    public String toString() {
        return "ScoredUser{userId=" + userId + ", events=" + eventCount + ", embedding=" + embedding.length + "d, longTerm="
                + longTermEmbedding.length + "d, propensities=" + propensities + ", interests=" + interests + ", tags="
                + tags.size() + ", segment=" + segment + ", valueGroup=" + valueGroup + ", sentiment=" + sentiment + " ("
                + sentimentRatings + " ratings), sentimentByCategory=" + sentimentByCategory + "}";
    }
}
