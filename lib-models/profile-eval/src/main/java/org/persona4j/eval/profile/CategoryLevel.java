package org.persona4j.eval.profile;

import java.util.Locale;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Item;

/**
 * Which level of an item's category path is "the category" of the next-category target; it should
 * match the level the profile model's interests are keyed by (the trainer's {@code --category-level},
 * leaf by default).
 */
public enum CategoryLevel {
    /** The deepest category. */
    LEAF,
    /** The top-level category. */
    TOP,
    /** The whole path joined with {@code " > "}. */
    PATH;

    /**
     * @param item an item
     * @return its category at this level, or null when it has none
     */
    public String of(Item item) {
        if (item == null || item.categoryPath().isEmpty()) {
            return null;
        }
        switch (this) {
            case TOP:
                return item.topCategory();
            case PATH:
                return item.categoryLabel();
            default:
                return item.leafCategory();
        }
    }

    /**
     * @param pathLabel a category path joined with {@code " > "} (as the aggregates name leaf categories)
     * @return the category at this level
     */
    public String ofPathLabel(String pathLabel) {
        switch (this) {
            case TOP: {
                int i = pathLabel.indexOf(" > ");
                return i < 0 ? pathLabel : pathLabel.substring(0, i);
            }
            case PATH:
                return pathLabel;
            default: {
                int i = pathLabel.lastIndexOf(" > ");
                return i < 0 ? pathLabel : pathLabel.substring(i + 3);
            }
        }
    }

    /**
     * @param name leaf, top or path (case-insensitive)
     * @return the level
     * @throws BadInputException naming the valid levels
     */
    public static CategoryLevel parse(String name) {
        if (name != null) {
            for (CategoryLevel l : values()) {
                if (l.name().equalsIgnoreCase(name.trim())) {
                    return l;
                }
            }
        }
        throw new BadInputException("unknown category level \"" + name + "\": expected leaf, top or path");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
