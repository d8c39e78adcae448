package org.persona4j.core;

import java.util.List;

/**
 * A fitted grouping of users. Implementations are fitted by their own builders or trainers (k-means
 * on embeddings, RFM quantiles, declarative rules) and are immutable and thread-safe afterwards.
 *
 * <p>Contract: {@link #assign} never refits; it places a new or updated user in one of
 * {@link #segments()}. A null profile raises {@link BadInputException}; a profile lacking what the
 * segmenter needs (no embedding, NaN values) raises {@link BadInputException} naming the field.
 */
public interface Segmenter {
    /** @return the name under which memberships are stored in {@link UserProfile#segments()} */
    String name();

    /** @return the fitted segments with their descriptions */
    List<Segment> segments();

    /**
     * @param profile a user's profile
     * @return the segment the user belongs to
     */
    Segment assign(UserProfile profile);
}
