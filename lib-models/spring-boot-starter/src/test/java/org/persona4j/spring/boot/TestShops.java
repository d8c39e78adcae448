package org.persona4j.spring.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.persona4j.synth.ShopConfig;
import org.persona4j.synth.ShopGenerator;

/** A small synthetic shop written as events-csv ({@code events.csv} + {@code items.csv}) for the tests. */
public final class TestShops {
    private TestShops() {
    }

    /**
     * @param dir an empty folder
     * @return the folder holding {@code events.csv} and {@code items.csv}
     */
    public static Path write(Path dir) {
        Path shop = dir.resolve("shop");
        new ShopGenerator(ShopConfig.builder().users(60).items(120).days(14).seed(11).build()).writeTo(shop, null);
        return shop;
    }

    /**
     * @param shop a folder written by {@link #write}
     * @return the first user id of its events.csv
     */
    public static String firstUser(Path shop) {
        try {
            List<String> lines = Files.readAllLines(shop.resolve("events.csv"));
            return lines.get(1).substring(0, lines.get(1).indexOf(','));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
