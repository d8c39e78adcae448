package org.persona4j.features.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.Tag;
import org.persona4j.core.UserAttributes;

/**
 * The committed fitted pipeline {@code golden/feature-pipeline-v1.json} must keep loading and
 * producing the committed vector for a fixed user. Regenerate (only on purpose, with a format
 * version bump when the format changes) with {@code -Dpersona4j.regenerateGolden=true}.
 */
class GoldenPipelineTest {
    private static final String GOLDEN = "/golden/feature-pipeline-v1.json";
    private static final String EXPECTED = "/golden/feature-pipeline-v1.expected.txt";
    private static final long T0 = 1_699_920_000_000L; // 2023-11-14T00:00:00Z
    private static final long H = 3_600_000L;

    static InMemoryCatalog catalog() {
        InMemoryCatalog c = new InMemoryCatalog();
        c.put(new Item("serum", List.of("Beauty", "Skin care"), "Glow", 30.0, "Vitamin C serum", null, Map.of()));
        c.put(new Item("cream", List.of("Beauty", "Skin care"), "Glow", 12.0, "Night cream", null, Map.of()));
        c.put(new Item("lipstick", List.of("Beauty", "Makeup"), "Rouge", 18.0, "Red lipstick", null, Map.of()));
        c.put(new Item("lamp", List.of("Home", "Lighting"), "Lux", 45.0, "Desk lamp", null, Map.of()));
        c.put(new Item("mug", List.of("Home", "Kitchen"), "Lux", 8.0, "Mug", null, Map.of()));
        c.put(new Item("ball", List.of("Sports"), null, 20.0, "Football", null, Map.of()));
        return c;
    }

    static List<BehaviorEvent> events() {
        List<BehaviorEvent> es = new ArrayList<>();
        String[] beauty = {"serum", "cream", "lipstick"};
        String[] home = {"lamp", "mug"};
        for (int k = 0; k < 12; k++) {
            // alice: night-time beauty shopper who buys cheap
            long t = T0 + k * 24 * H + 23 * H;
            es.add(BehaviorEvent.builder("alice", beauty[k % 3], EventType.VIEW, t).dwellMillis(20_000 + k * 1000).build());
            if (k % 4 == 1) {
                es.add(BehaviorEvent.builder("alice", "cream", EventType.ADD_TO_CART, t + 60_000).build());
                es.add(BehaviorEvent.builder("alice", "cream", EventType.PURCHASE, t + 120_000).quantity(2).build());
            }
            // bob: daytime home shopper
            long b = T0 + k * 30 * H + 14 * H;
            es.add(BehaviorEvent.of("bob", home[k % 2], k % 5 == 4 ? EventType.PURCHASE : EventType.VIEW, b));
            if (k % 3 == 0) {
                es.add(BehaviorEvent.builder("bob", null, EventType.SEARCH, b + 1000).query("desk lamp").build());
            }
        }
        es.add(BehaviorEvent.builder("carol", null, EventType.SEARCH, T0 + 5 * H).query("口红 red lipstick").build());
        es.add(BehaviorEvent.of("carol", "lipstick", EventType.VIEW, T0 + 5 * H + 5000));
        es.add(BehaviorEvent.of("carol", "ball", EventType.PURCHASE, T0 + 6 * H));
        es.add(BehaviorEvent.of("dave", "ball", EventType.VIEW, T0 + 100 * H));
        es.add(BehaviorEvent.of("dave", "unknown-item", EventType.VIEW, T0 + 101 * H));
        return es;
    }

    static Map<String, UserAttributes> users() {
        Map<String, UserAttributes> m = new LinkedHashMap<>();
        m.put("alice", new UserAttributes("alice", 29, "F", "North", "engineer", Map.of()));
        m.put("bob", new UserAttributes("bob", 41, "M", "South", "teacher", Map.of()));
        m.put("carol", new UserAttributes("carol", 19, "F", "North", null, Map.of()));
        m.put("dave", new UserAttributes("dave", -1, null, null, null, Map.of()));
        return m;
    }

    private static List<BehaviorEvent> of(String user) {
        return events().stream().filter(e -> e.userId().equals(user)).toList();
    }

    @Test
    void goldenFileLoadsAndGivesTheSameVector() throws Exception {
        if (Boolean.getBoolean("persona4j.regenerateGolden")) {
            regenerate();
        }
        Path file = Path.of(GoldenPipelineTest.class.getResource(GOLDEN).toURI());
        FittedFeaturePipeline p = FittedFeaturePipeline.load(file, catalog());
        String[] expected = new String(GoldenPipelineTest.class.getResourceAsStream(EXPECTED).readAllBytes(), StandardCharsets.UTF_8)
                .trim().split("\n");
        assertEquals(p.schema().hash(), expected[0].trim(), "schema hash recorded with the expected vector");
        float[] want = parse(expected[1]);
        float[] got = p.extract(UserInput.of("alice", of("alice"), users().get("alice")));
        assertArrayEquals(want, got);
        // the file still round-trips exactly
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), p.toJson());
        List<Tag> tags = p.tags(UserInput.of("alice", of("alice"), users().get("alice")));
        assertTrue(tags.stream().anyMatch(t -> t.id().equals("night-shopper")), tags.toString());
        assertTrue(tags.stream().anyMatch(t -> t.text().equals("prefers Beauty > Skin care")), tags.toString());
    }

    private static float[] parse(String line) {
        String[] parts = line.trim().split(",");
        float[] v = new float[parts.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.parseFloat(parts[i].trim());
        }
        return v;
    }

    private static void regenerate() throws Exception {
        FittedFeaturePipeline p = new FeaturePipeline(FeaturePipelineConfig.defaults().withMinCounts(1, 1).withBuckets(4, 8))
                .fit(events(), catalog(), users());
        Path dir = Path.of("src/test/resources/golden");
        Files.createDirectories(dir);
        p.save(dir.resolve("feature-pipeline-v1.json"));
        float[] x = p.extract(UserInput.of("alice", of("alice"), users().get("alice")));
        StringBuilder sb = new StringBuilder(p.schema().hash()).append('\n');
        for (int i = 0; i < x.length; i++) {
            sb.append(i == 0 ? "" : ",").append(Float.toString(x[i]));
        }
        Files.writeString(dir.resolve("feature-pipeline-v1.expected.txt"), sb.append('\n').toString());
        throw new IllegalStateException("golden files regenerated under " + dir.toAbsolutePath() + "; rerun without the flag");
    }
}
