package org.persona4j.store;

import org.persona4j.core.PersonaException;

/**
 * A store could not carry out an operation: its backing database failed, the server could not be
 * reached, or the store was used after {@code close()} ({@link StoreClosedException}). Corrupt
 * stored data is reported as {@link StoreCorruptedException} instead.
 *
 * <p>A failure that retrying cannot cure (a record the store cannot represent, a value it refuses)
 * is marked {@linkplain #permanent() permanent}: the engine's write-behind then drops the write
 * instead of retrying it.
 */
public class StoreException extends PersonaException {
    private static final long serialVersionUID = 1L;

    private final boolean permanent;

    /** @param message what failed, naming the store and the key or user when known */
    public StoreException(String message) {
        super(message);
        this.permanent = false;
    }

    /**
     * @param message what failed
     * @param cause the underlying failure
     */
    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /**
     * @param message what failed
     * @param cause the underlying failure, or null
     * @param permanent whether retrying the same operation cannot succeed
     */
    public StoreException(String message, Throwable cause, boolean permanent) {
        super(message, cause);
        this.permanent = permanent;
    }

    /** @return whether retrying the same operation cannot succeed (the data itself is refused) */
    public boolean permanent() {
        return permanent;
    }
}
