package org.persona4j.store.redis;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.persona4j.core.BadInputException;
import org.persona4j.core.ModelFormatException;
import org.persona4j.core.UserProfile;
import org.persona4j.store.ProfileCodec;
import org.persona4j.store.StoreClosedException;
import org.persona4j.store.StoreCorruptedException;
import org.persona4j.store.StoreException;
import org.persona4j.store.UserDataStore;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A {@link UserDataStore} on Redis, for deployments where many service instances share profiles.
 * Commands go through Jedis's {@code RedisClient}, which borrows a connection per command from a
 * pool of at most {@link RedisStoreConfig#maxConnections()} connections.
 *
 * <p>Keys, all under {@link RedisStoreConfig#keyPrefix()}: {@code <prefix>p:<userId>} holds the
 * {@link ProfileCodec} bytes of a profile, {@code <prefix>s:<userId>} is a hash of state slot →
 * bytes. With a TTL, both keys of a user expire that long after the user's last write.
 * {@link #save(UserProfile, Map)} writes both in one MULTI/EXEC transaction; {@link #delete(String)}
 * removes both keys in one command, so a forgotten user leaves no key behind.
 *
 * <p><b>Durability</b> is the server's: with {@code appendonly yes} and {@code appendfsync always}
 * an acknowledged write survives a server crash; with Redis's defaults the last second or the last
 * snapshot interval can be lost. Configure the server for the guarantee you need
 * ({@code docs/stores.md}).
 *
 * <p>{@link #size()} counts profile keys with SCAN: O(keys in the database). Thread-safe; after
 * {@link #close()} every call throws {@link StoreClosedException}. Connection failures throw
 * {@link StoreException} naming the server; a stored value that fails its checks throws
 * {@link StoreCorruptedException} naming the key.
 */
public final class RedisProfileStore implements UserDataStore {
    private final RedisStoreConfig config;
    private final RedisClient client;
    private final byte[] profilePrefix;
    private final byte[] statePrefix;
    private final long ttlMillis;
    private volatile boolean closed;

    /**
     * Creates the pool (connections are opened lazily) and checks the server answers PING.
     *
     * @param config the settings
     * @throws StoreException when the server cannot be reached
     */
    public RedisProfileStore(RedisStoreConfig config) {
        if (config == null) {
            throw new BadInputException("RedisProfileStore: field 'config': required, was null");
        }
        this.config = config;
        GenericObjectPoolConfig<Connection> poolConfig = new GenericObjectPoolConfig<>();
        poolConfig.setMaxTotal(config.maxConnections());
        poolConfig.setMaxIdle(config.maxConnections());
        poolConfig.setMinIdle(0);
        poolConfig.setTestWhileIdle(true);
        poolConfig.setJmxEnabled(false);
        DefaultJedisClientConfig.Builder clientConfig = DefaultJedisClientConfig.builder()
                .timeoutMillis((int) config.timeout().toMillis()).database(config.database()).clientName("persona4j")
                // RESP2 works with every Redis server from 2.x on; no protocol negotiation round trip
                .resp2().autoNegotiateProtocol(false);
        if (config.password() != null) {
            clientConfig.password(config.password());
        }
        this.client = RedisClient.builder().hostAndPort(new HostAndPort(config.host(), config.port())).clientConfig(clientConfig.build())
                .poolConfig(poolConfig).build();
        this.profilePrefix = (config.keyPrefix() + "p:").getBytes(StandardCharsets.UTF_8);
        this.statePrefix = (config.keyPrefix() + "s:").getBytes(StandardCharsets.UTF_8);
        this.ttlMillis = config.ttl().toMillis();
        try {
            call("connect", null, UnifiedJedis::ping);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** @return the settings */
    public RedisStoreConfig config() {
        return config;
    }

    private static byte[] concat(byte[] a, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private byte[] profileKey(String userId) {
        return concat(profilePrefix, userId);
    }

    private byte[] stateKey(String userId) {
        return concat(statePrefix, userId);
    }

    private static String text(String field, String v) {
        if (v == null || v.isBlank()) {
            throw new BadInputException("field '" + field + "': required and not blank, was " + (v == null ? "null" : "\"" + v + "\""));
        }
        return v;
    }

    private <T> T call(String what, String userId, Function<UnifiedJedis, T> body) {
        if (closed) {
            throw new StoreClosedException(toString());
        }
        try {
            return body.apply(client);
        } catch (JedisException e) {
            if (closed) {
                throw new StoreClosedException(toString());
            }
            throw new StoreException("redis store " + config.host() + ":" + config.port() + ": " + what
                    + (userId == null ? "" : " (user '" + userId + "')") + " failed: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            // the pool was closed under us
            throw new StoreClosedException(toString());
        }
    }

    @Override
    public Optional<UserProfile> load(String userId) {
        text("userId", userId);
        byte[] key = profileKey(userId);
        byte[] bytes = call("load", userId, j -> j.get(key));
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ProfileCodec.decode(bytes, "redis store " + config.host() + ":" + config.port() + ", key '"
                    + new String(key, StandardCharsets.UTF_8) + "'"));
        } catch (ModelFormatException e) {
            throw new StoreCorruptedException(e.getMessage(), e);
        }
    }

    @Override
    public void save(UserProfile profile) {
        save(profile, Map.of());
    }

    @Override
    public void save(UserProfile profile, Map<String, byte[]> states) {
        if (profile == null) {
            throw new BadInputException("field 'profile': required, was null");
        }
        Map<byte[], byte[]> fields = new HashMap<>();
        if (states != null) {
            for (Map.Entry<String, byte[]> e : states.entrySet()) {
                text("slot", e.getKey());
                if (e.getValue() == null) {
                    throw new BadInputException("state slot '" + e.getKey() + "': value required, was null");
                }
                fields.put(e.getKey().getBytes(StandardCharsets.UTF_8), e.getValue().clone());
            }
        }
        byte[] value = ProfileCodec.encode(profile);
        byte[] pk = profileKey(profile.userId());
        byte[] sk = stateKey(profile.userId());
        call("save", profile.userId(), j -> {
            if (fields.isEmpty() && ttlMillis == 0) {
                return j.set(pk, value);
            }
            try (AbstractTransaction t = j.multi()) {
                if (ttlMillis > 0) {
                    t.set(pk, value, SetParams.setParams().px(ttlMillis));
                } else {
                    t.set(pk, value);
                }
                if (!fields.isEmpty()) {
                    t.hset(sk, fields);
                }
                if (ttlMillis > 0) {
                    t.pexpire(sk, ttlMillis);
                }
                List<Object> r = t.exec();
                if (r == null) {
                    throw new StoreException("redis store: save of user '" + profile.userId() + "' was aborted by the server");
                }
                return r;
            }
        });
    }

    @Override
    public boolean delete(String userId) {
        text("userId", userId);
        byte[] pk = profileKey(userId);
        byte[] sk = stateKey(userId);
        return call("delete", userId, j -> j.del(pk, sk)) > 0;
    }

    @Override
    public long size() {
        String pattern = escapeGlob(config.keyPrefix()) + "p:*";
        return call("size", null, j -> {
            long n = 0;
            byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
            ScanParams params = new ScanParams().match(pattern.getBytes(StandardCharsets.UTF_8)).count(1000);
            do {
                ScanResult<byte[]> r = j.scan(cursor, params);
                n += r.getResult().size();
                cursor = r.getCursorAsBytes();
            } while (!java.util.Arrays.equals(cursor, ScanParams.SCAN_POINTER_START_BINARY));
            return n;
        });
    }

    static String escapeGlob(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '^' || c == '-') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    @Override
    public void putState(String userId, String slot, byte[] value) {
        text("userId", userId);
        text("slot", slot);
        if (value == null) {
            throw new BadInputException("state slot '" + slot + "': value required, was null");
        }
        byte[] sk = stateKey(userId);
        byte[] f = slot.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.clone();
        call("putState", userId, j -> {
            if (ttlMillis == 0) {
                return j.hset(sk, f, v);
            }
            try (AbstractTransaction t = j.multi()) {
                t.hset(sk, f, v);
                t.pexpire(sk, ttlMillis);
                return t.exec();
            }
        });
    }

    @Override
    public Optional<byte[]> getState(String userId, String slot) {
        text("userId", userId);
        text("slot", slot);
        byte[] sk = stateKey(userId);
        byte[] f = slot.getBytes(StandardCharsets.UTF_8);
        return Optional.ofNullable(call("getState", userId, j -> j.hget(sk, f)));
    }

    @Override
    public Map<String, byte[]> statesOf(String userId) {
        text("userId", userId);
        byte[] sk = stateKey(userId);
        Map<byte[], byte[]> all = call("statesOf", userId, j -> j.hgetAll(sk));
        Map<String, byte[]> out = new TreeMap<>();
        all.forEach((k, v) -> out.put(new String(k, StandardCharsets.UTF_8), v));
        return out;
    }

    @Override
    public boolean deleteState(String userId, String slot) {
        text("userId", userId);
        text("slot", slot);
        byte[] sk = stateKey(userId);
        byte[] f = slot.getBytes(StandardCharsets.UTF_8);
        return call("deleteState", userId, j -> j.hdel(sk, f)) > 0;
    }

    /**
     * Lists the keys this store holds for a user (for audits and tests of forgetting).
     *
     * @param userId the user
     * @return the existing keys among the user's profile and state keys
     */
    public List<String> keysOf(String userId) {
        text("userId", userId);
        byte[] pk = profileKey(userId);
        byte[] sk = stateKey(userId);
        return call("keysOf", userId, j -> {
            java.util.ArrayList<String> out = new java.util.ArrayList<>();
            for (byte[] k : new byte[][] {pk, sk}) {
                if (j.exists(k)) {
                    out.add(new String(k, StandardCharsets.UTF_8));
                }
            }
            return out;
        });
    }

    /** Closes the connection pool. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.close();
    }

    @Override
    public String toString() {
        return "RedisProfileStore{" + config.host() + ":" + config.port() + ", prefix '" + config.keyPrefix() + "'}";
    }
}
