package org.persona4j.store;

import java.util.Map;
import java.util.Optional;

/**
 * A durable map from (user id, slot) to opaque bytes: the place where an engine keeps each user's
 * model state ({@code "lstm"} → hidden and cell state) and running aggregates between restarts.
 * The bytes are the caller's own encoding; the store never interprets them. Implementations are
 * thread-safe, and a successful {@code putState} is as durable as the implementation promises for
 * profiles.
 */
public interface StateStore extends AutoCloseable {
    /**
     * Stores state bytes, replacing earlier bytes of the same user and slot.
     *
     * @param userId the user, not blank
     * @param slot the slot name ("lstm", "aggregates"), not blank
     * @param value the bytes (copied; may be empty)
     * @throws org.persona4j.core.BadInputException for a blank id or slot or null value
     * @throws StoreException when the backing store fails or is closed
     */
    void putState(String userId, String slot, byte[] value);

    /**
     * @param userId the user
     * @param slot the slot name
     * @return a copy of the stored bytes, empty when there are none
     * @throws StoreException when the backing store fails or is closed
     */
    Optional<byte[]> getState(String userId, String slot);

    /**
     * Scans every state slot of one user.
     *
     * @param userId the user
     * @return slot name → bytes, in slot order; empty when the user has no state
     * @throws StoreException when the backing store fails or is closed
     */
    Map<String, byte[]> statesOf(String userId);

    /**
     * @param userId the user
     * @param slot the slot name
     * @return true when bytes were removed
     * @throws StoreException when the backing store fails or is closed
     */
    boolean deleteState(String userId, String slot);

    /** Releases resources. Idempotent. */
    @Override
    void close();
}
