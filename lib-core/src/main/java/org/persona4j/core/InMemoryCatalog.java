package org.persona4j.core;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread-safe catalogue held in a hash map; items can be added or replaced at run time.
 */
public final class InMemoryCatalog implements Catalog {
    private final Map<String, Item> items = new ConcurrentHashMap<>();

    /** An empty catalogue. */
    public InMemoryCatalog() {
    }

    /**
     * @param initial items to start with
     */
    public InMemoryCatalog(Collection<Item> initial) {
        initial.forEach(this::put);
    }

    /**
     * Adds or replaces an item.
     *
     * @param item the item, not null
     */
    public void put(Item item) {
        if (item == null) {
            throw new BadInputException("catalog: item must not be null");
        }
        items.put(item.id(), item);
    }

    @Override
    public Optional<Item> item(String itemId) {
        return itemId == null ? Optional.empty() : Optional.ofNullable(items.get(itemId));
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public Collection<Item> items() {
        return Collections.unmodifiableList(List.copyOf(items.values()));
    }
}
