package org.persona4j.spring.boot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.persona4j.core.BadInputException;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.PersonaException;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.Recommender;
import org.persona4j.engine.CountingProfileModel;
import org.persona4j.engine.PersonaEngine;
import org.persona4j.io.Dataset;
import org.persona4j.io.Datasets;
import org.persona4j.io.ReadOptions;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.privacy.Pseudonymizer;
import org.persona4j.recommend.DefaultRecommender;
import org.persona4j.recommend.EmbeddingRetrievalRecommender;
import org.persona4j.recommend.ItemKnnRecommender;
import org.persona4j.recommend.PopularityRecommender;
import org.persona4j.spring.boot.PersonaProperties.FallbackKind;
import org.persona4j.spring.boot.PersonaProperties.RecommenderKind;
import org.persona4j.store.UserDataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ClassUtils;

/**
 * Builds the engine from {@link PersonaProperties}: checks the settings (and that the named store's
 * module is present) before anything is read, then loads the data set and the model, fits the
 * recommenders, opens the store last and builds the engine. On failure everything opened so far is
 * closed again.
 */
final class PersonaEngineFactory {
    private static final Logger LOG = LoggerFactory.getLogger(PersonaEngineFactory.class);
    private static final String BASE64 = "base64:";

    private PersonaEngineFactory() {
    }

    static PersonaEngine build(PersonaProperties p, ClassLoader classLoader) {
        RecommenderKind kind = p.recommender() != null ? p.recommender()
                : p.model() != null && p.data().path() != null ? RecommenderKind.DEFAULT
                : p.model() != null ? RecommenderKind.EMBEDDING : RecommenderKind.ITEMKNN;
        checkSettings(p, kind, classLoader);
        Pseudonymizer pseudonymizer = pseudonymizer(p.pseudonymizationKey());

        Dataset data = p.data().path() == null ? null : load(p.data());
        InMemoryCatalog catalog = data == null ? new InMemoryCatalog() : new InMemoryCatalog(data.catalog().items());
        ProfileModel model = p.model() == null ? new CountingProfileModel(catalog) : loadModel(p.model());
        List<AutoCloseable> opened = new ArrayList<>(List.of(model));
        try {
            PersonaEngine.Builder b = PersonaEngine.builder(model).catalog(catalog)
                    .maxCachedUsers(p.engine().maxCachedUsers())
                    .historySize(p.engine().historySize())
                    .flushInterval(p.engine().flushInterval());
            Recommender main = recommender(kind, model, data, catalog);
            b.recommender(main);
            if (p.fallback() == FallbackKind.POPULARITY) {
                b.fallback(main instanceof PopularityRecommender ? main : PopularityRecommender.global(data.events(), catalog));
            }
            if (pseudonymizer != null) {
                b.pseudonymizer(pseudonymizer::pseudonym);
            }
            if (p.journal().path() != null) {
                b.journal(p.journal().path()).journalDurability(p.journal().durability())
                        .maxJournalBytes(p.journal().maxSize().toBytes());
            }
            UserDataStore store = openStore(p.store());
            if (store != null) {
                opened.add(store);
                b.store(store);
            }
            PersonaEngine engine = b.build();
            LOG.info("persona4j engine: model {} ({}), recommender {}, fallback {}, store {}, {} items, journal {}",
                    model.version(), p.model() == null ? "counting, no artifact" : p.model(), kind.name().toLowerCase(Locale.ROOT),
                    p.fallback().name().toLowerCase(Locale.ROOT), p.store().type().name().toLowerCase(Locale.ROOT), catalog.size(),
                    p.journal().path() == null ? "off" : p.journal().path());
            return engine;
        } catch (RuntimeException e) {
            closeAll(opened, e);
            if (e instanceof PersonaConfigurationException) {
                throw e;
            }
            if (e instanceof BadInputException) {
                throw new PersonaConfigurationException("persona4j: the engine settings were refused: " + e.getMessage(),
                        "correct the persona4j.* property the message names", e);
            }
            throw e;
        }
    }

