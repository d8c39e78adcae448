package org.persona4j.models.profile;

import org.persona4j.core.UserState;
import org.persona4j.models.nn.ProfileNetState;

/** The state of one user in a {@link DeepProfileModel}: immutable. */
final class DeepUserState implements UserState {
    final String userId;
    final long count;
    final long lastMillis;
    final ProfileNetState net;
    final String modelVersion;

    DeepUserState(String userId, long count, long lastMillis, ProfileNetState net, String modelVersion) {
        this.userId = userId;
        this.count = count;
        this.lastMillis = lastMillis;
        this.net = net;
        this.modelVersion = modelVersion;
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
