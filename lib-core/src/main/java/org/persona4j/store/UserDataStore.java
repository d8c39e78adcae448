package org.persona4j.store;

import java.util.Map;
import org.persona4j.core.ProfileStore;
import org.persona4j.core.UserProfile;

/**
 * A store of everything the SDK keeps about users: their profiles ({@link ProfileStore}) and their
 * model state bytes ({@link StateStore}). {@link #delete(String)} forgets a user: it removes the
 * profile and every state slot, so that nothing keyed by that user id remains in the store.
 *
 * <p>Implementations are thread-safe and {@link AutoCloseable}; after {@code close()} every other
 * method throws {@link StoreClosedException}. Stored profiles are encoded with
 * {@link ProfileCodec}; nothing is read back with Java deserialization.
 */
public interface UserDataStore extends ProfileStore, StateStore {

    /**
     * Stores a profile and some state slots of the same user together: atomically where the
     * implementation supports it (RocksDB write batch, Redis MULTI/EXEC), so that a crash never
     * leaves a profile without the state it was computed from.
     *
     * @param profile the profile, replacing any earlier one
     * @param states slot → bytes to store alongside (other slots are kept)
     * @throws StoreException when the backing store fails or is closed
     */
    void save(UserProfile profile, Map<String, byte[]> states);

    /**
     * Forgets a user: removes the profile and every state slot.
     *
     * @param userId the user
     * @return true when anything was removed
     * @throws StoreException when the backing store fails or is closed
     */
    @Override
    boolean delete(String userId);

    /**
     * Makes every write that has returned durable against power loss (for example an fsync of the
     * store's own log). The engine calls it before it drops the part of its event journal that
     * those writes cover. The default does nothing: right for stores whose writes are already
     * durable when they return, or that keep nothing on local disk.
     *
     * @throws StoreException when the backing store fails or is closed
     */
    default void sync() {
    }

    /** Flushes and releases resources. Idempotent. */
    @Override
    void close();
}