    /** Everything that can be checked without reading a file, so that a bad setting fails at once. */
    private static void checkSettings(PersonaProperties p, RecommenderKind kind, ClassLoader classLoader) {
        boolean needsData = kind != RecommenderKind.EMBEDDING || p.fallback() == FallbackKind.POPULARITY;
        if (needsData && p.data().path() == null) {
            throw new PersonaConfigurationException("persona4j.data.path: required, was not set: recommender '"
                    + kind.name().toLowerCase(Locale.ROOT) + "' and fallback '" + p.fallback().name().toLowerCase(Locale.ROOT)
                    + "' need the events the " + (kind != RecommenderKind.EMBEDDING ? "recommender" : "popularity fallback")
                    + " is fitted on",
                    "set persona4j.data.path to an events file or its folder (and persona4j.data.format if it is not events-csv), "
                    + "or serve a trained model with persona4j.model, persona4j.recommender=embedding and persona4j.fallback=none");
        }
        if (kind == RecommenderKind.DEFAULT && p.model() == null) {
            throw new PersonaConfigurationException("persona4j.recommender: 'default' needs a trained model, but persona4j.model was not set",
                    "set persona4j.model to a model artifact (persona4j train), or persona4j.recommender to itemknn or popularity");
        }
        if (kind == RecommenderKind.EMBEDDING && p.model() == null) {
            throw new PersonaConfigurationException("persona4j.recommender: 'embedding' needs a trained model, but persona4j.model was not set",
                    "set persona4j.model to a model artifact (persona4j train), or persona4j.recommender to itemknn or popularity");
        }
        if (p.model() != null && !Files.isRegularFile(p.model())) {
            throw new PersonaConfigurationException("persona4j.model: file not found: " + p.model().toAbsolutePath(),
                    "set persona4j.model to an existing model artifact, or remove it to serve CountingProfileModel profiles");
        }
        PersonaProperties.Engine e = p.engine();
        if (e.maxCachedUsers() < 1) {
            throw new PersonaConfigurationException("persona4j.engine.max-cached-users: expected >= 1, was " + e.maxCachedUsers(),
                    "set persona4j.engine.max-cached-users to the number of users to keep live in memory (default 100000)");
        }
        if (e.historySize() < 1) {
            throw new PersonaConfigurationException("persona4j.engine.history-size: expected >= 1, was " + e.historySize(),
                    "set persona4j.engine.history-size to the number of recent events kept per user (default 50)");
        }
        if (e.flushInterval() == null || e.flushInterval().isNegative()) {
            throw new PersonaConfigurationException("persona4j.engine.flush-interval: expected >= 0, was " + e.flushInterval(),
                    "set persona4j.engine.flush-interval to a duration such as 500ms (0 writes only on eviction, flush and close)");
        }
        if (p.journal().path() != null && p.journal().maxSize().toBytes() < (1L << 20)) {
            throw new PersonaConfigurationException("persona4j.journal.max-size: expected >= 1MB, was " + p.journal().maxSize(),
                    "set persona4j.journal.max-size to the backlog at which ingest is refused (default 512MB)");
        }
        PersonaProperties.Store s = p.store();
        switch (s.type()) {
            case ROCKSDB -> {
                requireModule(classLoader, RocksDbStores.MARKER, "rocksdb", "persona4j-store-rocksdb");
                if (s.path() == null) {
                    throw new PersonaConfigurationException("persona4j.store.path: required with persona4j.store.type=rocksdb, was not set",
                            "set persona4j.store.path to the RocksDB folder (created if missing)");
                }
            }
            case REDIS -> {
                requireModule(classLoader, RedisStores.MARKER, "redis", "persona4j-store-redis");
                RedisStores.requireJedisApi(classLoader);
                RedisStores.parse(s.redisUrl());
            }
            case MEMORY -> {
                // nothing to check
            }
        }
    }

    private static void requireModule(ClassLoader classLoader, String marker, String type, String artifactId) {
        if (!ClassUtils.isPresent(marker, classLoader)) {
            throw new PersonaConfigurationException("persona4j.store.type=" + type + ": the " + artifactId
                    + " module is not on the class path (class " + marker + " not found)",
                    "add the dependency org.persona4j:" + artifactId + " to the application (its version comes from persona4j-bom), "
                    + "or set persona4j.store.type to memory");
        }
    }

