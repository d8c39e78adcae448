package org.persona4j.core;

import java.util.Optional;

/**
 * Durable storage of user profiles. Implementations are thread-safe; {@link #save} is durable when
 * it returns (as far as the implementation promises: see each class); {@link #delete} removes every
 * trace of the user.
 */
public interface ProfileStore extends AutoCloseable {
    /**
     * @param userId the user
     * @return the stored profile, empty for unknown users
     */
    Optional<UserProfile> load(String userId);

    /** @param profile the profile to store, replacing any earlier one */
    void save(UserProfile profile);

    /**
     * @param userId the user
     * @return true when something was deleted
     */
    boolean delete(String userId);

    /** @return the number of stored profiles */
    long size();

    /** Flushes and releases resources. Idempotent. */
    @Override
    void close();
}
