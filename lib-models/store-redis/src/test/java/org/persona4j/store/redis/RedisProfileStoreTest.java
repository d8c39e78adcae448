package org.persona4j.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.store.StoreCorruptedException;
import org.persona4j.store.StoreException;
import org.persona4j.store.UserDataStore;
import org.persona4j.testkit.UserDataStoreContract;
import org.persona4j.testkit.redis.LocalRedisServer;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Redis store against a real {@code redis-server} started on a free loopback port (Debian's
 * package; {@code .ci/run} installs it). Skipped only when the binary is not installed.
 */
class RedisProfileStoreTest extends UserDataStoreContract {
    private static LocalRedisServer server;
    private static Path dir;
    private static int prefixes;

    private static final String MISSING =
            "redis-server is not installed (apt-get install redis-server); the Redis store tests are skipped";

    @BeforeAll
    static void startServer() throws Exception {
        if (LocalRedisServer.findBinary().isEmpty()) {
            // each test is then reported as skipped with this reason (an assumption failing here would hide them)
            System.out.println(MISSING);
            return;
        }
        dir = Files.createTempDirectory("p4j-redis");
        server = LocalRedisServer.start(LocalRedisServer.findBinary().get(), dir);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static RedisStoreConfig config() {
        return RedisStoreConfig.of(server.host(), server.port()).withKeyPrefix("test" + (prefixes++) + ":");
    }

    private static Jedis raw() {
        return new Jedis(new HostAndPort(server.host(), server.port()),
                DefaultJedisClientConfig.builder().resp2().autoNegotiateProtocol(false).build());
    }

    @Override
    protected UserDataStore newStore() {
        Assumptions.assumeTrue(server != null, MISSING);
        return new RedisProfileStore(config());
    }

    @Override
    protected void assertNothingLeftFor(String userId) {
        try (Jedis j = raw()) {
            Set<byte[]> keys = j.keys("*".getBytes(StandardCharsets.UTF_8));
            byte[] id = userId.getBytes(StandardCharsets.UTF_8);
            for (byte[] k : keys) {
                String s = new String(k, StandardCharsets.UTF_8);
                assertFalse(s.endsWith(":" + userId) || indexOf(k, id) >= 0, "key " + s + " still refers to " + userId);
            }
        }
        assertEquals(List.of(), ((RedisProfileStore) store).keysOf(userId));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void keysCarryThePrefixAndStoresWithOtherPrefixesAreSeparate() {
        RedisStoreConfig other = config();
        try (RedisProfileStore b = new RedisProfileStore(other)) {
            store.save(profile("u1", 4, 1), Map.of("lstm", new byte[] {1}));
            assertTrue(b.load("u1").isEmpty());
            assertEquals(0, b.size());
            String prefix = ((RedisProfileStore) store).config().keyPrefix();
            assertEquals(List.of(prefix + "p:u1", prefix + "s:u1"), ((RedisProfileStore) store).keysOf("u1"));
        }
    }

    @Test
    void ttlExpiresBothKeysOfAUser() throws Exception {
        try (RedisProfileStore s = new RedisProfileStore(config().withTtl(Duration.ofSeconds(30)))) {
            s.save(profile("u1", 4, 1), Map.of("lstm", new byte[] {1}));
            s.putState("u2", "agg", new byte[] {2});
            try (Jedis j = raw()) {
                for (String k : s.keysOf("u1")) {
                    long ttl = j.pttl(k);
                    assertTrue(ttl > 0 && ttl <= 30_000, k + " ttl " + ttl);
                }
                long ttl2 = j.pttl(s.keysOf("u2").get(0));
                assertTrue(ttl2 > 0 && ttl2 <= 30_000, "state-only ttl " + ttl2);
            }
        }
        // and a short TTL really removes the data (server-side expiry)
        try (RedisProfileStore s = new RedisProfileStore(config().withTtl(Duration.ofMillis(50)))) {
            s.save(profile("u1", 4, 1), Map.of("lstm", new byte[] {1}));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (s.load("u1").isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(s.load("u1").isEmpty());
            assertTrue(s.statesOf("u1").isEmpty());
        }
    }

    @Test
    void aDamagedValueNamesItsKey() {
        RedisProfileStore s = (RedisProfileStore) store;
        String key = s.config().keyPrefix() + "p:bad";
        try (Jedis j = raw()) {
            j.set(key.getBytes(StandardCharsets.UTF_8), new byte[] {'{', '}'});
        }
        StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> s.load("bad"));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void unreachableServerIsAStoreExceptionNamingIt() throws Exception {
        int port;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        RedisStoreConfig c = new RedisStoreConfig("127.0.0.1", port, "x:", Duration.ZERO, 2, Duration.ofMillis(500), null, 0);
        StoreException e = assertThrows(StoreException.class, () -> new RedisProfileStore(c));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void configIsValidatedAndHidesThePassword() {
        assertThrows(BadInputException.class, () -> RedisStoreConfig.of("h", 0));
        assertThrows(BadInputException.class, () -> RedisStoreConfig.of("h", 1).withKeyPrefix(""));
        assertThrows(BadInputException.class, () -> RedisStoreConfig.of("h", 1).withTtl(Duration.ofSeconds(-1)));
        assertFalse(RedisStoreConfig.of("h", 1).withPassword("hunter2").toString().contains("hunter2"));
    }
}
