package org.persona4j.spring.boot;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.persona4j.store.UserDataStore;
import org.persona4j.store.redis.RedisProfileStore;
import org.persona4j.store.redis.RedisStoreConfig;

/** Opens the Redis store; loaded only once {@code persona4j-store-redis} is known to be present. */
final class RedisStores {
    static final String MARKER = "org.persona4j.store.redis.RedisProfileStore";

    private RedisStores() {
    }

    /** A class of the Jedis API that persona4j-store-redis is built on (Jedis 7 and later; absent from 5.x and 6.x). */
    static final String JEDIS_API = "redis.clients.jedis.RedisClient";
    /** The Jedis release persona4j-store-redis is built and tested with (persona4j-bom's jedis.version). */
    static final String JEDIS_VERSION = "8.0.2";

    /**
     * Fails with a clear message when the Jedis on the class path is too old for
     * persona4j-store-redis, as under spring-boot-starter-parent 3.x, whose own pin (Jedis 5.x,
     * 6.0.0 in Boot 3.5) wins over persona4j-bom's.
     *
     * @param classLoader the application's class loader
     * @throws PersonaConfigurationException naming the Jedis version found and the one needed
     */
    static void requireJedisApi(ClassLoader classLoader) {
        if (!org.springframework.util.ClassUtils.isPresent(JEDIS_API, classLoader)) {
            throw new PersonaConfigurationException("persona4j.store.type=redis: persona4j-store-redis needs Jedis " + JEDIS_VERSION
                    + ", but the class path holds Jedis " + jedisVersion(classLoader) + " (class " + JEDIS_API + " not found)",
                    "pin Jedis " + JEDIS_VERSION + ": under spring-boot-starter-parent set <jedis.version>" + JEDIS_VERSION
                    + "</jedis.version> in the application's pom.xml properties; when Boot's BOM is imported instead, "
                    + "import persona4j-bom before it");
        }
    }

    /** @return the Jedis version from its jar's Maven metadata, or "(unknown version)" */
    static String jedisVersion(ClassLoader classLoader) {
        try (java.io.InputStream in = classLoader.getResourceAsStream("META-INF/maven/redis.clients/jedis/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "(unknown version)");
            }
        } catch (java.io.IOException e) {
            // fall through: the version is only for the message
        }
        return "(unknown version)";
    }

    /** The parts of a {@code redis://[user:password@]host[:port][/database]} URL. */
    record Target(String host, int port, String password, int database) {
    }

    /**
     * @param url the configured URL
     * @return its parts
     * @throws PersonaConfigurationException naming {@code persona4j.store.redis-url} when it is not such a URL
     */
    static Target parse(URI url) {
        String action = "set persona4j.store.redis-url to redis://[:password@]host[:port][/database], e.g. redis://localhost:6379/0";
        if (url == null) {
            throw new PersonaConfigurationException("persona4j.store.redis-url: required with persona4j.store.type=redis, was not set", action);
        }
        if (!"redis".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new PersonaConfigurationException("persona4j.store.redis-url: expected redis://host[:port][/database], was "
                    + redact(url), action);
        }
        int port = url.getPort() < 0 ? 6379 : url.getPort();
        String password = null;
        String info = url.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            String pw = colon < 0 ? info : info.substring(colon + 1);
            password = pw.isEmpty() ? null : URLDecoder.decode(pw, StandardCharsets.UTF_8);
        }
        int database = 0;
        String path = url.getPath();
        if (path != null && path.length() > 1) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new PersonaConfigurationException("persona4j.store.redis-url: the path must be a database number, was '"
                        + path + "' in " + redact(url), action);
            }
        }
        return new Target(url.getHost(), port, password, database);
    }

    static UserDataStore open(URI url, String keyPrefix, Duration timeout) {
        Target t = parse(url);
        RedisStoreConfig c = new RedisStoreConfig(t.host(), t.port(), keyPrefix, Duration.ZERO, 16, timeout, t.password(), t.database());
        return new RedisProfileStore(c);
    }

    /** @return the URL without its password, for messages */
    static String redact(URI url) {
        if (url.getRawUserInfo() == null) {
            return url.toString();
        }
        return url.toString().replace(url.getRawUserInfo() + "@", "***@");
    }
}
