package org.persona4j.store;

import org.persona4j.core.ModelFormatException;

/**
 * Stored data cannot be read: the database files are damaged, or a record fails its format or
 * checksum checks. The message names the store (directory or server), and the key or file where
 * the damage was found. A subclass of {@link ModelFormatException}, so hosts that already handle
 * unreadable artifacts handle damaged stores the same way (for example by serving without the
 * stored profile).
 */
public class StoreCorruptedException extends ModelFormatException {
    private static final long serialVersionUID = 1L;

    /** @param message what is damaged and where */
    public StoreCorruptedException(String message) {
        super(message);
    }

    /**
     * @param message what is damaged and where
     * @param cause the underlying failure
     */
    public StoreCorruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
