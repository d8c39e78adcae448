package org.persona4j.spring.boot;

import java.util.Objects;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.engine.PersonaEngine;
import org.springframework.context.event.EventListener;

/**
 * Ingests every {@link BehaviorEvent} published as a Spring application event
 * ({@code ApplicationEventPublisher.publishEvent(event)}). Delivery is synchronous on the
 * publisher's thread (unless the host configures an asynchronous multicaster), so an event the
 * engine refuses ({@link org.persona4j.core.BadInputException}) or cannot take now
 * ({@link org.persona4j.engine.EngineOverloadedException}) fails the {@code publishEvent} call.
 * Switched off by {@code persona4j.events.listener-enabled=false}.
 */
public class PersonaEventListener {
    private final PersonaEngine engine;

    /** @param engine the engine that receives the events */
    public PersonaEventListener(PersonaEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /** @param event a shopper's action, published by the host */
    @EventListener
    public void onEvent(BehaviorEvent event) {
        engine.ingest(event);
    }
}
