package org.persona4j.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.engine.CountingProfileModel;
import org.persona4j.engine.PersonaEngine;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.store.rocksdb.RocksDbProfileStore;
import org.persona4j.testkit.redis.LocalRedisServer;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration's beans, conditions and start-up failures, each in a fresh context. */
class PersonaAutoConfigurationTest {
    @TempDir
    static Path dir;
    static Path shop;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PersonaAutoConfiguration.class, PersonaHealthAutoConfiguration.class,
                    PersonaMetricsAutoConfiguration.class));

    @BeforeAll
    static void writeShop() {
        shop = TestShops.write(dir);
    }

    private ApplicationContextRunner withData() {
        return runner.withPropertyValues("persona4j.data.path=" + shop);
    }

    /** The start-up failure's root PersonaConfigurationException. */
    private static PersonaConfigurationException configFailure(Throwable t) {
        assertNotNull(t, "the context should have failed to start");
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PersonaConfigurationException p) {
                return p;
            }
        }
        throw new AssertionError("no PersonaConfigurationException in " + t, t);
    }

    @Test
    void defaultsGiveItemKnnWithThePopularityFallback() {
        withData().run(ctx -> {
            assertNull(ctx.getStartupFailure());
            PersonaEngine engine = ctx.getBean(PersonaEngine.class);
            assertTrue(ctx.getBean(PersonaProperties.class).recommender() == null, "no recommender set: item-kNN is chosen");
            String user = TestShops.firstUser(shop);
            String sku = engine.catalog().items().iterator().next().id();
            engine.ingest(BehaviorEvent.builder(user, sku, EventType.VIEW, 1_800_000_000_000L).build());
            List<Recommendation> recs = ctx.getBean(PersonaRecommendations.class).forUser(user, 8);
            assertEquals(8, recs.size());
            assertEquals("counting-1", engine.modelVersion(), "without persona4j.model: CountingProfileModel");
            assertNotNull(ctx.getBean(PersonaEventListener.class));
            assertNotNull(ctx.getBean(PersonaMetrics.class));
            assertEquals(Status.UP, ctx.getBean(PersonaHealthIndicator.class).health().getStatus());
        });
    }

    @Test
    void popularityRecommenderAndBoundEngineSettings() {
        withData().withPropertyValues("persona4j.recommender=popularity", "persona4j.fallback=none",
                "persona4j.engine.history-size=3", "persona4j.engine.max-cached-users=10").run(ctx -> {
            assertNull(ctx.getStartupFailure());
            PersonaEngine engine = ctx.getBean(PersonaEngine.class);
            for (int i = 0; i < 5; i++) {
                engine.ingest(BehaviorEvent.builder("u", "i" + i, EventType.VIEW, 1_800_000_000_000L + i).build());
            }
            assertEquals(3, engine.recentEvents("u").size(), "persona4j.engine.history-size reaches the engine");
            assertEquals(5, engine.recommend(RecommendationRequest.builder(5).user("new").build()).size());
        });
    }

    @Test
    void withoutActuatorAndMicrometerOnlyTheEngineBeansAreMade() {
        withData().withClassLoader(new FilteredClassLoader(org.springframework.boot.actuate.health.HealthIndicator.class,
                io.micrometer.core.instrument.binder.MeterBinder.class)).run(ctx -> {
                    assertNull(ctx.getStartupFailure());
                    assertNotNull(ctx.getBean(PersonaEngine.class));
                    assertNotNull(ctx.getBean(PersonaRecommendations.class));
                    assertTrue(ctx.getBeansOfType(PersonaHealthIndicator.class).isEmpty());
                    assertTrue(ctx.getBeansOfType(PersonaMetrics.class).isEmpty());
                    assertEquals(3, ctx.getBean(PersonaRecommendations.class).forUser("nobody", 3).size(),
                            "the facade works without a timer");
                });
    }

    @Test
    void healthGoesDownWhenTheEngineIsClosed() {
        withData().run(ctx -> {
            PersonaHealthIndicator h = ctx.getBean(PersonaHealthIndicator.class);
            assertEquals(Status.UP, h.health().getStatus());
            ctx.getBean(PersonaEngine.class).close();
            assertEquals(Status.DOWN, h.health().getStatus());
            assertEquals("the engine is closed", h.health().getDetails().get("reason"));
        });
    }

    @Test
    void healthIndicatorCanBeSwitchedOff() {
        withData().withPropertyValues("management.health.persona4j.enabled=false")
                .run(ctx -> assertFalse(ctx.containsBean("persona4jHealthIndicator")));
    }

    @Test
    void listenerCanBeSwitchedOff() {
        withData().withPropertyValues("persona4j.events.listener-enabled=false").run(ctx -> {
            assertTrue(ctx.getBeansOfType(PersonaEventListener.class).isEmpty());
            long before = ctx.getBean(PersonaEngine.class).stats().eventsIngested();
            ctx.publishEvent(BehaviorEvent.builder("u", "i", EventType.VIEW, 1_800_000_000_000L).build());
            assertEquals(before, ctx.getBean(PersonaEngine.class).stats().eventsIngested());
        });
    }

    @Test
    void theApplicationsOwnEngineWins() {
        runner.withUserConfiguration(OwnEngine.class).run(ctx -> {
            assertNull(ctx.getStartupFailure(), "no persona4j.data.path needed when the host builds its engine");
            assertSame(ctx.getBean("ownEngine"), ctx.getBean(PersonaEngine.class));
            assertNotNull(ctx.getBean(PersonaHealthIndicator.class));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEngine {
        @Bean(destroyMethod = "close")
        PersonaEngine ownEngine() {
            InMemoryCatalog catalog = new InMemoryCatalog();
            return PersonaEngine.builder(new CountingProfileModel(catalog)).catalog(catalog)
                    .fallback(org.persona4j.recommend.PopularityRecommender.global(List.of(), catalog)).build();
        }
    }

    @Test
    void rocksDbStoreKeepsProfilesAcrossRestarts() {
        Path db = dir.resolve("rocks");
        ApplicationContextRunner rocks = withData().withPropertyValues("persona4j.store.type=rocksdb",
                "persona4j.store.path=" + db, "persona4j.store.durability=buffered");
        rocks.run(ctx -> {
            assertNull(ctx.getStartupFailure());
            ctx.getBean(PersonaEngine.class).ingest(BehaviorEvent.builder("kept", "i1", EventType.PURCHASE, 1_800_000_000_000L).build());
        });
        rocks.run(ctx -> assertEquals(1, ctx.getBean(PersonaEngine.class).recentEvents("kept").size(),
                "the first context's close flushed the user to RocksDB"));
    }

    @Test
    void missingStoreModuleFailsTheStartNamingTheModule() {
        withData().withPropertyValues("persona4j.store.type=rocksdb", "persona4j.store.path=" + dir.resolve("never"))
                .withClassLoader(new FilteredClassLoader(RocksDbProfileStore.class)).run(ctx -> {
                    PersonaConfigurationException e = configFailure(ctx.getStartupFailure());
                    assertEquals("persona4j.store.type=rocksdb: the persona4j-store-rocksdb module is not on the class path "
                            + "(class org.persona4j.store.rocksdb.RocksDbProfileStore not found)", e.getMessage());
                    assertTrue(e.action().contains("org.persona4j:persona4j-store-rocksdb"), e.action());
                });
        withData().withPropertyValues("persona4j.store.type=redis", "persona4j.store.redis-url=redis://localhost:6379")
                .withClassLoader(new FilteredClassLoader("org.persona4j.store.redis")).run(ctx ->
                        assertTrue(configFailure(ctx.getStartupFailure()).getMessage()
                                .startsWith("persona4j.store.type=redis: the persona4j-store-redis module is not on the class path")));
    }

    @Test
    void missingDataFailsTheStartNamingTheProperty() {
        runner.run(ctx -> {
            PersonaConfigurationException e = configFailure(ctx.getStartupFailure());
            assertTrue(e.getMessage().startsWith("persona4j.data.path: required, was not set"), e.getMessage());
        });
        runner.withPropertyValues("persona4j.data.path=" + dir.resolve("nothing-here")).run(ctx -> {
            PersonaConfigurationException e = configFailure(ctx.getStartupFailure());
            assertTrue(e.getMessage().startsWith("persona4j.data.path: cannot read events-csv data from "), e.getMessage());
            assertTrue(e.getMessage().contains("nothing-here"), e.getMessage());
        });
    }

    @Test
    void contradictoryOrBadSettingsFailTheStart() {
        withData().withPropertyValues("persona4j.recommender=embedding").run(ctx -> assertTrue(configFailure(ctx.getStartupFailure())
                .getMessage().startsWith("persona4j.recommender: 'embedding' needs a trained model")));
        withData().withPropertyValues("persona4j.model=" + dir.resolve("missing.zip")).run(ctx -> assertTrue(configFailure(
                ctx.getStartupFailure()).getMessage().startsWith("persona4j.model: file not found: ")));
        withData().withPropertyValues("persona4j.pseudonymization-key=short").run(ctx -> assertEquals(
                "persona4j.pseudonymization-key: expected at least 16 bytes, got 5 (the key itself is not shown)",
                configFailure(ctx.getStartupFailure()).getMessage()));
        withData().withPropertyValues("persona4j.store.type=redis", "persona4j.store.redis-url=http://user:secret@localhost:6379")
                .run(ctx -> {
                    String m = configFailure(ctx.getStartupFailure()).getMessage();
                    assertEquals("persona4j.store.redis-url: expected redis://host[:port][/database], was http://***@localhost:6379", m);
                });
        withData().withPropertyValues("persona4j.store.type=rocksdb").run(ctx -> assertTrue(configFailure(ctx.getStartupFailure())
                .getMessage().startsWith("persona4j.store.path: required with persona4j.store.type=rocksdb")));
        withData().withPropertyValues("persona4j.engine.history-size=0").run(ctx -> assertEquals(
                "persona4j.engine.history-size: expected >= 1, was 0", configFailure(ctx.getStartupFailure()).getMessage()));
        withData().withPropertyValues("persona4j.journal.path=" + dir.resolve("j"), "persona4j.journal.max-size=10KB").run(ctx ->
                assertEquals("persona4j.journal.max-size: expected >= 1MB, was 10240B",
                        configFailure(ctx.getStartupFailure()).getMessage()));
    }

    @Test
    void aTrainedModelServesEmbeddingRetrieval() throws Exception {
        Path model = Path.of("src/test/resources/golden/profile-model-v2.zip");
        List<String> items;
        try (DeepProfileModel m = DeepProfileModel.load(model)) {
            items = m.itemIds();
        }
        runner.withPropertyValues("persona4j.model=" + model, "persona4j.fallback=none").run(ctx -> {
            assertNull(ctx.getStartupFailure(), "embedding with fallback none needs no data");
            PersonaEngine engine = ctx.getBean(PersonaEngine.class);
            assertFalse(engine.modelVersion().startsWith("counting"), engine.modelVersion());
            engine.ingest(BehaviorEvent.builder("u", items.get(0), EventType.VIEW, 1_800_000_000_000L).build());
            engine.ingest(BehaviorEvent.builder("u", items.get(1), EventType.ADD_TO_CART, 1_800_000_001_000L).build());
            List<Recommendation> recs = ctx.getBean(PersonaRecommendations.class).forUser("u", 3);
            assertFalse(recs.isEmpty(), "embedding retrieval over the model's items");
            assertTrue(items.containsAll(recs.stream().map(Recommendation::itemId).toList()));
        });
    }

    @Test
    void aModelAndDataServeTheDefaultBlend() throws Exception {
        Path model = Path.of("src/test/resources/golden/profile-model-v2.zip");
        List<String> items;
        try (DeepProfileModel m = DeepProfileModel.load(model)) {
            items = m.itemIds();
        }
        withData().withPropertyValues("persona4j.model=" + model).run(ctx -> {
            assertNull(ctx.getStartupFailure());
            PersonaEngine engine = ctx.getBean(PersonaEngine.class);
            engine.ingest(BehaviorEvent.builder("u", items.get(0), EventType.VIEW, 1_800_000_000_000L).build());
            List<Recommendation> recs = ctx.getBean(PersonaRecommendations.class).forUser("u", 3);
            assertFalse(recs.isEmpty());
            // the golden artifact predates learned blends: the default serves its fixed weights and says so
            Recommendation r = recs.stream().filter(x -> x.reasons().size() > 1).findFirst().orElse(recs.get(0));
            String last = r.reasons().get(r.reasons().size() - 1).text();
            assertTrue(last.startsWith("blend with fixed weights (none learned): lstm 0.50, itemknn 1, sknn 0") || recs.stream()
                    .allMatch(x -> x.reasons().get(0).kind() == org.persona4j.core.ReasonKind.FALLBACK), r.reasons().toString());
        });
    }

    @Test
    void redisStoreThroughTheStarter(@TempDir Path work) {
        Optional<Path> binary = LocalRedisServer.findBinary();
        Assumptions.assumeTrue(binary.isPresent(), "no redis-server binary on this machine");
        try (LocalRedisServer redis = LocalRedisServer.start(binary.get(), work)) {
            ApplicationContextRunner r = withData().withPropertyValues("persona4j.store.type=redis",
                    "persona4j.store.redis-url=redis://127.0.0.1:" + redis.port() + "/2", "persona4j.store.key-prefix=starter:");
            r.run(ctx -> {
                assertNull(ctx.getStartupFailure());
                ctx.getBean(PersonaEngine.class).ingest(BehaviorEvent.builder("shared", "i1", EventType.VIEW, 1_800_000_000_000L).build());
            });
            r.run(ctx -> assertEquals(1, ctx.getBean(PersonaEngine.class).recentEvents("shared").size(),
                    "the first context's close wrote the user to Redis"));
        }
    }

    /**
     * The starter's own build resolves the Jedis persona4j-store-redis needs (8.0.2, from the root
     * pom); spring-boot-starter-parent 3.5.7 would pin 6.0.0, which lacks redis.clients.jedis.RedisClient.
     * With that class missing the start fails naming the fix.
     */
    @Test
    void jedisTooOldForTheRedisStoreFailsTheStartNamingTheFix() {
        assertEquals("8.0.2", RedisStores.jedisVersion(getClass().getClassLoader()));
        assertTrue(org.springframework.util.ClassUtils.isPresent(RedisStores.JEDIS_API, getClass().getClassLoader()));
        withData().withPropertyValues("persona4j.store.type=redis", "persona4j.store.redis-url=redis://127.0.0.1:1")
                .withClassLoader(new FilteredClassLoader(RedisStores.JEDIS_API)).run(ctx -> {
                    PersonaConfigurationException e = configFailure(ctx.getStartupFailure());
                    assertTrue(e.getMessage().startsWith("persona4j.store.type=redis: persona4j-store-redis needs Jedis 8.0.2, "
                            + "but the class path holds Jedis "), e.getMessage());
                    assertTrue(e.action().contains("<jedis.version>8.0.2</jedis.version>"), e.action());
                });
    }

    @Test
    void anUnreachableRedisFailsTheStartNamingTheUrl() {
        withData().withPropertyValues("persona4j.store.type=redis", "persona4j.store.redis-url=redis://:pw@127.0.0.1:1",
                "persona4j.store.timeout=500ms").run(ctx -> {
                    String m = configFailure(ctx.getStartupFailure()).getMessage();
                    assertTrue(m.startsWith("persona4j.store: cannot open the redis store at redis://***@127.0.0.1:1: "), m);
                    assertFalse(m.contains("pw@"), "the password is not shown: " + m);
                });
    }

    @Test
    void anUnknownValueFailsTheBindingNamingTheProperty() {
        withData().withPropertyValues("persona4j.recommender=knn").run(ctx -> {
            Throwable t = ctx.getStartupFailure();
            assertNotNull(t);
            StringBuilder all = new StringBuilder();
            for (Throwable c = t; c != null; c = c.getCause()) {
                all.append(c.getMessage()).append('\n');
            }
            assertTrue(all.toString().contains("persona4j.recommender"), all.toString());
            assertTrue(all.toString().contains("knn"), all.toString());
        });
    }

    @Test
    void failureAnalyzerPrintsTheMessageAndTheAction() {
        PersonaConfigurationException e = new PersonaConfigurationException("persona4j.data.path: required", "set it");
        FailureAnalysis a = new PersonaFailureAnalyzer().analyze(new IllegalStateException("bean creation failed", e));
        assertNotNull(a);
        assertEquals("persona4j.data.path: required", a.getDescription());
        assertEquals("set it", a.getAction());
        assertInstanceOf(PersonaConfigurationException.class, a.getCause());
    }
}
