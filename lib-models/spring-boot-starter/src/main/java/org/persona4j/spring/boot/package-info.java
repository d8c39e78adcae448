/**
 * Spring Boot 3 auto-configuration of persona4j: a {@link org.persona4j.engine.PersonaEngine} bean
 * built from {@code persona4j.*} properties ({@link org.persona4j.spring.boot.PersonaProperties}),
 * {@link org.persona4j.core.BehaviorEvent}s ingested from Spring application events
 * ({@link org.persona4j.spring.boot.PersonaEventListener}), a timed recommendation facade
 * ({@link org.persona4j.spring.boot.PersonaRecommendations}), and, when the host has them, an
 * actuator health indicator and Micrometer meters named {@code persona4j.*}. See
 * {@code docs/integration.md}, section "Spring Boot".
 */
package org.persona4j.spring.boot;
