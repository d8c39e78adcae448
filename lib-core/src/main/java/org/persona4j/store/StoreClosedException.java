package org.persona4j.store;

/** A store was used after {@code close()}. */
public class StoreClosedException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** @param storeName the store's description, as in its {@code toString()} */
    public StoreClosedException(String storeName) {
        super(storeName + " is closed: it cannot be used after close()");
    }
}
