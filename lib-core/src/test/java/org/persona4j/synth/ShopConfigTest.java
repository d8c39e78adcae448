package org.persona4j.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;

class ShopConfigTest {
    @Test
    void badValuesAreRefusedNamingTheField() {
        BadInputException e = assertThrows(BadInputException.class, () -> ShopConfig.builder().users(0));
        assertTrue(e.getMessage().contains("'users'") && e.getMessage().contains("was 0"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> ShopConfig.builder().duplicateRate(1.5));
        assertTrue(e.getMessage().contains("'duplicateRate'") && e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> ShopConfig.builder().botShare(Double.NaN));
        assertTrue(e.getMessage().contains("'botShare'"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> ShopConfig.builder().topCategories(11));
        assertTrue(e.getMessage().contains("'topCategories'") && e.getMessage().contains("2..10"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> ShopConfig.builder().start(Instant.parse("1969-12-31T00:00:00Z")));
        assertTrue(e.getMessage().contains("'start'"), e.getMessage());
        assertThrows(BadInputException.class, () -> ShopConfig.builder().days(0));
        assertThrows(BadInputException.class, () -> ShopConfig.builder().personas(0));
        assertThrows(BadInputException.class, () -> ShopConfig.builder().threads(0));
    }

    @Test
    void toBuilderKeepsEverySetting() {
        ShopConfig c = ShopConfig.builder().users(5).items(7).seed(9).days(3).personas(4).topCategories(3).subcategories(2)
                .leaves(1).brandsPerCategory(2).popularityExponent(0.5).defaultNoise().threads(2).build();
        assertEquals(c.toString(), c.toBuilder().build().toString());
        assertTrue(c.hasNoise());
        assertEquals(0.01, c.duplicateRate());
    }

    @Test
    void tinyShopsWork() {
        // fewer items than leaves, a single user and day: every option at its edge still generates
        SyntheticShop s = new ShopGenerator(ShopConfig.builder().users(1).items(3).days(1).personas(1).topCategories(2)
                .subcategories(1).leaves(1).brandsPerCategory(1).seed(3).build()).generate();
        assertEquals(3, s.catalog().size());
        assertEquals(1, s.users().size());
        s.events().forEach(e -> assertTrue(e.itemId() == null || s.catalog().item(e.itemId()).isPresent(), e.toString()));
        // a single item: only one top-level category has items, the personas still work
        SyntheticShop one = new ShopGenerator(ShopConfig.builder().users(20).items(1).days(7).seed(4).build()).generate();
        assertTrue(one.events().size() > 20, "events: " + one.events().size());
        one.events().forEach(e -> assertTrue(e.itemId() == null || e.itemId().equals("i1"), e.toString()));
        one.personas().forEach(p -> assertEquals(1.0, p.favoriteWeight(), p.toString()));
    }
}
