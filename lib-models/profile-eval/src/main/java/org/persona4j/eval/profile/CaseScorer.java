package org.persona4j.eval.profile;

/**
 * Something that scores a user's history at the cutoff: a profile model, or a baseline. Scorers are
 * called from one thread, case after case.
 */
public interface CaseScorer {
    /** @return the row name in the report */
    String name();

    /** @return one line: what the scores are */
    String description();

    /**
     * @param c the case (the history only may be used: the labels are the answer)
     * @return the scores
     */
    Scores score(ProfileCase c);

    /**
     * @return why a target is not scored, for the report's notes; empty when every target this
     *     scorer offers was scored
     */
    default String note() {
        return "";
    }
}
