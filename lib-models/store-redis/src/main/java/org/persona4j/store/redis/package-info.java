/**
 * The shared profile store for deployments of many service instances:
 * {@link org.persona4j.store.redis.RedisProfileStore} on Redis through Jedis (pooled connections),
 * with a key prefix and an optional time to live. Tests and benchmarks run a local
 * {@code redis-server} through {@code org.persona4j.testkit.redis.LocalRedisServer} (persona4j-testkit). See
 * {@code docs/stores.md}.
 */
package org.persona4j.store.redis;
