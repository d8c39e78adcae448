package org.persona4j.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Item;
import org.persona4j.io.DataFormat;
import org.persona4j.io.Dataset;
import org.persona4j.io.Datasets;
import org.persona4j.io.ReadOptions;

/** The SDK's own events-csv reader reads a generated shop back: same events, side files, noise counted. */
class GeneratedShopReadBackTest {
    @Test
    void readersSeeTheGeneratedShop(@TempDir Path dir) {
        long seed = 77;
        System.out.println("seed " + seed);
        ShopConfig c = ShopConfig.builder().users(300).items(400).days(10).seed(seed).defaultNoise().malformedRate(0.01).build();
        ShopGenerator g = new ShopGenerator(c);
        SyntheticShop shop = g.generate();
        GenerationSummary s = g.writeTo(dir, null);

        Dataset d = Datasets.load(DataFormat.EVENTS_CSV, dir.resolve("events.csv"), ReadOptions.lenient());
        assertEquals(shop.events(), d.events(), "the reader returns the generated events, field by field");
        assertEquals(s.malformedRows(), d.report().skippedTotal(), d.report().summary());
        assertEquals(c.items(), d.catalog().size());
        for (Item it : shop.catalog().items()) {
            assertEquals(it.categoryPath(), d.catalog().item(it.id()).orElseThrow().categoryPath());
            assertEquals(it.price(), d.catalog().item(it.id()).orElseThrow().price());
        }
        assertEquals(c.users(), d.users().size());
        assertEquals(shop.users().get("u1").region(), d.users().get("u1").region());

        BadInputException e = assertThrows(BadInputException.class,
                () -> Datasets.load(DataFormat.EVENTS_CSV, dir.resolve("events.csv"), ReadOptions.strict()));
        assertTrue(e.getMessage().contains("events.csv:"), e.getMessage());
    }
}
