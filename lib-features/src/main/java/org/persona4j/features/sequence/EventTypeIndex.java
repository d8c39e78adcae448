package org.persona4j.features.sequence;

import org.persona4j.core.BadInputException;
import org.persona4j.core.EventType;

/**
 * The fixed index of event types: 0 = padding, {@code 1 + ordinal} for each {@link EventType}.
 * Stateless.
 */
public final class EventTypeIndex {
    private EventTypeIndex() {
    }

    /**
     * @param type an event type, not null
     * @return its index, {@code >= 1}
     * @throws BadInputException when null
     */
    public static int index(EventType type) {
        if (type == null) {
            throw new BadInputException("event type: required, was null");
        }
        return type.ordinal() + 1;
    }

    /**
     * @param index an index in {@code [1, size())}
     * @return the event type
     * @throws BadInputException when out of range
     */
    public static EventType type(int index) {
        return EventType.ofOrdinal(index - 1);
    }

    /** @return the number of indices, padding included */
    public static int size() {
        return EventType.count() + 1;
    }
}
