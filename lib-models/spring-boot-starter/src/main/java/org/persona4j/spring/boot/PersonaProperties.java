package org.persona4j.spring.boot;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.persona4j.engine.JournalDurability;
import org.persona4j.io.DataFormat;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code persona4j.*} properties that configure the auto-configured
 * {@link org.persona4j.engine.PersonaEngine}. Checked when the engine is built: a missing or
 * contradictory setting fails the start with a {@link PersonaConfigurationException} naming the
 * property and what it expects.
 *
 * @param model a trained profile model artifact ({@code persona4j train}); without it profiles come
 *     from {@link org.persona4j.engine.CountingProfileModel} over the catalogue (no embedding)
 * @param data the events (and the catalogue in their side files) the recommenders are fitted on
 * @param store where profiles are kept
 * @param recommender the main recommender; default {@code embedding} with a model, {@code itemknn} without
 * @param fallback fills short lists (cold start); default {@code popularity}
 * @param journal the write-ahead event journal (off without a path)
 * @param pseudonymizationKey secret key of the HMAC pseudonymiser that replaces user ids at the
 *     engine's boundary (at least 16 bytes; {@code base64:} prefix for a Base64-encoded key); none when unset
 * @param engine the engine's sizes and intervals
 * @param events how events reach the engine
 */
@ConfigurationProperties("persona4j")
public record PersonaProperties(Path model,
                                @DefaultValue Data data,
                                @DefaultValue Store store,
                                RecommenderKind recommender,
                                @DefaultValue("popularity") FallbackKind fallback,
                                @DefaultValue Journal journal,
                                String pseudonymizationKey,
                                @DefaultValue Engine engine,
                                @DefaultValue Events events) {

    /** The main recommenders the starter can build. */
    public enum RecommenderKind {
        /**
         * The SDK's default ({@code DefaultRecommender}): the model's retrieval blended with item-kNN
         * and session-kNN with the weights learned at training (in the artifact); needs
         * {@code persona4j.model} and {@code persona4j.data}. Chosen when both are set.
         */
        DEFAULT,
        /** Nearest items to the user's embedding (HNSW); needs {@code persona4j.model}. */
        EMBEDDING,
        /** Item-to-item co-occurrence over the user's recent events; fitted on {@code persona4j.data}. */
        ITEMKNN,
        /** Global popularity; fitted on {@code persona4j.data}. */
        POPULARITY
    }

    /** The fallbacks the starter can build. */
    public enum FallbackKind {
        /** Global popularity, fitted on {@code persona4j.data}. */
        POPULARITY,
        /** No fallback: lists may come back short for new users. */
        NONE
    }

    /** The profile stores. */
    public enum StoreType {
        /** In the JVM's heap, lost on restart (the default). */
        MEMORY,
        /** Embedded RocksDB in {@code persona4j.store.path}; needs {@code persona4j-store-rocksdb}. */
        ROCKSDB,
        /** A Redis server at {@code persona4j.store.redis-url}; needs {@code persona4j-store-redis}. */
        REDIS
    }

    /** When a RocksDB write counts as done (see {@code org.persona4j.store.rocksdb.Durability}). */
    public enum StoreDurability {
        /** fsynced before the write returns. */
        SYNC,
        /** in the OS page cache before the write returns. */
        BUFFERED
    }

    /**
     * The data set the recommenders are fitted on at start-up ({@link org.persona4j.io.Datasets#load}).
     *
     * @param path the events file or its folder; side files ({@code items.csv} for events-csv) give the catalogue
     * @param format its format ({@code events-csv}, {@code taobao}, {@code retailrocket}, {@code movielens},
     *     {@code recbole}, {@code s3rec}, {@code sessions}); default {@code events-csv}
     * @param lenient skip bad records (up to the readers' limits) instead of failing on the first
     */
    public record Data(Path path, @DefaultValue("events-csv") DataFormat format, @DefaultValue("false") boolean lenient) {
    }

    /**
     * The profile store.
     *
     * @param type {@code memory} (default), {@code rocksdb} or {@code redis}
     * @param path the RocksDB folder (rocksdb)
     * @param durability RocksDB write durability, {@code sync} (default) or {@code buffered}
     * @param redisUrl {@code redis://[:password@]host[:port][/database]} (redis)
     * @param keyPrefix prefix of every Redis key (default {@code p4j:})
     * @param timeout Redis connect and socket timeout (default 2 s)
     */
    public record Store(@DefaultValue("memory") StoreType type, Path path, @DefaultValue("sync") StoreDurability durability,
                        URI redisUrl, @DefaultValue("p4j:") String keyPrefix, @DefaultValue("2s") Duration timeout) {
    }

    /**
     * The event journal: with a path, {@code ingest} returns once the event is journaled, and the
     * engine replays what the store lacks on start.
     *
     * @param path the journal folder (one engine per folder); no journal when unset
     * @param durability {@code sync} (default: fsynced) or {@code buffered}
     * @param maxSize backlog at which {@code ingest} is refused until the write-behind catches up (default 512MB)
     */
    public record Journal(Path path, @DefaultValue("sync") JournalDurability durability,
                          @DefaultValue("512MB") DataSize maxSize) {
    }

    /**
     * Engine sizes and intervals (see {@link org.persona4j.engine.PersonaEngine.Builder}).
     *
     * @param maxCachedUsers users whose live state stays in memory (default 100000)
     * @param historySize recent events kept per user (default 50)
     * @param flushInterval how often changes are written behind (default 500ms)
     */
    public record Engine(@DefaultValue("100000") long maxCachedUsers, @DefaultValue("50") int historySize,
                         @DefaultValue("500ms") Duration flushInterval) {
    }

    /**
     * How events reach the engine.
     *
     * @param listenerEnabled ingest every {@link org.persona4j.core.BehaviorEvent} published with
     *     {@code ApplicationEventPublisher.publishEvent} (default true)
     */
    public record Events(@DefaultValue("true") boolean listenerEnabled) {
    }
}
