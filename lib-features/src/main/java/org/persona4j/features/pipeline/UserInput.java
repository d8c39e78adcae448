package org.persona4j.features.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.UserAttributes;

/**
 * The input of a {@link FittedFeaturePipeline}: one user's events (any order), declared
 * attributes, and the time the features are evaluated at.
 *
 * @param userId the user, not blank
 * @param events the user's events; null means none; null elements and events of other users are
 *        skipped and counted by the extractor
 * @param attributes declared attributes, or null when unknown
 * @param asOfMillis evaluation time in epoch ms, or -1 for the pipeline's reference time (the end
 *        of its training data); events after it are skipped and counted
 */
public record UserInput(String userId, List<BehaviorEvent> events, UserAttributes attributes, long asOfMillis) {
    /** Validates and copies (null elements are kept for the extractor to count). */
    public UserInput {
        if (userId == null || userId.isBlank()) {
            throw new BadInputException("user input: field 'userId': required, was " + (userId == null ? "null" : "blank"));
        }
        events = events == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(events));
        if (asOfMillis < -1) {
            throw new BadInputException("user input " + userId + ": field 'asOfMillis': expected >= 0 or -1, was " + asOfMillis);
        }
    }

    /**
     * @param userId the user
     * @param events the events
     * @param attributes the attributes, or null
     * @return an input evaluated at the pipeline's reference time
     */
    public static UserInput of(String userId, List<BehaviorEvent> events, UserAttributes attributes) {
        return new UserInput(userId, events, attributes, -1);
    }
}
