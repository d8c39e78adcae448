package org.persona4j.features.item;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.ModelFormatException;
import org.persona4j.core.SchemaMismatchException;

class ItemFeaturesTest {
    private static InMemoryCatalog catalog() {
        InMemoryCatalog c = new InMemoryCatalog();
        c.put(new Item("a", List.of("Beauty", "Skin care"), "Glow", 10, "night cream", null, Map.of()));
        c.put(new Item("b", List.of("Beauty", "Skin care"), "Glow", 30, "day cream", null, Map.of()));
        c.put(new Item("c", List.of("Beauty", "Makeup"), "Rouge", 20, "red lipstick", null, Map.of()));
        c.put(new Item("d", List.of("Home"), null, Double.NaN, null, null, Map.of()));
        return c;
    }

    @Test
    void encodesPathBrandPriceAndTitleAndRoundTrips() {
        ItemFeatures f = ItemFeatures.fit(catalog(), 1, 8);
        List<String> names = f.schema().fields().stream().map(x -> x.name()).toList();
        float[] x = f.extract(catalog().item("b").orElseThrow());
        assertEquals(f.schema().size(), x.length);
        assertEquals(1f, x[names.indexOf("item.category=Beauty")]);
        assertEquals(1f, x[names.indexOf("item.category=Beauty > Skin care")]);
        assertEquals(0f, x[names.indexOf("item.category=Beauty > Makeup")]);
        assertEquals(1f, x[names.indexOf("item.brand=Glow")]);
        assertEquals(1f, x[names.indexOf("item.price_percentile")], "most expensive of its category");
        float[] d = f.extract(catalog().item("d").orElseThrow());
        assertEquals(1f, d[names.indexOf("item.brand=<missing>")]);
        assertEquals(0f, d[names.indexOf("item.has_price")]);
        float[] unknown = f.extract(new Item("z", List.of("Garden"), "New", 5, null, null, Map.of()));
        assertEquals(1f, unknown[names.indexOf("item.category=<other>")]);
        assertEquals(1f, unknown[names.indexOf("item.brand=<other>")]);

        String json = f.toJson();
        ItemFeatures g = ItemFeatures.fromJson(json);
        assertEquals(json, g.toJson());
        assertArrayEquals(x, g.extract(catalog().item("b").orElseThrow()));
        assertThrows(BadInputException.class, () -> f.extract(null));
        assertTrue(json.startsWith("{\n  \"format\" : \"persona4j-item-features\",\n  \"formatVersion\" : 1,"), json);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ItemFeatures.fromJson(json.replace("\"formatVersion\" : 1", "\"formatVersion\" : 3")));
        assertTrue(e.getMessage().contains("version 3") && e.getMessage().contains("1 to 1"), e.getMessage());
        // files written before the "formatVersion" key carried "version": still read
        String old = json.replace("\"formatVersion\" : 1", "\"version\" : 1");
        assertArrayEquals(x, ItemFeatures.fromJson(old).extract(catalog().item("b").orElseThrow()));
        e = assertThrows(ModelFormatException.class, () -> ItemFeatures.fromJson(old.replace("\"version\" : 1", "\"version\" : 3")));
        assertTrue(e.getMessage().contains("version 3") && e.getMessage().contains("1 to 1"), e.getMessage());
        assertThrows(SchemaMismatchException.class, () -> ItemFeatures.fromJson(json.replace("\"Glow\"", "\"Glitter\"")));
    }
}
