package org.persona4j.core;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A catalogue item: id, category path from the root ({@code ["Beauty", "Skin care", "Serum"]}),
 * brand, unit price, title, description and free attributes. Immutable; the lists and maps are
 * copied.
 *
 * @param id the item id, not blank
 * @param categoryPath category names from the root, possibly empty, no null or blank element
 * @param brand the brand, or null
 * @param price the unit price, finite and {@code >= 0}, or NaN when unknown
 * @param title the title, or null
 * @param description the description, or null
 * @param attributes free attributes (colour, size, ...), possibly empty
 */
public record Item(String id, List<String> categoryPath, String brand, double price, String title,
                   String description, Map<String, String> attributes) {

    /** Validates and copies. @throws BadInputException naming the bad field */
    public Item {
        Ids.require("id", id);
        if (categoryPath == null) {
            categoryPath = List.of();
        } else {
            for (int i = 0; i < categoryPath.size(); i++) {
                String c = categoryPath.get(i);
                if (c == null || c.isBlank()) {
                    throw new BadInputException("item " + id + ": field 'categoryPath[" + i + "]': must not be blank, was "
                            + (c == null ? "null" : "\"" + c + "\""));
                }
            }
            categoryPath = List.copyOf(categoryPath);
        }
        brand = Checks.blankToNull(brand);
        if (!Double.isNaN(price) && (Double.isInfinite(price) || price < 0)) {
            throw new BadInputException("item " + id + ": field 'price': expected a finite number >= 0 or unknown, was " + price);
        }
        title = Checks.blankToNull(title);
        description = Checks.blankToNull(description);
        attributes = Checks.copyOrdered("attributes", attributes);
    }

    /**
     * An item with only an id (as in pure interaction data sets).
     *
     * @param id the item id
     * @return the item
     */
    public static Item of(String id) {
        return new Item(id, List.of(), null, Double.NaN, null, null, Map.of());
    }

    /** @return the deepest category, or null when the path is empty */
    public String leafCategory() {
        return categoryPath.isEmpty() ? null : categoryPath.get(categoryPath.size() - 1);
    }

    /** @return the top-level category, or null when the path is empty */
    public String topCategory() {
        return categoryPath.isEmpty() ? null : categoryPath.get(0);
    }

    /** @return the category path joined with {@code " > "}, or empty text */
    public String categoryLabel() {
        return String.join(" > ", categoryPath);
    }

    /**
     * The inverse of {@link #categoryLabel()}, as {@code items.csv}'s {@code category_path} column is
     * written: levels separated by {@code >}, each trimmed, empty levels dropped.
     *
     * @param label e.g. {@code "Beauty > Skin care > Serums"}
     * @return the levels, top first (empty for an empty label)
     */
    public static List<String> parseCategoryPath(String label) {
        List<String> out = new java.util.ArrayList<>();
        for (String p : label.split(">")) {
            String t = p.trim();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** @return the price if known */
    public OptionalDouble knownPrice() {
        return Double.isNaN(price) ? OptionalDouble.empty() : OptionalDouble.of(price);
    }
}
