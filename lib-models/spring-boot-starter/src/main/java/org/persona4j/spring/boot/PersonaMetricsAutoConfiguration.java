package org.persona4j.spring.boot;

import io.micrometer.core.instrument.binder.MeterBinder;
import org.persona4j.engine.PersonaEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link PersonaMetrics} when Micrometer is on the class path and an engine bean exists;
 * Spring Boot's actuator binds it to the application's meter registry.
 */
@AutoConfiguration(after = PersonaAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(PersonaEngine.class)
public class PersonaMetricsAutoConfiguration {
    /** Creates the configuration (Spring Boot instantiates it). */
    public PersonaMetricsAutoConfiguration() {
    }

    /**
     * @param engine the engine
     * @param recommendations the timed facade, if there is one
     * @return the meter binder
     */
    @Bean
    @ConditionalOnMissingBean
    public PersonaMetrics personaMetrics(PersonaEngine engine, ObjectProvider<PersonaRecommendations> recommendations) {
        return new PersonaMetrics(engine, recommendations.getIfUnique());
    }
}
