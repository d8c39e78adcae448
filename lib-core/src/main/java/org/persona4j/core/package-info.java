/**
 * The persona4j domain model and contracts: events, items, user attributes, profiles, segments,
 * recommendations with reasons, the {@link org.persona4j.core.FeatureExtractor},
 * {@link org.persona4j.core.ProfileModel}, {@link org.persona4j.core.Segmenter} and
 * {@link org.persona4j.core.Recommender} interfaces, and the exception hierarchy rooted at
 * {@link org.persona4j.core.PersonaException}. This package depends on no numerical engine.
 */
package org.persona4j.core;
