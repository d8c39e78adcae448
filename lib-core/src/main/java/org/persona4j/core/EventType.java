package org.persona4j.core;

import java.util.Locale;

/** The kinds of shopper behaviour the SDK understands, in rough funnel order. */
public enum EventType {
    /** A search query; the item id may be absent. */
    SEARCH,
    /** An item detail page view. */
    VIEW,
    /** A click on an item in a list or recommendation slot. */
    CLICK,
    /** Item put in the cart. */
    ADD_TO_CART,
    /** Item taken out of the cart. */
    REMOVE_FROM_CART,
    /** Item added to favourites / wish list. */
    FAVORITE,
    /** Item bought. */
    PURCHASE,
    /** Explicit rating of an item. */
    RATE,
    /** A written review of an item. */
    REVIEW;

    private static final EventType[] VALUES = values();

    /** @return the number of event types (for index vocabularies) */
    public static int count() {
        return VALUES.length;
    }

    /**
     * @param ordinal an index from {@link #ordinal()}
     * @return the type with that index
     * @throws BadInputException when out of range
     */
    public static EventType ofOrdinal(int ordinal) {
        if (ordinal < 0 || ordinal >= VALUES.length) {
            throw new BadInputException("event type index " + ordinal + " out of range [0, " + VALUES.length + ")");
        }
        return VALUES[ordinal];
    }

    /**
     * Parses a type name, case-insensitive, accepting common aliases ({@code pv}, {@code view},
     * {@code cart}, {@code addtocart}, {@code buy}, {@code transaction}, {@code fav}, {@code rating}).
     *
     * @param text the name
     * @return the type
     * @throws BadInputException when the text names no known type
     */
    public static EventType parse(String text) {
        EventType t = parseOrNull(text);
        if (t == null) {
            throw new BadInputException("unknown event type \"" + text + "\": expected one of "
                    + java.util.Arrays.toString(VALUES) + " or an alias (pv, cart, buy, fav, ...)");
        }
        return t;
    }

    /**
     * Like {@link #parse(String)} but returns null for unknown text.
     *
     * @param text the name, may be null
     * @return the type or null
     */
    public static EventType parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        switch (s) {
            case "search": return SEARCH;
            case "view": case "pv": case "page_view": case "pageview": return VIEW;
            case "click": case "clk": return CLICK;
            case "add_to_cart": case "addtocart": case "cart": case "add_cart": return ADD_TO_CART;
            case "remove_from_cart": case "removefromcart": case "remove_cart": return REMOVE_FROM_CART;
            case "favorite": case "favourite": case "fav": case "wishlist": case "like": return FAVORITE;
            case "purchase": case "buy": case "transaction": case "order": return PURCHASE;
            case "rate": case "rating": return RATE;
            case "review": return REVIEW;
            default: return null;
        }
    }
}
