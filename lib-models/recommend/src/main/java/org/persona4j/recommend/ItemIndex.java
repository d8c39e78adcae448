package org.persona4j.recommend;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;

/**
 * A dense, immutable index of item ids: {@code 0..size()-1} in first-seen order. Thread-safe.
 */
public final class ItemIndex {
    private final String[] ids;
    private final Map<String, Integer> index;

    private ItemIndex(String[] ids, Map<String, Integer> index) {
        this.ids = ids;
        this.index = index;
    }

    /**
     * @param events events whose item ids to index (events without an item are skipped)
     * @return the index, items in first-seen order
     */
    public static ItemIndex fromEvents(Collection<BehaviorEvent> events) {
        Map<String, Integer> m = new HashMap<>();
        java.util.ArrayList<String> list = new java.util.ArrayList<>();
        for (BehaviorEvent e : events) {
            String id = e.itemId();
            if (id != null && !m.containsKey(id)) {
                m.put(id, list.size());
                list.add(id);
            }
        }
        return new ItemIndex(list.toArray(new String[0]), m);
    }

    /**
     * @param itemIds distinct item ids
     * @return the index in the given order
     * @throws BadInputException on a duplicate or null id
     */
    public static ItemIndex of(List<String> itemIds) {
        Map<String, Integer> m = new HashMap<>();
        String[] ids = new String[itemIds.size()];
        for (int i = 0; i < ids.length; i++) {
            String id = itemIds.get(i);
            if (id == null) {
                throw new BadInputException("item index: id " + i + " is null");
            }
            if (m.put(id, i) != null) {
                throw new BadInputException("item index: duplicate item id \"" + id + "\" at position " + i);
            }
            ids[i] = id;
        }
        return new ItemIndex(ids, m);
    }

    /** @return the number of items */
    public int size() {
        return ids.length;
    }

    /** @param i a dense index @return its item id */
    public String id(int i) {
        return ids[i];
    }

    /** @param itemId an item id @return its dense index, or -1 when unknown */
    public int indexOf(String itemId) {
        Integer i = itemId == null ? null : index.get(itemId);
        return i == null ? -1 : i;
    }

    /** @return the item ids in index order (unmodifiable) */
    public List<String> ids() {
        return List.of(ids);
    }
}
