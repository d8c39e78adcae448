package org.persona4j.spring.boot;

import java.util.Objects;
import org.persona4j.engine.EngineStats;
import org.persona4j.engine.PersonaEngine;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The engine's health as the actuator's {@code persona4j} component: DOWN once the engine is
 * closed, UP otherwise (a failing store does not stop the engine serving from memory, so it is
 * reported, not turned into DOWN). Details: {@code storeFailures} (total, and since the previous
 * check), {@code quarantinedWrites}, {@code journalBytes} (the journal backlog on disk),
 * {@code pendingWrites}, {@code cachedUsers}, {@code eventsIngested}, {@code eventsRefusedOverloaded}
 * and {@code modelVersion}.
 */
public class PersonaHealthIndicator extends AbstractHealthIndicator {
    private final PersonaEngine engine;
    private long lastStoreFailures;

    /** @param engine the engine to report on */
    public PersonaHealthIndicator(PersonaEngine engine) {
        super("persona4j health check failed");
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        EngineStats s = engine.stats();
        long newFailures;
        synchronized (this) {
            newFailures = s.storeFailures() - lastStoreFailures;
            lastStoreFailures = s.storeFailures();
        }
        (isOpen(engine) ? builder.up() : builder.down().withDetail("reason", "the engine is closed"))
                .withDetail("modelVersion", s.modelVersion())
                .withDetail("eventsIngested", s.eventsIngested())
                .withDetail("cachedUsers", s.cachedUsers())
                .withDetail("pendingWrites", s.pendingWrites())
                .withDetail("storeFailures", s.storeFailures())
                .withDetail("storeFailuresSinceLastCheck", newFailures)
                .withDetail("quarantinedWrites", s.quarantinedWrites())
                .withDetail("journalBytes", s.journalBytes())
                .withDetail("eventsRefusedOverloaded", s.eventsRefusedOverloaded());
    }

    static boolean isOpen(PersonaEngine engine) {
        return engine.isOpen();
    }
}
