/**
 * The shared profile store for deployments of many service instances:
 * {@link org.persona4j.store.redis.RedisProfileStore} on Redis through Jedis (pooled connections),
 * with a key prefix and an optional time to live, and {@link org.persona4j.store.redis.LocalRedisServer},
 * which runs the {@code redis-server} binary on loopback for tests and benchmarks. See
 * {@code docs/stores.md}.
 */
package org.persona4j.store.redis;
