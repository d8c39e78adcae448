package org.persona4j.eval;

import java.util.List;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;

/**
 * One test query: the user's input events (what the recommender may see) and the items to find.
 *
 * @param userId the user (or the session's pseudo-user)
 * @param input the events the recommender sees, oldest first
 * @param targets the held-out item ids, distinct, at least one
 */
public record EvalCase(String userId, List<BehaviorEvent> input, List<String> targets) {
    /** Validates and copies. @throws BadInputException when there is no target */
    public EvalCase {
        input = List.copyOf(input);
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new BadInputException("eval case for user " + userId + ": at least one target is required");
        }
    }
}
