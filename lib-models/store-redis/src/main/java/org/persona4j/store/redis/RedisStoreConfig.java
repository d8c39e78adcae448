package org.persona4j.store.redis;

import java.time.Duration;
import org.persona4j.core.BadInputException;

/**
 * Settings of a {@link RedisProfileStore}, validated at construction.
 *
 * @param host server host name or address
 * @param port server port, 1..65535
 * @param keyPrefix prefix of every key the store writes ("p4j:" by default); lets several stores
 *     share one database; must not be empty
 * @param ttl time to live of each user's keys, refreshed on every write; {@link Duration#ZERO} for none
 * @param maxConnections the largest number of pooled connections, &ge; 1
 * @param timeout connect and socket timeout, &gt; 0
 * @param password the server password, or null (never printed by {@link #toString()})
 * @param database the logical database number, &ge; 0
 */
public record RedisStoreConfig(String host, int port, String keyPrefix, Duration ttl, int maxConnections, Duration timeout,
                               String password, int database) {

    /** Validates. @throws BadInputException naming the bad field and value */
    public RedisStoreConfig {
        if (host == null || host.isBlank()) {
            throw new BadInputException("RedisStoreConfig: field 'host': required, was " + host);
        }
        if (port < 1 || port > 65535) {
            throw new BadInputException("RedisStoreConfig: field 'port': expected 1..65535, was " + port);
        }
        if (keyPrefix == null || keyPrefix.isEmpty()) {
            throw new BadInputException("RedisStoreConfig: field 'keyPrefix': required and not empty, was " + keyPrefix);
        }
        if (ttl == null || ttl.isNegative() || (!ttl.isZero() && ttl.toMillis() < 1)) {
            throw new BadInputException("RedisStoreConfig: field 'ttl': expected ZERO (none) or >= 1 ms, was " + ttl);
        }
        if (maxConnections < 1) {
            throw new BadInputException("RedisStoreConfig: field 'maxConnections': expected >= 1, was " + maxConnections);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new BadInputException("RedisStoreConfig: field 'timeout': expected > 0, was " + timeout);
        }
        if (database < 0) {
            throw new BadInputException("RedisStoreConfig: field 'database': expected >= 0, was " + database);
        }
    }

    /**
     * Defaults: prefix {@code "p4j:"}, no TTL, 16 connections, 2 s timeout, no password, database 0.
     *
     * @param host server host
     * @param port server port
     * @return the configuration
     */
    public static RedisStoreConfig of(String host, int port) {
        return new RedisStoreConfig(host, port, "p4j:", Duration.ZERO, 16, Duration.ofSeconds(2), null, 0);
    }

    /** @param prefix the key prefix @return a copy with that prefix */
    public RedisStoreConfig withKeyPrefix(String prefix) {
        return new RedisStoreConfig(host, port, prefix, ttl, maxConnections, timeout, password, database);
    }

    /** @param t the time to live (ZERO for none) @return a copy with that TTL */
    public RedisStoreConfig withTtl(Duration t) {
        return new RedisStoreConfig(host, port, keyPrefix, t, maxConnections, timeout, password, database);
    }

    /** @param n the pool size @return a copy with that pool size */
    public RedisStoreConfig withMaxConnections(int n) {
        return new RedisStoreConfig(host, port, keyPrefix, ttl, n, timeout, password, database);
    }

    /** @param pw the password, or null @return a copy with that password */
    public RedisStoreConfig withPassword(String pw) {
        return new RedisStoreConfig(host, port, keyPrefix, ttl, maxConnections, timeout, pw, database);
    }

    @Override
    public String toString() {
        return "RedisStoreConfig{" + host + ":" + port + ", db " + database + ", prefix '" + keyPrefix + "', ttl " + ttl
                + ", pool " + maxConnections + ", timeout " + timeout + (password == null ? "" : ", password=(secret)") + "}";
    }
}
