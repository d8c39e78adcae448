package org.persona4j.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.UserProfile;
import org.persona4j.core.UserState;

/**
 * A profile model without a neural network, for hosts that serve item-kNN, popularity or rules and
 * do not want the deep model's dependencies: interests are each category's share of the user's
 * events (the item's deepest category from the catalogue), the purchase propensity is the user's
 * share of purchase events smoothed towards a prior ({@code (purchases + a) / (events + a + b)}).
 * There is no embedding ({@link #embeddingSize()} is 0). Updates are exact (the same profile as
 * folding the whole history) and O(categories) per event. Thread-safe; states are values. It holds no
 * native memory; after {@link #close()} calls raise {@link IllegalStateException}.
 */
public final class CountingProfileModel implements ProfileModel {
    /** Number of category interests reported in a profile. */
    public static final int MAX_INTERESTS = 20;
    private static final double PRIOR_PURCHASES = 0.5;
    private static final double PRIOR_OTHERS = 9.5;

    private final Catalog catalog;
    private volatile boolean closed;

    /**
     * @param catalog where an event's item category is looked up (items it lacks count for no category)
     */
    public CountingProfileModel(Catalog catalog) {
        if (catalog == null) {
            throw new BadInputException("CountingProfileModel: catalog is required, was null");
        }
        this.catalog = catalog;
    }

    private record State(String userId, long eventCount, long lastEventMillis, long purchases,
                         Map<String, Long> categories) implements UserState {
    }

    @Override
    public String version() {
        return "counting-1";
    }

    @Override
    public int embeddingSize() {
        return 0;
    }

    @Override
    public UserState newState(String userId) {
        requireOpen();
        if (userId == null || userId.isBlank()) {
            throw new BadInputException("userId is required, was " + (userId == null ? "null" : "blank"));
        }
        return new State(userId, 0, -1, 0, Map.of());
    }

    @Override
    public UserState update(UserState state, BehaviorEvent event) {
        State s = own(state);
        if (event == null) {
            throw new BadInputException("update: event is required, was null");
        }
        if (!event.userId().equals(s.userId())) {
            throw new BadInputException("update: event of user '" + event.userId() + "' folded into the state of user '" + s.userId() + "'");
        }
        return fold(s, event);
    }

    private State fold(State s, BehaviorEvent event) {
        Map<String, Long> cats = s.categories();
        String c = event.itemId() == null ? null : catalog.item(event.itemId()).map(i -> i.leafCategory()).orElse(null);
        if (c != null) {
            cats = new HashMap<>(cats);
            cats.merge(c, 1L, Long::sum);
        }
        long p = s.purchases() + (event.type() == EventType.PURCHASE ? 1 : 0);
        return new State(s.userId(), s.eventCount() + 1, event.timestampMillis(), p, cats);
    }

    @Override
    public UserProfile profile(UserState state) {
        State s = own(state);
        long total = 0;
        for (long n : s.categories().values()) {
            total += n;
        }
        List<Map.Entry<String, Long>> order = new ArrayList<>(s.categories().entrySet());
        order.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Double> interests = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(MAX_INTERESTS, order.size()); i++) {
            interests.put(order.get(i).getKey(), order.get(i).getValue() / (double) total);
        }
        double purchase = (s.purchases() + PRIOR_PURCHASES) / (s.eventCount() + PRIOR_PURCHASES + PRIOR_OTHERS);
        return new UserProfile(s.userId(), new float[0], new float[0], interests, Map.of("purchase", purchase), Map.of(),
                List.of(), Map.of(), s.eventCount(),
                s.lastEventMillis() < 0 ? Instant.EPOCH : Instant.ofEpochMilli(s.lastEventMillis()), version());
    }

    @Override
    public UserProfile profile(String userId, List<BehaviorEvent> history) {
        if (history == null) {
            throw new BadInputException("profile: history is required, was null");
        }
        State s = own(newState(userId));
        for (BehaviorEvent e : history) {
            if (e == null) {
                throw new BadInputException("profile: history event is null (user '" + userId + "')");
            }
            s = fold(s, e);
        }
        return profile(s);
    }

    @Override
    public Optional<float[]> itemEmbedding(String itemId) {
        return Optional.empty();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("CountingProfileModel is closed");
        }
    }

    private State own(UserState state) {
        requireOpen();
        if (!(state instanceof State)) {
            throw new BadInputException("state " + (state == null ? "null" : "of type " + state.getClass().getName())
                    + " does not belong to a CountingProfileModel");
        }
        return (State) state;
    }

    @Override
    public void close() {
        closed = true;
    }
}
