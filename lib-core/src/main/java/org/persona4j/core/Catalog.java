package org.persona4j.core;

import java.util.Collection;
import java.util.Optional;

/**
 * The items a shop sells. Implementations are thread-safe; an unknown id gives an empty result,
 * never an exception.
 */
public interface Catalog {
    /**
     * @param itemId the id
     * @return the item when known
     */
    Optional<Item> item(String itemId);

    /** @return the number of items */
    int size();

    /** @return a snapshot of all items (unmodifiable) */
    Collection<Item> items();
}
