package org.persona4j.spring.boot;

import org.persona4j.engine.PersonaEngine;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures a {@link PersonaEngine} from {@link PersonaProperties} (unless the application
 * defines its own engine bean), always with a main recommender and, by default, the popularity
 * fallback; the {@link PersonaEventListener} that feeds it Spring application events; and the
 * timed {@link PersonaRecommendations} facade. The engine is closed with the context (pending
 * writes flushed, journal checkpointed, store closed).
 */
@AutoConfiguration
@EnableConfigurationProperties(PersonaProperties.class)
public class PersonaAutoConfiguration {
    /** Creates the configuration (Spring Boot instantiates it). */
    public PersonaAutoConfiguration() {
    }

    /**
     * @param properties the {@code persona4j.*} settings
     * @param context the application context, whose class loader decides which store modules are present
     * @return the engine, closed with the context
     * @throws PersonaConfigurationException when the settings cannot give an engine
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public PersonaEngine personaEngine(PersonaProperties properties, ApplicationContext context) {
        return PersonaEngineFactory.build(properties, context.getClassLoader());
    }

    /**
     * @param engine the engine
     * @return the timed recommendation facade
     */
    @Bean
    @ConditionalOnMissingBean
    public PersonaRecommendations personaRecommendations(PersonaEngine engine) {
        return new PersonaRecommendations(engine);
    }

    /**
     * @param engine the engine
     * @return the listener that ingests published {@link org.persona4j.core.BehaviorEvent}s
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "persona4j.events", name = "listener-enabled", havingValue = "true", matchIfMissing = true)
    public PersonaEventListener personaEventListener(PersonaEngine engine) {
        return new PersonaEventListener(engine);
    }
}
