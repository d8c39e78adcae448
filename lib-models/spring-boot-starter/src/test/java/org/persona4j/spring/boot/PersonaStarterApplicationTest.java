package org.persona4j.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.Recommendation;
import org.persona4j.engine.PersonaEngine;
import org.persona4j.spring.boot.shop.ShopApplication;
import org.persona4j.spring.boot.shop.ShopService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.actuate.health.SystemHealth;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The starter in a real Spring Boot application: properties, events in, recommendations out, health, meters. */
@SpringBootTest(classes = ShopApplication.class, properties = {
        "persona4j.recommender=itemknn",
        "persona4j.fallback=popularity",
        "persona4j.store.type=memory",
        "persona4j.pseudonymization-key=a-test-key-of-32-characters-long",
        "persona4j.engine.flush-interval=0s"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class PersonaStarterApplicationTest {
    @TempDir
    static Path dir;
    static Path shop;

    @DynamicPropertySource
    static void data(DynamicPropertyRegistry registry) {
        registry.add("persona4j.data.path", () -> shop().toString());
        registry.add("persona4j.journal.path", () -> dir.resolve("journal").toString());
    }

    static synchronized Path shop() {
        if (shop == null) {
            shop = TestShops.write(dir);
        }
        return shop;
    }

    @Autowired
    PersonaProperties properties;
    @Autowired
    PersonaEngine engine;
    @Autowired
    ApplicationEventPublisher publisher;
    @Autowired
    ShopService service;
    @Autowired
    HealthEndpoint health;
    @Autowired
    MeterRegistry meters;

    @Test
    void propertiesBind() {
        assertEquals(PersonaProperties.RecommenderKind.ITEMKNN, properties.recommender());
        assertEquals(PersonaProperties.FallbackKind.POPULARITY, properties.fallback());
        assertEquals(PersonaProperties.StoreType.MEMORY, properties.store().type());
        assertEquals(shop(), properties.data().path());
        assertEquals("events-csv", properties.data().format().cliName());
        assertEquals(dir.resolve("journal"), properties.journal().path());
        assertEquals(512L << 20, properties.journal().maxSize().toBytes());
        assertEquals(100_000, properties.engine().maxCachedUsers());
        assertTrue(properties.events().listenerEnabled());
        assertTrue(engine.catalog().size() > 0, "the catalogue comes from items.csv");
    }

    @Test
    void publishedEventsReachTheEngineAndRecommendationsComeBack() {
        String sku = engine.catalog().items().iterator().next().id();
        long before = engine.stats().eventsIngested();
        long journalBefore = engine.stats().journalCommits();
        for (int i = 0; i < 3; i++) {
            publisher.publishEvent(BehaviorEvent.builder("spring-user", sku, EventType.VIEW, 1_800_000_000_000L + i).build());
        }
        service.addedToCart("spring-user", sku, 19.9);
        assertEquals(before + 4, engine.stats().eventsIngested());
        assertTrue(engine.stats().journalCommits() > journalBefore, "the journal is on");
        assertEquals(4, engine.recentEvents("spring-user").size());
        assertNotEquals("spring-user", engine.profile("spring-user").userId(), "the engine sees a pseudonym");

        List<Recommendation> recs = service.recommendationsFor("spring-user");
        assertEquals(10, recs.size());
        for (Recommendation r : recs) {
            assertFalse(r.reasons().isEmpty(), "every recommendation carries a reason");
            assertNotEquals(sku, r.itemId());
        }
        Timer latency = meters.find("persona4j.recommend.latency").timer();
        assertNotNull(latency, "the recommend timer is registered");
        assertTrue(latency.count() >= 1);
    }

    @Test
    void aColdUserGetsTheFallback() {
        assertEquals(10, service.recommendationsFor("never-seen").size(), "popularity fills the list of a user without events");
    }

    @Test
    void healthIsUpWithTheEnginesFigures() {
        HealthComponent h = health.healthForPath("persona4j");
        assertNotNull(h, "the persona4j health component is registered");
        assertEquals(Status.UP, h.getStatus());
        Map<String, Object> details = ((org.springframework.boot.actuate.health.Health) h).getDetails();
        for (String k : List.of("storeFailures", "quarantinedWrites", "journalBytes", "pendingWrites", "modelVersion")) {
            assertTrue(details.containsKey(k), k + " in " + details);
        }
        assertTrue(Files.isDirectory(dir.resolve("journal")));
        HealthComponent all = health.health();
        assertTrue(all instanceof SystemHealth);
        assertEquals(Status.UP, all.getStatus());
    }

    @Test
    void metersAreRegistered() {
        publisher.publishEvent(BehaviorEvent.builder("meter-user", "no-such-item", EventType.VIEW, 1_800_000_000_000L).build());
        FunctionCounter ingested = meters.find("persona4j.events.ingested").functionCounter();
        assertNotNull(ingested);
        assertEquals(engine.stats().eventsIngested(), (long) ingested.count());
        FunctionCounter unknown = meters.find("persona4j.events.unknown.item").functionCounter();
        assertNotNull(unknown);
        assertTrue(unknown.count() >= 1, "the event for an item not in the catalogue is counted");
        for (String g : List.of("persona4j.users.cached", "persona4j.writes.pending", "persona4j.journal.bytes")) {
            assertNotNull(meters.find(g).gauge(), g);
        }
        assertTrue(meters.find("persona4j.users.cached").gauge().value() >= 1);
        publisher.publishEvent(BehaviorEvent.builder("meter-user", "no-such-item", EventType.CLICK, 1_800_000_001_000L).build());
        assertTrue(meters.find("persona4j.cache.hits").functionCounter().count() >= 1, "the second event of a user hits the cache");
        assertTrue(meters.find("persona4j.cache.misses").functionCounter().count() >= 1);
        double ratio = meters.find("persona4j.cache.hit.ratio").gauge().value();
        assertTrue(ratio > 0 && ratio < 1, "hit ratio " + ratio);
    }
}
