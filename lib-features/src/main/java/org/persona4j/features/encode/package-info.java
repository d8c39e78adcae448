/**
 * Encoders fitted on training data: id vocabularies with a minimum count and an out-of-vocabulary
 * bucket ({@link org.persona4j.features.encode.IdVocabulary}), feature hashing
 * ({@link org.persona4j.features.encode.FeatureHasher}), one-hot and multi-hot encoders for
 * categorical attributes and category paths, age bands, and numeric normalisers (z-score, min-max,
 * log1p, quantile) in {@link org.persona4j.features.encode.NumericNormalizer}. All fitted objects
 * are immutable and thread-safe.
 */
package org.persona4j.features.encode;
