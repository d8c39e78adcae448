package org.persona4j.engine;

import org.persona4j.core.PersonaException;

/**
 * Thrown by {@link PersonaEngine#ingest} when the engine cannot take more events for now: the
 * event journal holds more than its configured bound of data not yet written to the store
 * (the write-behind has fallen behind). Nothing of the refused event was applied or journaled;
 * the caller may retry later (an HTTP service answers 503 with {@code Retry-After}).
 */
public final class EngineOverloadedException extends PersonaException {
    private static final long serialVersionUID = 1L;

    /** @param message what is over its bound, and by how much */
    public EngineOverloadedException(String message) {
        super(message);
    }
}
