package org.persona4j.core;

import java.util.List;
import java.util.Optional;

/**
 * A trained model that turns a user's behaviour into a {@link UserProfile}: an embedding in the
 * item space, interest scores and propensities.
 *
 * <p>Contract: all methods are thread-safe once the model is built or loaded. {@link #update}
 * folds one event into a state in O(1) and gives the same profile as {@link #profile(String, List)}
 * on the whole history (to floating-point tolerance). Unknown item ids are treated as an
 * out-of-vocabulary item, never an error; a null argument raises {@link BadInputException}. A user
 * with no events gets the defined cold-start profile. Models may hold native memory:
 * {@link #close()} releases it and later calls raise {@link IllegalStateException}.
 */
public interface ProfileModel extends AutoCloseable {
    /** @return the model version (content hash of its weights and manifest) */
    String version();

    /** @return the dimension of user and item embeddings */
    int embeddingSize();

    /**
     * @param userId the user
     * @return the cold-start state of a user with no events
     */
    UserState newState(String userId);

    /**
     * Folds one event into a user's state in O(1) time.
     *
     * @param state the current state (not modified)
     * @param event the new event of the same user
     * @return the new state
     * @throws BadInputException when the event belongs to another user or is null
     */
    UserState update(UserState state, BehaviorEvent event);

    /**
     * Folds one event into a state the caller owns alone (a live per-user cache entry, say): the
     * model may write the new state over {@code state}'s own memory and return it, so that a
     * long-lived state is not replaced by a new object at every event (less garbage collector work
     * on a busy host). The result equals {@link #update}'s. After the call only the returned state
     * may be used; the caller must not have shared {@code state} with other threads or code. By
     * default this is {@link #update}.
     *
     * @param state the current state, given up by the caller
     * @param event the new event of the same user
     * @return the new state (possibly {@code state} itself, changed)
     * @throws BadInputException when the event belongs to another user or is null ({@code state} then unchanged)
     */
    default UserState updateOwned(UserState state, BehaviorEvent event) {
        return update(state, event);
    }

    /**
     * @param state a user's state
     * @return the user's profile at that state
     */
    UserProfile profile(UserState state);

    /**
     * A user's profile as of a point in time at or after the state's last event. Propensities
     * that depend on time (the churn risk, the chance of a purchase within a horizon) then count
     * the quiet time from the last event to {@code asOfMillis}: a user silent for a month is more
     * likely gone than one seen an hour ago. By default, and for models without time-aware heads,
     * this is {@link #profile(UserState)}, which reads the state as of its last event.
     *
     * @param state a user's state
     * @param asOfMillis the time the profile is for, epoch milliseconds; a time before the last
     *     event counts as the last event's time
     * @return the user's profile at that time
     */
    default UserProfile profile(UserState state, long asOfMillis) {
        return profile(state);
    }

    /**
     * Builds a profile from a whole history (oldest first) as of a point in time, see
     * {@link #profile(UserState, long)}. By default {@link #profile(String, List)}.
     *
     * @param userId the user
     * @param history the user's events in time order, possibly empty
     * @param asOfMillis the time the profile is for, epoch milliseconds
     * @return the profile
     */
    default UserProfile profile(String userId, List<BehaviorEvent> history, long asOfMillis) {
        return profile(userId, history);
    }

    /**
     * Builds a profile from a whole history (oldest first).
     *
     * @param userId the user
     * @param history the user's events in time order, possibly empty
     * @return the profile
     */
    UserProfile profile(String userId, List<BehaviorEvent> history);

    /**
     * @param itemId an item id
     * @return the item's output embedding, comparable by dot product with user embeddings; empty
     *     for items the model does not know
     */
    Optional<float[]> itemEmbedding(String itemId);

    /** Releases native memory held by the model. Idempotent. */
    @Override
    void close();
}
