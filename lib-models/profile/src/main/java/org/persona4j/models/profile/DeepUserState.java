package org.persona4j.models.profile;

import org.persona4j.core.UserState;
import org.persona4j.models.nn.ProfileNetState;

/**
 * The state of one user in a {@link DeepProfileModel}: immutable once shared; only
 * {@link DeepProfileModel#updateOwned}, for its sole owner, advances it in place.
 *
 * <p>Besides the recurrent state it carries the running mean of the per-event user vectors
 * ({@code meanUser}, the projection of the last hidden state after each event, without the constant
 * bias dimension, kept in double precision), the long-term embedding's source. Its length is the projection size; before the
 * first event it is all zeros and unused ({@code count == 0}).
 */
public final class DeepUserState implements UserState {
    final String userId;
    long count;
    long lastMillis;
    /** The counters of the time-aware calibration; written in place only by an owned update. */
    final ActivityCounters activity;
    final ProfileNetState net;
    /** Mean over the {@code count} events so far of the user vector after each; written only by an owned update. */
    final double[] meanUser;
    final String modelVersion;

    DeepUserState(String userId, long count, long lastMillis, ActivityCounters activity, ProfileNetState net,
                  double[] meanUser, String modelVersion) {
        this.userId = userId;
        this.count = count;
        this.lastMillis = lastMillis;
        this.activity = activity;
        this.net = net;
        this.meanUser = meanUser;
        this.modelVersion = modelVersion;
    }

    /** @return the network's recurrent state (shared, not copied; treat it as read-only) */
    public ProfileNetState networkState() {
        return net;
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public long eventCount() {
        return count;
    }

    @Override
    public long lastEventMillis() {
        return lastMillis;
    }

    @Override
    public String toString() {
        return "DeepUserState{user=" + userId + ", events=" + count + "}";
    }
}
