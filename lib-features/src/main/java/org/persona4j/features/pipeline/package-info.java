/**
 * Fit, then apply: {@link org.persona4j.features.pipeline.FeaturePipeline} is fitted on training
 * events, a catalogue and user attributes, and yields an immutable, thread-safe
 * {@link org.persona4j.features.pipeline.FittedFeaturePipeline} (a core
 * {@code FeatureExtractor<UserInput>}) that turns a user's history into a fixed-length
 * {@code float[]} described by a {@code FeatureSchema}. It saves to and loads from a versioned,
 * human-readable JSON file that round-trips exactly.
 */
package org.persona4j.features.pipeline;
