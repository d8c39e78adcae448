package org.persona4j.features.aggregate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;

/**
 * Thread-safe real-time store of {@link UserAggregates}: events of different users update in
 * parallel, events of one user are serialised on that user's aggregates. Memory is
 * {@link AggregateConfig#bytesPerUserBound()} per user plus the map entry; nothing grows with the
 * number of events.
 *
 * <p>Bad input policy: a null event is counted ({@link #rejectedEvents()}) and ignored; an event
 * whose item the catalogue does not know still updates counts and time features and is counted
 * in the user's snapshot.
 */
public final class AggregateStore {
    private final AggregateConfig config;
    private final ItemResolver resolver;
    private final ConcurrentHashMap<String, UserAggregates> users = new ConcurrentHashMap<>();
    private final LongAdder rejected = new LongAdder();

    /**
     * @param config aggregate settings
     * @param resolver the item resolver
     */
    public AggregateStore(AggregateConfig config, ItemResolver resolver) {
        if (config == null || resolver == null) {
            throw new BadInputException("aggregate store: 'config' and 'resolver' are required");
        }
        this.config = config;
        this.resolver = resolver;
    }

    /**
     * Folds an event into its user's aggregates.
     *
     * @param e the event; null is counted and ignored
     * @return whether the event was applied
     */
    public boolean update(BehaviorEvent e) {
        if (e == null) {
            rejected.increment();
            return false;
        }
        UserAggregates a = users.get(e.userId());
        if (a == null) {
            a = users.computeIfAbsent(e.userId(), u -> new UserAggregates(u, config));
        }
        synchronized (a) {
            a.update(e, resolver);
        }
        return true;
    }

    /**
     * @param userId a user
     * @param asOfMillis evaluation time of decayed values
     * @return the user's snapshot, empty when the user has no events
     */
    public Optional<AggregateSnapshot> snapshot(String userId, long asOfMillis) {
        UserAggregates a = userId == null ? null : users.get(userId);
        if (a == null) {
            return Optional.empty();
        }
        synchronized (a) {
            return Optional.of(a.snapshot(asOfMillis, resolver));
        }
    }

    /** @return the ids of users with aggregates (a snapshot, in no particular order) */
    public List<String> userIds() {
        return new ArrayList<>(users.keySet());
    }

    /** @return the number of users */
    public int size() {
        return users.size();
    }

    /** @return null events rejected so far */
    public long rejectedEvents() {
        return rejected.sum();
    }

    /** @return the resolver */
    public ItemResolver resolver() {
        return resolver;
    }

    /** @return the settings */
    public AggregateConfig config() {
        return config;
    }
}
