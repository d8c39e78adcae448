package org.persona4j.eval.profile;

import java.util.Map;

/**
 * What one scorer says about one case.
 *
 * @param purchase P(purchase within the horizon) in [0, 1], NaN when the scorer does not say
 * @param churn P(no event within the churn window) in [0, 1], NaN when the scorer does not say
 * @param categories category interest scores by category name, null when the scorer does not say
 */
public record Scores(double purchase, double churn, Map<String, Double> categories) {
    /** Nothing known. */
    public static final Scores NONE = new Scores(Double.NaN, Double.NaN, null);
}
