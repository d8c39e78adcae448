package org.persona4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Item;
import org.persona4j.synth.GenerationSummary;
import org.persona4j.synth.ShopConfig;
import org.persona4j.synth.ShopGenerator;
import org.persona4j.synth.SyntheticShop;

/** The generator's files read back equal its in-memory shop; its malformed rows are exactly the skips. */
class GeneratorRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void cleanShopReadsBackExactly() {
        ShopGenerator g = new ShopGenerator(ShopConfig.builder().users(120).items(300).seed(11).days(7).build());
        g.writeTo(dir, null);
        SyntheticShop shop = g.generate();
        Dataset d = Datasets.load(DataFormat.EVENTS_CSV, dir);
        assertEquals(shop.events(), d.events());
        assertEquals(shop.users(), d.users());
        assertEquals(shop.catalog().size(), d.catalog().size());
        for (Item i : shop.catalog().items()) {
            assertEquals(i, d.catalog().item(i.id()).orElseThrow());
        }
        assertEquals(0, d.report().skippedTotal(), d.report().summary());
    }

    @Test
    void noisyShopMalformedRowsAreCountedNotLost() {
        ShopGenerator g = new ShopGenerator(ShopConfig.builder().users(150).items(300).seed(5).days(7)
                .defaultNoise().malformedRate(0.02).build());
        GenerationSummary sum = g.writeTo(dir, null);
        SyntheticShop shop = g.generate();
        assertThrows(BadInputException.class, () -> Datasets.load(DataFormat.EVENTS_CSV, dir));
        Dataset d = Datasets.load(DataFormat.EVENTS_CSV, dir, ReadOptions.lenient());
        assertEquals(shop.events(), d.events());
        assertEquals(sum.malformedRows(), d.report().skippedTotal(), d.report().summary() + " vs " + sum.malformedPerKind());
    }
}
