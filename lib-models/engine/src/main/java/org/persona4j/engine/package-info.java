/**
 * The embedding engine: {@link org.persona4j.engine.PersonaEngine}, the thread-safe facade a host
 * backend calls to ingest events in real time and to read profiles, recommendations, segments and
 * explanations, backed by durable stores; and {@link org.persona4j.engine.ProfileReranker}, the
 * SDK's {@link org.persona4j.core.SearchReranker} (the engine's default), with its
 * {@link org.persona4j.engine.ItemSimilarity} sources.
 */
package org.persona4j.engine;
