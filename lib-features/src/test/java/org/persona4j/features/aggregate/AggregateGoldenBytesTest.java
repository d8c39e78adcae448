package org.persona4j.features.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;

/**
 * Pins the bytes of the {@code "P4AG"} aggregate format (version {@value UserAggregates#BYTES_VERSION}):
 * a small fixed input must serialise to the committed bytes, and the committed bytes must read back
 * to the same aggregates. Stored aggregates outlive SDK upgrades, so a change here is a format
 * change: bump the version and keep reading the old one. Regenerate (only on purpose) with
 * {@code -Dpersona4j.regenerateGolden=true}.
 */
class AggregateGoldenBytesTest {
    private static final String GOLDEN = "/golden/user-aggregates-v1.hex";
    private static final long T0 = 1_699_970_400_000L; // 2023-11-14T14:00:00Z, a Tuesday
    private static final long MIN = 60_000L;

    static InMemoryCatalog catalog() {
        InMemoryCatalog c = new InMemoryCatalog();
        c.put(new Item("serum", List.of("Beauty", "Skin care"), "Glow", 30.0, null, null, Map.of()));
        c.put(new Item("lipstick", List.of("Beauty", "Makeup"), "Rouge", 18.0, null, null, Map.of()));
        c.put(new Item("lamp", List.of("Home", "Lighting"), "Lux", 45.0, null, null, Map.of()));
        c.put(new Item("ball", List.of("Sports"), null, 20.0, null, null, Map.of()));
        return c;
    }

    /** Two slots each, so that the third category replaces the lightest slot (Space-Saving). */
    static AggregateConfig config() {
        return AggregateConfig.defaults().withSlots(2, 2, 2);
    }

    /**
     * Every event at the same instant: the forward-decay factor is then exactly {@code exp(0) = 1},
     * so the golden bytes hold no transcendental results that could differ in the last bit between
     * platforms.
     */
    static UserAggregates input(ItemResolver r) {
        UserAggregates a = new UserAggregates("golden", config());
        a.update(BehaviorEvent.builder("golden", "serum", EventType.VIEW, T0).dwellMillis(15_000).build(), r);
        a.update(BehaviorEvent.of("golden", "serum", EventType.ADD_TO_CART, T0), r);
        a.update(BehaviorEvent.builder("golden", "serum", EventType.PURCHASE, T0).price(29.5).quantity(2).build(), r);
        a.update(BehaviorEvent.of("golden", "lipstick", EventType.VIEW, T0), r);
        a.update(BehaviorEvent.builder("golden", null, EventType.SEARCH, T0).query("desk lamp").build(), r);
        a.update(BehaviorEvent.builder("golden", "lamp", EventType.VIEW, T0).dwellMillis(40 * MIN).build(), r);
        a.update(BehaviorEvent.of("golden", "ball", EventType.PURCHASE, T0), r);
        a.update(BehaviorEvent.of("golden", "not-in-catalog", EventType.VIEW, T0), r);
        return a;
    }

    private static ItemResolver resolver() {
        InMemoryCatalog c = catalog();
        return new ItemResolver(c, PriceQuantiles.fit(c));
    }

    @Test
    void fixedInputWritesTheGoldenBytesAndTheGoldenBytesReadBack() throws Exception {
        ItemResolver r = resolver();
        UserAggregates a = input(r);
        byte[] written = a.toBytes(r);
        if (Boolean.getBoolean("persona4j.regenerateGolden")) {
            Path file = Path.of("src/test/resources" + GOLDEN);
            Files.createDirectories(file.getParent());
            Files.writeString(file, toHexLines(written), StandardCharsets.UTF_8);
            throw new IllegalStateException("golden bytes regenerated at " + file.toAbsolutePath() + "; rerun without the flag");
        }
        byte[] golden = readGolden();
        assertEquals("P4AG", new String(golden, 0, 4, StandardCharsets.US_ASCII), "magic");
        assertEquals(UserAggregates.BYTES_VERSION, golden[4], "version byte");
        assertArrayEquals(golden, written, "write(input) == golden");

        // read(golden) == input: into a fresh resolver that interned other names first, so ids differ
        ItemResolver fresh = resolver();
        fresh.topCategories().assign("unrelated");
        UserAggregates back = UserAggregates.fromBytes("golden", config(), fresh, golden);
        assertEquals(a.eventCount(), back.eventCount());
        assertEquals(a.lastEventMillis(), back.lastEventMillis());
        long asOf = T0 + 3 * 86_400_000L; // the snapshot decays; both sides on this machine
        assertSameRecord(a.snapshot(asOf, r), back.snapshot(asOf, fresh));
        assertArrayEquals(golden, back.toBytes(fresh), "read then write gives the golden bytes again");
    }

    private static byte[] readGolden() throws Exception {
        try (var in = AggregateGoldenBytesTest.class.getResourceAsStream(GOLDEN)) {
            assertTrue(in != null, GOLDEN + " is missing");
            String hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII).replaceAll("\\s+", "");
            return HexFormat.of().parseHex(hex);
        }
    }

    private static String toHexLines(byte[] b) {
        String hex = HexFormat.of().formatHex(b);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 64) {
            sb.append(hex, i, Math.min(hex.length(), i + 64)).append('\n');
        }
        return sb.toString();
    }

    /** Component-wise equality of two records, comparing arrays by content. */
    private static void assertSameRecord(Record want, Record got) throws Exception {
        for (RecordComponent c : want.getClass().getRecordComponents()) {
            Object x = c.getAccessor().invoke(want);
            Object y = c.getAccessor().invoke(got);
            assertTrue(Arrays.deepEquals(new Object[] {x}, new Object[] {y}), () -> c.getName() + ": expected "
                    + Arrays.deepToString(new Object[] {x}) + ", got " + Arrays.deepToString(new Object[] {y}));
        }
    }
}
