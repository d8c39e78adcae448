package org.persona4j.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.persona4j.core.BadInputException;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;

/**
 * The catalogue from any Spark source, with the columns of the SDK's {@code items.csv}:
 * {@code item_id}, {@code category_path} (names from the root separated by {@code >}), {@code brand},
 * {@code price}, {@code title}, {@code description}; other columns become attributes. The items are
 * collected to the driver (a catalogue is small next to the events); the jobs then ship it to the
 * executors as bytes.
 */
public final class SparkCatalog {
    private SparkCatalog() {
    }

    /**
     * @param items the item rows (column names matched case-insensitively; only {@code item_id} is required)
     * @return the catalogue
     * @throws BadInputException when {@code item_id} is missing, or on a bad item (the message names the row)
     */
    public static InMemoryCatalog collect(Dataset<Row> items) {
        String[] cols = items.columns();
        int id = -1;
        for (int i = 0; i < cols.length; i++) {
            if (cols[i].trim().equalsIgnoreCase("item_id")) {
                id = i;
            }
        }
        if (id < 0) {
            throw new BadInputException("spark catalog: required column 'item_id' is missing: the DataFrame has "
                    + java.util.Arrays.toString(cols));
        }
        InMemoryCatalog out = new InMemoryCatalog();
        long n = 0;
        for (Row r : items.collectAsList()) {
            n++;
            String itemId = null;
            List<String> path = List.of();
            String brand = null;
            double price = Double.NaN;
            String title = null;
            String description = null;
            Map<String, String> attrs = new LinkedHashMap<>();
            for (int i = 0; i < cols.length; i++) {
                if (r.isNullAt(i)) {
                    continue;
                }
                String v = String.valueOf(r.get(i));
                switch (cols[i].trim().toLowerCase(Locale.ROOT)) {
                    case "item_id" -> itemId = v.trim();
                    case "category_path" -> path = Item.parseCategoryPath(v);
                    case "brand" -> brand = v;
                    case "price" -> price = price(r.get(i), n);
                    case "title" -> title = v;
                    case "description" -> description = v;
                    default -> attrs.put(cols[i], v);
                }
            }
            if (itemId == null || itemId.isEmpty()) {
                throw new BadInputException("spark catalog", n, "item_id", "expected an id, the cell is empty");
            }
            out.put(new Item(itemId, path, brand, price, title, description, attrs));
        }
        return out;
    }

    private static double price(Object v, long row) {
        if (v instanceof Number x) {
            return x.doubleValue();
        }
        String s = v.toString().trim();
        if (s.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new BadInputException("spark catalog", row, "price", "expected a number, was \"" + s + "\"");
        }
    }
}
