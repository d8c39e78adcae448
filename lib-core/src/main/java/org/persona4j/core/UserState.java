package org.persona4j.core;

/**
 * A user's real-time state inside a {@link ProfileModel} (for an LSTM: its hidden and cell
 * state), opaque to callers. States are immutable values: {@link ProfileModel#update} returns a new
 * one, so they can be cached and shared between threads. The one exception is
 * {@link ProfileModel#updateOwned}, for a state its caller holds alone.
 */
public interface UserState {
    /** @return the user the state belongs to */
    String userId();

    /** @return how many events have been folded into this state */
    long eventCount();

    /** @return epoch milliseconds of the last event, or -1 when none */
    long lastEventMillis();
}
