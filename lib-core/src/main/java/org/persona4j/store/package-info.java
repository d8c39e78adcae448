/**
 * Storage of user profiles and per-user model state: the {@link org.persona4j.store.UserDataStore}
 * contract (profiles plus opaque state bytes, with {@code delete} forgetting a user everywhere), the
 * versioned binary {@link org.persona4j.store.ProfileCodec}, an {@link org.persona4j.store.InMemoryProfileStore}
 * for tests and small hosts, and the store exceptions. The durable RocksDB and Redis stores live in
 * {@code lib-models} ({@code org.persona4j.store.rocksdb}, {@code org.persona4j.store.redis}); see
 * {@code docs/stores.md}.
 */
package org.persona4j.store;
