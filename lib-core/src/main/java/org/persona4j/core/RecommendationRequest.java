package org.persona4j.core;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a caller asks a {@link Recommender} for: the user (or none, for anonymous sessions), how
 * many items, the context the caller knows (recent events, the current cart, the page's item, the
 * profile) and the business filters. Immutable; build with {@link #builder(int)}.
 */
public final class RecommendationRequest {
    private final String userId;
    private final int k;
    private final List<BehaviorEvent> history;
    private final UserProfile profile;
    private final List<String> cart;
    private final String currentItem;
    private final boolean excludeSeen;
    private final Set<String> excludeItems;
    private final Set<String> allowCategories;
    private final Set<String> denyCategories;
    private final Predicate<Item> itemFilter;

    private RecommendationRequest(Builder b) {
        this.userId = b.userId;
        this.k = b.k;
        this.history = List.copyOf(b.history);
        this.profile = b.profile;
        this.cart = List.copyOf(b.cart);
        this.currentItem = b.currentItem;
        this.excludeSeen = b.excludeSeen;
        this.excludeItems = Set.copyOf(b.excludeItems);
        this.allowCategories = Set.copyOf(b.allowCategories);
        this.denyCategories = Set.copyOf(b.denyCategories);
        this.itemFilter = b.itemFilter;
    }

    /**
     * @param k number of items wanted, {@code >= 1}
     * @return a builder
     * @throws BadInputException when k &lt; 1
     */
    public static Builder builder(int k) {
        if (k < 1) {
            throw new BadInputException("request: field 'k': expected >= 1, was " + k);
        }
        return new Builder(k);
    }

    /** @return the user id, empty for anonymous sessions */
    public Optional<String> userId() {
        return Optional.ofNullable(userId);
    }

    /** @return how many items are wanted */
    public int k() {
        return k;
    }

    /** @return the user's known events, oldest first (possibly only the current session) */
    public List<BehaviorEvent> history() {
        return history;
    }

    /** @return the user's profile when the caller has it */
    public Optional<UserProfile> profile() {
        return Optional.ofNullable(profile);
    }

    /** @return item ids in the current cart */
    public List<String> cart() {
        return cart;
    }

    /** @return the item of the current page, if any */
    public Optional<String> currentItem() {
        return Optional.ofNullable(currentItem);
    }

    /** @return whether items in the history are excluded (default true) */
    public boolean excludeSeen() {
        return excludeSeen;
    }

    /** @return item ids that must not be returned */
    public Set<String> excludeItems() {
        return excludeItems;
    }

    /** @return if not empty, only items whose category path contains one of these are allowed */
    public Set<String> allowCategories() {
        return allowCategories;
    }

    /** @return items whose category path contains one of these are excluded */
    public Set<String> denyCategories() {
        return denyCategories;
    }

    /** @return the host's predicate (in stock, ...), always true when not set */
    public Predicate<Item> itemFilter() {
        return itemFilter;
    }

    /**
     * Applies every filter of this request to one candidate: explicit exclusions, seen items (when
     * {@link #excludeSeen()}), category allow/deny lists and the host predicate. Items that are not in
     * the catalogue pass the category checks only when no allow list is set.
     *
     * @param itemId the candidate
     * @param item the catalogue entry, or null when unknown
     * @param seen the ids in the history (precomputed by the caller)
     * @return true when the candidate may be returned
     */
    public boolean admits(String itemId, Item item, Set<String> seen) {
        if (excludeItems.contains(itemId) || (excludeSeen && seen.contains(itemId))) {
            return false;
        }
        if (item == null) {
            return allowCategories.isEmpty();
        }
        if (!allowCategories.isEmpty() && item.categoryPath().stream().noneMatch(allowCategories::contains)) {
            return false;
        }
        if (!denyCategories.isEmpty() && item.categoryPath().stream().anyMatch(denyCategories::contains)) {
            return false;
        }
        return itemFilter.test(item);
    }

    /**
     * @return a builder holding this request's values, to derive a changed copy (for example with
     *     the history and profile a serving layer knows)
     */
    public Builder toBuilder() {
        Builder b = new Builder(k);
        b.userId = userId;
        b.history = history;
        b.profile = profile;
        b.cart = cart;
        b.currentItem = currentItem;
        b.excludeSeen = excludeSeen;
        b.excludeItems = excludeItems;
        b.allowCategories = allowCategories;
        b.denyCategories = denyCategories;
        b.itemFilter = itemFilter;
        return b;
    }

    /** Builder for {@link RecommendationRequest}; not thread-safe. */
    public static final class Builder {
        private String userId;
        private final int k;
        private List<BehaviorEvent> history = List.of();
        private UserProfile profile;
        private List<String> cart = List.of();
        private String currentItem;
        private boolean excludeSeen = true;
        private Set<String> excludeItems = Set.of();
        private Set<String> allowCategories = Set.of();
        private Set<String> denyCategories = Set.of();
        private Predicate<Item> itemFilter = i -> true;

        private Builder(int k) {
            this.k = k;
        }

        /** @param v the user id, null for anonymous @return this */
        public Builder user(String v) {
            this.userId = v;
            return this;
        }

        /** @param v the user's events, oldest first @return this */
        public Builder history(List<BehaviorEvent> v) {
            this.history = requireNoNulls("history", v);
            return this;
        }

        /** @param v the user's profile @return this */
        public Builder profile(UserProfile v) {
            this.profile = v;
            return this;
        }

        /** @param v item ids in the cart @return this */
        public Builder cart(List<String> v) {
            this.cart = requireNoNulls("cart", v);
            return this;
        }

        /** @param v the item of the current page @return this */
        public Builder currentItem(String v) {
            this.currentItem = v;
            return this;
        }

        /** @param v whether to exclude items in the history (default true) @return this */
        public Builder excludeSeen(boolean v) {
            this.excludeSeen = v;
            return this;
        }

        /** @param v ids never to return @return this */
        public Builder excludeItems(Set<String> v) {
            this.excludeItems = requireNoNulls("excludeItems", v);
            return this;
        }

        /** @param v categories to allow (empty: all) @return this */
        public Builder allowCategories(Set<String> v) {
            this.allowCategories = requireNoNulls("allowCategories", v);
            return this;
        }

        /** @param v categories to deny @return this */
        public Builder denyCategories(Set<String> v) {
            this.denyCategories = requireNoNulls("denyCategories", v);
            return this;
        }

        /** @param v the host's predicate, e.g. in stock @return this */
        public Builder itemFilter(Predicate<Item> v) {
            if (v == null) {
                throw new BadInputException("request: field 'itemFilter': must not be null");
            }
            this.itemFilter = v;
            return this;
        }

        /** @return the request */
        public RecommendationRequest build() {
            return new RecommendationRequest(this);
        }

        private static <C extends java.util.Collection<?>> C requireNoNulls(String field, C c) {
            if (c == null) {
                throw new BadInputException("request: field '" + field + "': must not be null");
            }
            for (Object o : c) {
                if (o == null) {
                    throw new BadInputException("request: field '" + field + "': contains null");
                }
            }
            return c;
        }
    }
}
