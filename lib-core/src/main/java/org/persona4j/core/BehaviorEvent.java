package org.persona4j.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One thing a shopper did: immutable, validated at construction.
 *
 * <p>Required: user id, event type, timestamp (epoch milliseconds from 1970-01-01 to
 * 9999-12-31) and the item id (which may be absent only for {@link EventType#SEARCH}). Optional:
 * session id, search query, rating, dwell time, quantity, unit price and review text. Every field
 * is checked by {@link EventRules}, the rules shared by every entry point (readers, the HTTP
 * service, direct construction); invalid values raise {@link BadInputException} naming the field,
 * what was expected and the value. User, item and session ids hold no control characters and are
 * at most {@link Ids#maxIdBytes()} UTF-8 bytes (1 KiB unless the system property
 * {@value Ids#PROPERTY} says otherwise).
 *
 * <p>Build with {@link #builder(String, String, EventType, long)} or the short factory
 * {@link #of(String, String, EventType, long)}.
 */
public final class BehaviorEvent {
    private final String userId;
    private final String itemId;
    private final EventType type;
    private final long timestampMillis;
    private final String sessionId;
    private final String query;
    private final double rating;
    private final long dwellMillis;
    private final int quantity;
    private final double price;
    private final String reviewText;

    private BehaviorEvent(Builder b) {
        EventRules.require(EventRules.checkId("userId", b.userId));
        this.userId = Ids.require("userId", b.userId);
        this.type = b.type;
        if (b.itemId == null || b.itemId.isBlank()) {
            if (b.type != EventType.SEARCH) {
                throw new BadInputException(null, -1, "itemId", "required for " + b.type + " events, was "
                        + (b.itemId == null ? "null" : EventRules.snippet(b.itemId)));
            }
            this.itemId = null;
        } else {
            EventRules.require(EventRules.checkId("itemId", b.itemId));
            this.itemId = Ids.requireLength("itemId", b.itemId);
        }
        EventRules.require(EventRules.checkTimestamp("timestamp", b.timestampMillis));
        this.timestampMillis = b.timestampMillis;
        String session = Checks.blankToNull(b.sessionId);
        EventRules.require(EventRules.checkId("sessionId", session));
        this.sessionId = Ids.requireLength("sessionId", session);
        this.query = Checks.blankToNull(b.query);
        if (!Double.isNaN(b.rating)) {
            EventRules.require(EventRules.checkRating("rating", b.rating));
        }
        this.rating = b.rating;
        if (b.dwellMillis != -1) {
            EventRules.require(EventRules.checkDwellMillis("dwellMillis", b.dwellMillis));
        }
        this.dwellMillis = b.dwellMillis;
        if (b.quantity != 0) {
            EventRules.require(EventRules.checkQuantity("quantity", b.quantity));
        }
        this.quantity = b.quantity;
        if (!Double.isNaN(b.price)) {
            EventRules.require(EventRules.checkPrice("price", b.price));
        }
        this.price = b.price;
        this.reviewText = Checks.blankToNull(b.reviewText);
    }

    /**
     * A plain event with no optional fields.
     *
     * @param userId the user, not blank
     * @param itemId the item, not blank unless {@code type} is SEARCH
     * @param type the event type
     * @param timestampMillis epoch milliseconds, within {@link EventRules#MIN_TIMESTAMP_MILLIS} and
     *     {@link EventRules#MAX_TIMESTAMP_MILLIS}
     * @return the event
     * @throws BadInputException on an invalid field
     */
    public static BehaviorEvent of(String userId, String itemId, EventType type, long timestampMillis) {
        return new Builder(userId, itemId, type, timestampMillis).build();
    }

    /**
     * @param userId the user, not blank
     * @param itemId the item, not blank unless {@code type} is SEARCH
     * @param type the event type
     * @param timestampMillis epoch milliseconds, {@code >= 0}
     * @return a builder for the optional fields
     */
    public static Builder builder(String userId, String itemId, EventType type, long timestampMillis) {
        return new Builder(userId, itemId, type, timestampMillis);
    }

    /** @return a builder initialised with this event's fields */
    public Builder toBuilder() {
        Builder b = new Builder(userId, itemId, type, timestampMillis);
        b.sessionId = sessionId;
        b.query = query;
        b.rating = rating;
        b.dwellMillis = dwellMillis;
        b.quantity = quantity;
        b.price = price;
        b.reviewText = reviewText;
        return b;
    }

    /**
     * @param newUserId the user id to put in place of this event's (for example a pseudonym)
     * @return a copy of this event for that user
     * @throws BadInputException when the id is blank
     */
    public BehaviorEvent withUser(String newUserId) {
        Builder b = new Builder(newUserId, itemId, type, timestampMillis);
        b.sessionId = sessionId;
        b.query = query;
        b.rating = rating;
        b.dwellMillis = dwellMillis;
        b.quantity = quantity;
        b.price = price;
        b.reviewText = reviewText;
        return b.build();
    }

    /** @return the user id, never null */
    public String userId() {
        return userId;
    }

    /** @return the item id; null only for SEARCH events without an item */
    public String itemId() {
        return itemId;
    }

    /** @return the event type */
    public EventType type() {
        return type;
    }

    /** @return epoch milliseconds */
    public long timestampMillis() {
        return timestampMillis;
    }

    /** @return the timestamp as an instant */
    public Instant timestamp() {
        return Instant.ofEpochMilli(timestampMillis);
    }

    /** @return the session id, if known */
    public Optional<String> sessionId() {
        return Optional.ofNullable(sessionId);
    }

    /** @return the search query, if any */
    public Optional<String> query() {
        return Optional.ofNullable(query);
    }

    /** @return the rating, if any */
    public OptionalDouble rating() {
        return Double.isNaN(rating) ? OptionalDouble.empty() : OptionalDouble.of(rating);
    }

    /** @return the rating, or NaN when absent (allocation-free form for hot loops) */
    public double ratingOrNaN() {
        return rating;
    }

    /** @return dwell time in milliseconds, if known */
    public OptionalLong dwellMillis() {
        return dwellMillis < 0 ? OptionalLong.empty() : OptionalLong.of(dwellMillis);
    }

    /** @return dwell time in milliseconds, or -1 when absent */
    public long dwellMillisOrMinus1() {
        return dwellMillis;
    }

    /** @return the quantity, if given */
    public OptionalInt quantity() {
        return quantity == 0 ? OptionalInt.empty() : OptionalInt.of(quantity);
    }

    /** @return the quantity, or 1 when absent */
    public int quantityOrOne() {
        return quantity == 0 ? 1 : quantity;
    }

    /** @return the unit price, if given */
    public OptionalDouble price() {
        return Double.isNaN(price) ? OptionalDouble.empty() : OptionalDouble.of(price);
    }

    /** @return the unit price, or NaN when absent */
    public double priceOrNaN() {
        return price;
    }

    /** @return the review text, if any */
    public Optional<String> reviewText() {
        return Optional.ofNullable(reviewText);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BehaviorEvent)) {
            return false;
        }
        BehaviorEvent e = (BehaviorEvent) o;
        return timestampMillis == e.timestampMillis && type == e.type && userId.equals(e.userId)
                && Objects.equals(itemId, e.itemId) && Objects.equals(sessionId, e.sessionId)
                && Objects.equals(query, e.query) && Double.compare(rating, e.rating) == 0
                && dwellMillis == e.dwellMillis && quantity == e.quantity
                && Double.compare(price, e.price) == 0 && Objects.equals(reviewText, e.reviewText);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, itemId, type, timestampMillis, sessionId, query, rating, dwellMillis,
                quantity, price, reviewText);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("BehaviorEvent{user=").append(userId).append(", item=").append(itemId)
                .append(", type=").append(type).append(", time=").append(timestamp());
        if (sessionId != null) {
            sb.append(", session=").append(sessionId);
        }
        if (query != null) {
            sb.append(", query=\"").append(query).append('"');
        }
        if (!Double.isNaN(rating)) {
            sb.append(", rating=").append(rating);
        }
        if (dwellMillis >= 0) {
            sb.append(", dwellMs=").append(dwellMillis);
        }
        if (quantity != 0) {
            sb.append(", qty=").append(quantity);
        }
        if (!Double.isNaN(price)) {
            sb.append(", price=").append(price);
        }
        if (reviewText != null) {
            sb.append(", review=").append(reviewText.length()).append(" chars");
        }
        return sb.append('}').toString();
    }

    /** Mutable builder for {@link BehaviorEvent}; not thread-safe. */
    public static final class Builder {
        private final String userId;
        private final String itemId;
        private final EventType type;
        private final long timestampMillis;
        private String sessionId;
        private String query;
        private double rating = Double.NaN;
        private long dwellMillis = -1;
        private int quantity;
        private double price = Double.NaN;
        private String reviewText;

        private Builder(String userId, String itemId, EventType type, long timestampMillis) {
            this.userId = userId;
            this.itemId = itemId;
            this.type = type;
            this.timestampMillis = timestampMillis;
        }

        /** @param v session id, null or blank for none @return this */
        public Builder session(String v) {
            this.sessionId = v;
            return this;
        }

        /** @param v search query, null or blank for none @return this */
        public Builder query(String v) {
            this.query = v;
            return this;
        }

        /** @param v rating, finite and {@code >= 0}, NaN for none @return this */
        public Builder rating(double v) {
            this.rating = v;
            return this;
        }

        /** @param v dwell time in ms, 0 to {@link EventRules#MAX_DWELL_MILLIS}, -1 for none @return this */
        public Builder dwellMillis(long v) {
            this.dwellMillis = v;
            return this;
        }

        /** @param v quantity {@code >= 1}, 0 for none (negative values are refused) @return this */
        public Builder quantity(int v) {
            this.quantity = v;
            return this;
        }

        /** @param v unit price, finite and {@code >= 0}, NaN for none @return this */
        public Builder price(double v) {
            this.price = v;
            return this;
        }

        /** @param v review text, null or blank for none @return this */
        public Builder reviewText(String v) {
            this.reviewText = v;
            return this;
        }

        /**
         * @return the validated event
         * @throws BadInputException naming the first invalid field
         */
        public BehaviorEvent build() {
            if (type == null) {
                throw new BadInputException(null, -1, "type", "required, was null");
            }
            return new BehaviorEvent(this);
        }
    }
}
