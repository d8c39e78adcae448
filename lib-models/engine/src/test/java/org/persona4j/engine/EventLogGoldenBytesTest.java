package org.persona4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;

/**
 * Pins the bytes of the {@code "P4LG"} event-log format (version {@value EventLogCodec#VERSION}),
 * the engine's durable per-user state: a small fixed log must encode to the committed bytes, and
 * the committed bytes must decode to the same log. Stored logs outlive SDK upgrades, so a change
 * here is a format change: bump the version and keep reading the old one. Regenerate (only on
 * purpose) with {@code -Dpersona4j.regenerateGolden=true}.
 */
class EventLogGoldenBytesTest {
    private static final String GOLDEN = "/golden/event-log-v1.hex";
    private static final long T0 = 1_699_970_400_000L; // 2023-11-14T14:00:00Z
    private static final long TOTAL = 7; // more events than retained: the log keeps the last ones

    /** One event per optional field, plus an item-less search and non-ASCII text. */
    static List<BehaviorEvent> input() {
        return List.of(
                BehaviorEvent.builder("golden", null, EventType.SEARCH, T0).query("red lipstick 红色").session("s1").build(),
                BehaviorEvent.builder("golden", "serum", EventType.VIEW, T0 + 1_000).dwellMillis(15_000).session("s1").build(),
                BehaviorEvent.of("golden", "serum", EventType.ADD_TO_CART, T0 + 2_000),
                BehaviorEvent.builder("golden", "serum", EventType.PURCHASE, T0 + 3_000).price(29.5).quantity(2).build(),
                BehaviorEvent.builder("golden", "serum", EventType.REVIEW, T0 + 4_000).rating(4.5).reviewText("très bien").build());
    }

    @Test
    void fixedLogEncodesToTheGoldenBytesAndTheGoldenBytesDecodeBack() throws Exception {
        byte[] written = EventLogCodec.encode(input(), TOTAL);
        if (Boolean.getBoolean("persona4j.regenerateGolden")) {
            Path file = Path.of("src/test/resources" + GOLDEN);
            Files.createDirectories(file.getParent());
            Files.writeString(file, toHexLines(written), StandardCharsets.UTF_8);
            throw new IllegalStateException("golden bytes regenerated at " + file.toAbsolutePath() + "; rerun without the flag");
        }
        byte[] golden = readGolden();
        assertEquals("P4LG", new String(golden, 0, 4, StandardCharsets.US_ASCII), "magic");
        assertEquals(EventLogCodec.VERSION, golden[4], "version byte");
        assertArrayEquals(golden, written, "encode(input) == golden");

        EventLogCodec.Log back = EventLogCodec.decode("golden", golden);
        assertEquals(input(), back.events(), "decode(golden) == input");
        assertEquals(TOTAL, back.totalEvents());
        assertArrayEquals(golden, EventLogCodec.encode(back.events(), back.totalEvents()), "decode then encode gives the golden bytes");
    }

    private static byte[] readGolden() throws Exception {
        try (var in = EventLogGoldenBytesTest.class.getResourceAsStream(GOLDEN)) {
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
}