    private static Dataset load(PersonaProperties.Data d) {
        try {
            return Datasets.load(d.format(), d.path(), d.lenient() ? ReadOptions.lenient() : ReadOptions.strict());
        } catch (PersonaException | java.io.UncheckedIOException e) {
            throw new PersonaConfigurationException("persona4j.data.path: cannot read " + d.format().cliName() + " data from "
                    + d.path().toAbsolutePath() + ": " + e.getMessage(),
                    "point persona4j.data.path at a readable " + d.format().cliName()
                    + " file or folder (docs/data-formats.md), or fix persona4j.data.format", e);
        }
    }

    private static ProfileModel loadModel(Path path) {
        try {
            return DeepProfileModel.load(path);
        } catch (IOException | PersonaException e) {
            throw new PersonaConfigurationException("persona4j.model: cannot load the model artifact " + path.toAbsolutePath()
                    + ": " + e.getMessage(),
                    "set persona4j.model to an artifact written by `persona4j train` (format 2; `persona4j upgrade-model` converts older ones)", e);
        }
    }

    private static Recommender recommender(RecommenderKind kind, ProfileModel model, Dataset data, InMemoryCatalog catalog) {
        return switch (kind) {
            case DEFAULT -> {
                DeepProfileModel deep = (DeepProfileModel) model;
                yield DefaultRecommender.builder(deep, deep.itemIds(), data.events(), catalog).manifest(deep.manifestJson())
                        .threads(Math.max(1, Runtime.getRuntime().availableProcessors())).build();
            }
            case EMBEDDING -> {
                DeepProfileModel deep = (DeepProfileModel) model;
                yield EmbeddingRetrievalRecommender.builder(deep, deep.itemIds()).catalog(catalog).build();
            }
            case ITEMKNN -> ItemKnnRecommender.fit(data.events(), catalog, ItemKnnRecommender.Config.defaults(),
                    Math.max(1, Runtime.getRuntime().availableProcessors()));
            case POPULARITY -> PopularityRecommender.global(data.events(), catalog);
        };
    }

    private static UserDataStore openStore(PersonaProperties.Store s) {
        String where = s.type() == PersonaProperties.StoreType.REDIS ? RedisStores.redact(s.redisUrl())
                : String.valueOf(s.path() == null ? null : s.path().toAbsolutePath());
        try {
            return switch (s.type()) {
                case MEMORY -> null;
                case ROCKSDB -> RocksDbStores.open(s.path(), s.durability());
                case REDIS -> RedisStores.open(s.redisUrl(), s.keyPrefix(), s.timeout());
            };
        } catch (PersonaException e) {
            throw new PersonaConfigurationException("persona4j.store: cannot open the " + s.type().name().toLowerCase(Locale.ROOT)
                    + " store at " + where + ": " + e.getMessage(),
                    s.type() == PersonaProperties.StoreType.REDIS
                            ? "check persona4j.store.redis-url and that the Redis server is running and reachable"
                            : "check persona4j.store.path: a writable folder that no other process holds open", e);
        }
    }

    private static Pseudonymizer pseudonymizer(String key) {
        if (key == null || key.isEmpty()) {
            return null;
        }
        byte[] bytes;
        if (key.startsWith(BASE64)) {
            try {
                bytes = Base64.getDecoder().decode(key.substring(BASE64.length()).trim());
            } catch (IllegalArgumentException e) {
                throw new PersonaConfigurationException("persona4j.pseudonymization-key: the value after 'base64:' is not Base64",
                        "give the key as base64:<Base64 of at least 16 bytes>, or as plain text of at least 16 bytes", e);
            }
        } else {
            bytes = key.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length < Pseudonymizer.MIN_KEY_BYTES) {
            throw new PersonaConfigurationException("persona4j.pseudonymization-key: expected at least " + Pseudonymizer.MIN_KEY_BYTES
                    + " bytes, got " + bytes.length + " (the key itself is not shown)",
                    "set a longer secret key, e.g. from an environment variable: persona4j.pseudonymization-key=${PERSONA4J_KEY}");
        }
        return new Pseudonymizer(bytes);
    }

    private static void closeAll(List<AutoCloseable> opened, RuntimeException failure) {
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
