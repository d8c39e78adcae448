package org.persona4j.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.UserProfile;
import org.persona4j.models.profile.DeepProfileModel;

/**
 * Keeps the committed golden artifact (format version 1) loading and scoring the same. Regenerate
 * only on a deliberate format change: {@code -Dpersona4j.regenerateGolden=true}.
 */
class GoldenArtifactTest {
    private static final Path DIR = Path.of("src/test/resources/golden");
    private static final Path MODEL = DIR.resolve("profile-model-v1.zip");
    private static final Path EXPECTED = DIR.resolve("profile-model-v1.expected.json");

    private static List<BehaviorEvent> history() {
        return List.of(BehaviorEvent.of("golden", "i3", EventType.VIEW, 1_600_000_000_000L),
                BehaviorEvent.of("golden", "i7", EventType.ADD_TO_CART, 1_600_000_060_000L),
                BehaviorEvent.of("golden", "i7", EventType.PURCHASE, 1_600_100_000_000L),
                BehaviorEvent.of("golden", "unknown-item", EventType.VIEW, 1_600_200_000_000L));
    }

    @Test
    void goldenArtifactLoadsAndScoresTheSame() throws Exception {
        ObjectMapper json = new ObjectMapper();
        if (Boolean.getBoolean("persona4j.regenerateGolden")) {
            TinyData d = new TinyData(5, 30, 12);
            try (DeepProfileModel m = new ProfileTrainer(TinyData.smallConfig().epochs(1).validation(ValidationSplit.NONE).build())
                    .dataDescription("golden tiny synthetic shop, seed 5").fit(d.events, d.catalog)) {
                Files.createDirectories(DIR);
                m.save(MODEL);
                UserProfile p = m.profile("golden", history());
                ObjectNode o = json.createObjectNode();
                o.put("version", m.version());
                o.set("embedding", json.valueToTree(p.embedding()));
                o.put("purchase", p.propensities().get("purchase"));
                o.set("interests", json.valueToTree(p.interests()));
                o.set("scores", json.valueToTree(m.itemScores(m.encode("golden", history()))));
                Files.writeString(EXPECTED, o.toPrettyString());
            }
        }
        JsonNode exp = json.readTree(Files.readString(EXPECTED));
        try (DeepProfileModel m = DeepProfileModel.load(MODEL)) {
            assertEquals(exp.get("version").asText(), m.version());
            UserProfile p = m.profile("golden", history());
            assertArrayEquals(json.treeToValue(exp.get("embedding"), float[].class), p.embedding(), 1e-6f);
            assertEquals(exp.get("purchase").asDouble(), p.propensities().get("purchase"), 1e-6);
            exp.get("interests").fields().forEachRemaining(e -> assertEquals(e.getValue().asDouble(), p.interests().get(e.getKey()), 1e-6));
            assertArrayEquals(json.treeToValue(exp.get("scores"), float[].class), m.itemScores(m.encode("golden", history())), 1e-5f);
        }
    }
}
