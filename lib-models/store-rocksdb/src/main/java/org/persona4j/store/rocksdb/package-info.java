/**
 * The embedded, durable default profile store: {@link org.persona4j.store.rocksdb.RocksDbProfileStore}
 * on RocksDB (rocksdbjni). RocksDB was chosen because it is embedded (no server to run, one
 * directory on local disk), crash-safe (every write goes to a write-ahead log before it is
 * acknowledged, optionally fsynced: {@link org.persona4j.store.rocksdb.Durability}), and a
 * log-structured merge tree, which turns the engine's stream of small profile updates into
 * sequential writes. It is widely deployed (Kafka Streams and Apache Flink state stores, TiKV) and its
 * Java binding is published by the RocksDB project itself. See {@code docs/stores.md}.
 */
package org.persona4j.store.rocksdb;
