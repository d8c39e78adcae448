package org.persona4j.features.clean;

import java.util.List;
import org.persona4j.core.BehaviorEvent;

/**
 * The output of {@link EventCleaner#clean}.
 *
 * @param events the kept events, sorted by time (stable: ties keep input order)
 * @param report what was dropped, flagged and imputed, by reason
 */
public record CleaningResult(List<BehaviorEvent> events, CleaningReport report) {
    /** Copies. */
    public CleaningResult {
        events = List.copyOf(events);
    }
}
