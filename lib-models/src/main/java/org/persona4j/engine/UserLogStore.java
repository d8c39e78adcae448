package org.persona4j.engine;

import java.util.Optional;

/**
 * Durable bytes per user: where the engine keeps each user's recent-event log, from which the
 * model state is rebuilt after a restart, an eviction or a model swap. Implementations are
 * thread-safe and never use Java serialization.
 */
public interface UserLogStore extends AutoCloseable {
    /** @param userId the (pseudonymised) user @return the stored bytes, empty when none */
    Optional<byte[]> get(String userId);

    /** @param userId the user @param bytes the bytes, replacing earlier ones */
    void put(String userId, byte[] bytes);

    /** @param userId the user @return true when something was removed */
    boolean delete(String userId);

    /** Flushes and releases resources. Idempotent. */
    @Override
    void close();

    /** @return a thread-safe store held in memory, for tests and small hosts */
    static UserLogStore inMemory() {
        java.util.concurrent.ConcurrentHashMap<String, byte[]> map = new java.util.concurrent.ConcurrentHashMap<>();
        return new UserLogStore() {
            @Override
            public Optional<byte[]> get(String userId) {
                byte[] b = map.get(userId);
                return b == null ? Optional.empty() : Optional.of(b.clone());
            }

            @Override
            public void put(String userId, byte[] bytes) {
                map.put(userId, bytes.clone());
            }

            @Override
            public boolean delete(String userId) {
                return map.remove(userId) != null;
            }

            @Override
            public void close() {
            }
        };
    }
}
