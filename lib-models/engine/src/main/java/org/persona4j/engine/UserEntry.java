package org.persona4j.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.UserProfile;
import org.persona4j.core.UserState;
import org.persona4j.features.aggregate.UserAggregates;

/**
 * One user's live state in the engine: the model state, the last {@code capacity} events (the
 * durable part) and a cached profile. Guarded by the engine's per-key atomic compute: never touched
 * by two threads at once, except {@link #published()}, which readers call without the lock.
 */
final class UserEntry {
    final String userId;
    private final int capacity;
    private final ArrayDeque<BehaviorEvent> recent;
    private UserState state;
    private String modelVersion;
    private long totalEvents;
    private boolean dirty;
    /**
     * The engine's decorated profile of the current state (what recommenders read) with the recent
     * events, as of the last {@link #cacheProfile}; null after an event or a model change until the
     * next. Volatile: readers may take it without the entry's lock.
     */
    private volatile Published published;
    /** The user's lib-features aggregates over the whole history, or null when not configured. */
    UserAggregates aggregates;
    /**
     * The highest event-journal sequence number applied to this user (stored with its state), or
     * -1: a replayed record at or below it is already in the state.
     */
    long journalSeq = -1;

    UserEntry(String userId, int capacity) {
        this.userId = userId;
        this.capacity = capacity;
        this.recent = new ArrayDeque<>(Math.min(capacity, 64));
    }

    /** Rebuilds the entry from stored recent events with the given model. */
    static UserEntry restore(String userId, int capacity, List<BehaviorEvent> events, long totalEvents, ProfileModel model) {
        UserEntry e = new UserEntry(userId, capacity);
        int skip = Math.max(0, events.size() - capacity);
        for (int i = skip; i < events.size(); i++) {
            e.recent.addLast(events.get(i));
        }
        e.totalEvents = Math.max(totalEvents, e.recent.size());
        e.rebuild(model);
        return e;
    }

    /** Makes the state current for {@code model}, refolding the recent events after a model swap. */
    void ensureModel(ProfileModel model) {
        if (state == null || !model.version().equals(modelVersion)) {
            rebuild(model);
        }
    }

    private void rebuild(ProfileModel model) {
        UserState s = model.newState(userId);
        for (BehaviorEvent ev : recent) {
            s = model.updateOwned(s, ev);
        }
        state = s;
        modelVersion = model.version();
        published = null;
    }

    void append(BehaviorEvent event, ProfileModel model) {
        ensureModel(model);
        // the entry owns its state alone: the model may advance it in place (no surviving garbage)
        state = model.updateOwned(state, event);
        if (recent.size() == capacity) {
            recent.removeFirst();
        }
        recent.addLast(event);
        totalEvents++;
        dirty = true;
        published = null;
    }

    /** The model's profile of the current state (the engine caches the decorated one, {@link #cacheProfile}). */
    UserProfile profile(ProfileModel model) {
        ensureModel(model);
        return model.profile(state);
    }

    /** The model's profile as of a time (not cached); call under the entry's lock like the others. */
    UserProfile profileAt(ProfileModel model, long nowMillis) {
        ensureModel(model);
        return model.profile(state, nowMillis);
    }

    /**
     * @param model the serving model (a different one rebuilds the state and drops the caches)
     * @return the cached decorated profile of the current state, or null
     */
    UserProfile decorated(ProfileModel model) {
        ensureModel(model);
        Published p = published;
        return p == null ? null : p.profile();
    }

    /**
     * Caches the decorated profile of the current state, until the next event or model, and publishes
     * it with a copy of the recent events for lock-free readers.
     */
    void cacheProfile(UserProfile p, ProfileModel model) {
        this.published = new Published(model, p, List.copyOf(recent));
    }

    /** @return what was last cached (a consistent pair), or null when the state changed since */
    Published published() {
        return published;
    }

    /**
     * An immutable read view of the entry.
     *
     * @param model the model the profile is of
     * @param profile the decorated profile
     * @param history the recent events, oldest first
     */
    record Published(ProfileModel model, UserProfile profile, List<BehaviorEvent> history) {
    }

    List<BehaviorEvent> recentEvents() {
        return new ArrayList<>(recent);
    }

    ArrayDeque<BehaviorEvent> recentView() {
        return recent;
    }

    long totalEvents() {
        return totalEvents;
    }

    boolean dirty() {
        return dirty;
    }

    void markClean() {
        dirty = false;
    }
}
