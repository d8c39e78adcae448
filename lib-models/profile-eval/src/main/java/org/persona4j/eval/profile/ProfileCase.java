package org.persona4j.eval.profile;

import java.util.List;
import org.persona4j.core.BehaviorEvent;

/**
 * One user at a cutoff: the history the scorers see and the labels from after the cutoff.
 *
 * @param userId the user
 * @param cutoffMillis the time the scorers score at (epoch milliseconds): T, or the user's last event at or before
 *     T when the label windows start there; the history holds events at or before it
 * @param history the user's events at or before T, oldest first, not empty
 * @param purchased whether the user bought within the purchase horizon after T
 * @param churned whether the user had no event within the churn window after T
 * @param nextCategory the category of the user's first event after T whose item has one, or null
 */
public record ProfileCase(String userId, long cutoffMillis, List<BehaviorEvent> history, boolean purchased, boolean churned,
                          String nextCategory) {
    /** Copies the history. */
    public ProfileCase {
        history = List.copyOf(history);
    }

    /** @return the time of the last event of the history */
    public long lastEventMillis() {
        return history.get(history.size() - 1).timestampMillis();
    }

    /** @return the time of the first event of the history */
    public long firstEventMillis() {
        return history.get(0).timestampMillis();
    }
}
