package org.persona4j.features.clean;

/** Event fields whose absence the cleaner handles by a {@link MissingPolicy}. */
public enum MissingField {
    /** The unit price of a PURCHASE or ADD_TO_CART event (imputed from the catalogue price). */
    PRICE,
    /** An item id the catalogue does not know (cannot be imputed: IMPUTE acts as FLAG). */
    ITEM,
    /** A known item without a category path (cannot be imputed: IMPUTE acts as FLAG). */
    CATEGORY,
    /** The session id (imputed by splitting the user's events at 30 minutes of inactivity). */
    SESSION,
    /** The query of a SEARCH event (cannot be imputed: IMPUTE acts as FLAG). */
    QUERY,
    /** The dwell time of a VIEW event (imputed with the median observed dwell time). */
    DWELL,
    /** The quantity of a PURCHASE or ADD_TO_CART event (imputed as 1). */
    QUANTITY;

    /** @return the lower-case label used in reports */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
