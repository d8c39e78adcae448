package org.persona4j.store;

import org.persona4j.core.PersonaException;

/**
 * A store could not carry out an operation: its backing database failed, the server could not be
 * reached, or the store was used after {@code close()} ({@link StoreClosedException}). Corrupt
 * stored data is reported as {@link StoreCorruptedException} instead.
 */
public class StoreException extends PersonaException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, naming the store and the key or user when known */
    public StoreException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause the underlying failure
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
