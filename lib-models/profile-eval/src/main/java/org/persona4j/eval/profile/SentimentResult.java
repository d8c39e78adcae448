package org.persona4j.eval.profile;

import java.util.List;

/**
 * The rating-polarity ("sentiment") block of the report: how well each polarity score ranks whether
 * a user's next rating is positive.
 *
 * @param target what is predicted, in words
 * @param cases cases with a rated target event
 * @param positives cases whose target rating is positive ({@code >= } {@link SentimentEvaluation#POSITIVE})
 * @param trainingRatings rated events in the histories (what the item means and polarities are fitted on)
 * @param prior the prior count of the shrunk means
 * @param rows one per score
 */
public record SentimentResult(String target, int cases, int positives, long trainingRatings, double prior, List<Row> rows) {
    /** Copies the rows. */
    public SentimentResult {
        rows = List.copyOf(rows);
    }

    /**
     * One score.
     *
     * @param name the row name
     * @param description what the score is
     * @param rocAuc ROC-AUC of the score for "the next rating is positive", NaN with a single class
     * @param brier Brier score of the score mapped to a probability (a logistic fit on each case's last history rating,
     *     scored from the events before it)
     */
    public record Row(String name, String description, double rocAuc, double brier) {
    }

    /** @return the share of positive targets */
    public double positiveRate() {
        return cases == 0 ? Double.NaN : (double) positives / cases;
    }
}
