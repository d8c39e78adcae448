package org.persona4j.core;

import java.util.List;

/**
 * One recommended item with its score and at least one reason.
 *
 * @param itemId the item
 * @param score the recommender's score, finite; higher is better; comparable only within one list
 * @param reasons why, most important first; never empty
 */
public record Recommendation(String itemId, double score, List<Reason> reasons) {
    /** Validates and copies. @throws BadInputException naming the bad field */
    public Recommendation {
        Checks.requireId("itemId", itemId);
        if (!Double.isFinite(score)) {
            throw new BadInputException("recommendation " + itemId + ": field 'score': expected a finite number, was " + score);
        }
        if (reasons == null || reasons.isEmpty()) {
            throw new BadInputException("recommendation " + itemId + ": field 'reasons': at least one reason is required");
        }
        reasons = List.copyOf(reasons);
    }

    /**
     * @param itemId the item
     * @param score the score
     * @param reason the single reason
     * @return the recommendation
     */
    public static Recommendation of(String itemId, double score, Reason reason) {
        return new Recommendation(itemId, score, List.of(reason));
    }
}
