package org.persona4j.segment;

import java.util.List;
import org.persona4j.core.BadInputException;
import org.persona4j.core.UserProfile;

/**
 * Turns a {@link UserProfile} into the numeric vector a {@link KMeansSegmenter} clusters: the
 * model's long-term user embedding ({@link #longTermEmbedding()}, the one to find personas on), its
 * last-state user embedding ({@link #embedding()}, which follows the current session) or named
 * numeric profile features ({@link #features(List)}).
 */
public interface ProfileVector {
    /**
     * @param profile the profile
     * @return its vector (may contain NaN; the segmenter refuses it naming the user and dimension)
     * @throws BadInputException when the profile lacks what the vector needs
     */
    float[] of(UserProfile profile);

    /**
     * @param dimension a 0-based dimension index
     * @return a readable name of that dimension for error messages and reports
     */
    default String dimensionName(int dimension) {
        return "dimension " + dimension;
    }

    /** @return the profile's embedding; an empty embedding is refused naming the user */
    static ProfileVector embedding() {
        return new ProfileVector() {
            @Override
            public float[] of(UserProfile p) {
                if (p.embeddingSize() == 0) {
                    throw new BadInputException("profile " + p.userId() + ": field 'embedding': required for k-means on"
                            + " embeddings, was empty (no profile model?)");
                }
                return p.embedding();
            }

            @Override
            public String dimensionName(int d) {
                return "embedding[" + d + "]";
            }
        };
    }

    /**
     * @return the profile's long-term embedding (for the deep profile model: the mean of the
     *     per-event embedding over the user's history); an empty one (a user with no events, or a
     *     model without a long-term view) is refused naming the user
     */
    static ProfileVector longTermEmbedding() {
        return new ProfileVector() {
            @Override
            public float[] of(UserProfile p) {
                if (p.longTermEmbeddingSize() == 0) {
                    throw new BadInputException("profile " + p.userId() + ": field 'longTermEmbedding': required for k-means"
                            + " on long-term embeddings, was empty (no events yet, or a model without a long-term embedding?)");
                }
                return p.longTermEmbedding();
            }

            @Override
            public String dimensionName(int d) {
                return "longTermEmbedding[" + d + "]";
            }
        };
    }

    /**
     * @param names feature names read from {@link UserProfile#features()}, in order
     * @return a vector of those features; a missing feature is refused naming the user and feature
     */
    static ProfileVector features(List<String> names) {
        List<String> copy = List.copyOf(names);
        if (copy.isEmpty()) {
            throw new BadInputException("ProfileVector.features: field 'names': expected at least one feature name, was empty");
        }
        return new ProfileVector() {
            @Override
            public float[] of(UserProfile p) {
                float[] v = new float[copy.size()];
                for (int i = 0; i < v.length; i++) {
                    Double x = p.features().get(copy.get(i));
                    if (x == null) {
                        throw new BadInputException("profile " + p.userId() + ": field 'features." + copy.get(i)
                                + "': required by the k-means vector, was absent");
                    }
                    v[i] = x.floatValue();
                }
                return v;
            }

            @Override
            public String dimensionName(int d) {
                return "features." + copy.get(d);
            }
        };
    }
}
