/**
 * The embedding engine: {@link org.persona4j.engine.PersonaEngine}, the thread-safe facade a host
 * backend calls to ingest events in real time and to read profiles, recommendations, segments and
 * explanations, backed by durable stores.
 */
package org.persona4j.engine;
