package org.persona4j.spring.boot;

import org.persona4j.engine.PersonaEngine;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link PersonaHealthIndicator} as the actuator health component {@code persona4j} when
 * Spring Boot's actuator is on the class path and an engine bean exists; off with
 * {@code management.health.persona4j.enabled=false}.
 */
@AutoConfiguration(after = PersonaAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(PersonaEngine.class)
@ConditionalOnProperty(prefix = "management.health.persona4j", name = "enabled", havingValue = "true", matchIfMissing = true)
public class PersonaHealthAutoConfiguration {
    /** Creates the configuration (Spring Boot instantiates it). */
    public PersonaHealthAutoConfiguration() {
    }

    /**
     * @param engine the engine
     * @return the health indicator, contributed as {@code persona4j}
     */
    @Bean(name = "persona4jHealthIndicator")
    @ConditionalOnMissingBean(name = "persona4jHealthIndicator")
    public PersonaHealthIndicator persona4jHealthIndicator(PersonaEngine engine) {
        return new PersonaHealthIndicator(engine);
    }
}
