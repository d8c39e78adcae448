package org.persona4j.core;

/**
 * A fitted, immutable transformation from a domain object to a fixed-length numeric vector
 * described by {@link #schema()}.
 *
 * <p>Contract: implementations are thread-safe and side-effect free; {@code extract} returns a new
 * array of length {@code schema().size()} with finite values; a null input raises
 * {@link BadInputException}; unknown ids map to the documented out-of-vocabulary value rather than
 * failing. Fitting happens elsewhere (the feature pipelines of {@code lib-features}).
 *
 * @param <T> the input type (an {@link Item}, {@link UserAttributes}, a user's event history, ...)
 */
public interface FeatureExtractor<T> {
    /** @return the schema of the vectors this extractor emits */
    FeatureSchema schema();

    /**
     * @param input the object to featurise, not null
     * @return a new vector of length {@code schema().size()}
     * @throws BadInputException when the input is null or violates the extractor's documented policy
     */
    float[] extract(T input);
}
