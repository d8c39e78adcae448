package org.persona4j.spring.boot;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.persona4j.engine.EngineStats;
import org.persona4j.engine.PersonaEngine;

/**
 * Binds the engine's counters ({@link EngineStats}) to Micrometer:
 * <ul>
 *   <li>counters {@code persona4j.events.ingested}, {@code persona4j.events.rejected},
 *       {@code persona4j.events.unknown.item}, {@code persona4j.events.refused.overloaded},
 *       {@code persona4j.cache.hits}, {@code persona4j.cache.misses}, {@code persona4j.cache.hit.ratio},
 *       {@code persona4j.store.failures}, {@code persona4j.writes.quarantined};</li>
 *   <li>gauges {@code persona4j.users.cached}, {@code persona4j.writes.pending} (the write-behind
 *       backlog) and {@code persona4j.journal.bytes};</li>
 *   <li>the timer {@code persona4j.recommend.latency} (p50, p95, p99) over the calls made through
 *       {@link PersonaRecommendations}, when there is one.</li>
 * </ul>
 * Each read takes {@link PersonaEngine#stats()}, which sums a few counters without locking.
 */
public class PersonaMetrics implements MeterBinder {
    private final PersonaEngine engine;
    private final PersonaRecommendations recommendations;

    /**
     * @param engine the engine
     * @param recommendations the facade whose calls are timed, or null for no latency timer
     */
    public PersonaMetrics(PersonaEngine engine, PersonaRecommendations recommendations) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.recommendations = recommendations;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "persona4j.events.ingested", "events folded into user states", EngineStats::eventsIngested);
        counter(registry, "persona4j.events.rejected", "events refused as null or invalid", EngineStats::eventsRejected);
        counter(registry, "persona4j.events.unknown.item", "accepted events whose item the catalogue did not hold",
                EngineStats::unknownItemEvents);
        counter(registry, "persona4j.events.refused.overloaded", "events refused while the journal was over its bound",
                EngineStats::eventsRefusedOverloaded);
        counter(registry, "persona4j.store.failures", "failed store reads or writes (the engine kept serving)",
                EngineStats::storeFailures);
        counter(registry, "persona4j.writes.quarantined", "user writes given up on", EngineStats::quarantinedWrites);
        gauge(registry, "persona4j.users.cached", "users whose live state is in memory", null, EngineStats::cachedUsers);
        counter(registry, "persona4j.cache.hits", "user look-ups served from the in-memory cache", EngineStats::cacheHits);
        counter(registry, "persona4j.cache.misses", "user look-ups that loaded the user from the store or started a new one",
                EngineStats::cacheMisses);
        gauge(registry, "persona4j.cache.hit.ratio", "cache hits / look-ups since start (NaN before the first)", null,
                EngineStats::cacheHitRate);
        gauge(registry, "persona4j.writes.pending", "users with changes not yet written to the store (write-behind backlog)",
                null, EngineStats::pendingWrites);
        gauge(registry, "persona4j.journal.bytes", "bytes the event journal holds on disk", BaseUnits.BYTES,
                EngineStats::journalBytes);
        if (recommendations != null) {
            Timer timer = Timer.builder("persona4j.recommend.latency")
                    .description("time of PersonaRecommendations.recommend calls")
                    .publishPercentiles(0.5, 0.95, 0.99)
                    .register(registry);
            recommendations.onLatency(nanos -> timer.record(nanos, TimeUnit.NANOSECONDS));
        }
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<EngineStats> f) {
        FunctionCounter.builder(name, engine, e -> f.applyAsDouble(e.stats())).description(description).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit, ToDoubleFunction<EngineStats> f) {
        Gauge.builder(name, engine, e -> f.applyAsDouble(e.stats())).description(description).baseUnit(unit).register(registry);
    }
}
