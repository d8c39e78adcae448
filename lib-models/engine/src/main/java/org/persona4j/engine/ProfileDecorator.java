package org.persona4j.engine;

import java.util.List;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.UserProfile;

/**
 * Adds to the model's profile what the model does not produce itself (aggregate features, tags),
 * from the user's retained recent events. Must be thread-safe and side-effect free.
 */
@FunctionalInterface
public interface ProfileDecorator {
    /**
     * @param base the model's profile
     * @param recent the user's retained events, oldest first
     * @return the decorated profile (for the same user)
     */
    UserProfile decorate(UserProfile base, List<BehaviorEvent> recent);
}
