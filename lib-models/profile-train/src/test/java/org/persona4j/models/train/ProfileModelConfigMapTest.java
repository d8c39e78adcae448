package org.persona4j.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.features.sequence.SequenceEncoder;
import org.persona4j.models.profile.DeepProfileModel;

/** {@link ProfileModelConfig#toMap()} and {@link ProfileModelConfig#fromMap} round trips, and the option table. */
class ProfileModelConfigMapTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every field away from its default (and the seed beyond an int). */
    private static ProfileModelConfig everythingChanged() {
        return ProfileModelConfig.builder()
                .itemEmbedding(24).typeEmbedding(5).categoryEmbedding(7).gapEmbedding(6).hidden(40).layers(2).projection(24)
                .dropout(0.35).sampledNegatives(0).tieItemEmbeddings(true).itemResidual(true)
                .learningRate(0.0031).gradientClip(2.5).weightDecay(1e-4).batchSize(33).bucketWindow(0)
                .epochs(17).patience(3).plateauDecay(0.3).plateauDecays(2).refitEpochs(4).refitLearningRate(0.0007)
                .lossWeights(0.9, 0.0, 0.45).purchaseClassWeight(3.5).churnWeight(0.7).churnClassWeight(2.0)
                .nextItems(3).nextItemsDecay(0.7).maskSeen(true)
                .purchaseHorizonDays(3).churnHorizonDays(14).horizonEvents(9).propensityCuts(2).propensityValidationShare(0.3).propensityGradient(true)
                .validation(ValidationSplit.TEMPORAL).validationFraction(0.15).validationUsers(123).earlyStoppingMetric("hr@10")
                .maxLen(37).minItemCount(3).categoryLevel(SequenceEncoder.CategoryLevel.PATH).windows(5)
                .seed(1L << 40)
                .build();
    }

    /** What a manifest does to the map: JSON text and back to plain values. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> throughJson(Map<String, Object> m) throws Exception {
        return JSON.readValue(JSON.writeValueAsString(m), Map.class);
    }

    @Test
    void defaultsAndEveryFieldRoundTripThroughJson() throws Exception {
        ProfileModelConfig d = ProfileModelConfig.builder().build();
        assertEquals(d, ProfileModelConfig.fromMap(throughJson(d.toMap())));
        ProfileModelConfig c = everythingChanged();
        Map<String, Object> m = c.toMap();
        ProfileModelConfig back = ProfileModelConfig.fromMap(throughJson(m));
        assertEquals(c, back);
        assertEquals(m, back.toMap());
        // every field is in the map, and every field differs from the default
        Map<String, Object> dm = d.toMap();
        assertEquals(dm.keySet(), m.keySet());
        for (String k : m.keySet()) {
            if (!k.equals("sampledNegatives")) { // 0 is the only value the tie allows
                assertNotEquals(dm.get(k), m.get(k), k);
            }
        }
        assertTrue(!m.containsKey("threads"), "threads is a runtime setting, not a hyper-parameter");
    }

    @Test
    void aTrainedModelsManifestGivesBackItsConfiguration() throws Exception {
        List<BehaviorEvent> events = new ArrayList<>();
        Random r = new Random(3);
        EventType[] types = {EventType.VIEW, EventType.CLICK, EventType.PURCHASE};
        for (int u = 0; u < 12; u++) {
            long t = 1_600_000_000_000L;
            for (int k = 0; k < 5; k++) {
                t += 60_000 + r.nextInt(3_600_000);
                events.add(BehaviorEvent.of("u" + u, "i" + r.nextInt(8), types[r.nextInt(types.length)], t));
            }
        }
        ProfileModelConfig c = ProfileModelConfig.builder().itemEmbedding(4).typeEmbedding(2).categoryEmbedding(2).gapEmbedding(2)
                .hidden(4).projection(4).maxLen(4).batchSize(8).epochs(1).validation(ValidationSplit.NONE)
                .lossWeights(1, 0.3, 0.1).itemResidual(true).seed(11).build();
        try (DeepProfileModel m = new ProfileTrainer(c).threads(2).fit(events, null)) {
            JsonNode manifest = JSON.readTree(m.manifestJson());
            @SuppressWarnings("unchecked")
            Map<String, Object> hp = JSON.convertValue(manifest.get("hyperParameters"), Map.class);
            assertEquals(c, ProfileModelConfig.fromMap(hp));
            assertEquals(ProfileTrainer.SDK_VERSION, manifest.get("sdkVersion").asText());
            assertTrue(!ProfileTrainer.SDK_VERSION.isBlank() && !ProfileTrainer.SDK_VERSION.contains("${"), ProfileTrainer.SDK_VERSION);
        }
    }

    @Test
    void olderManifestsReadWithDefaultsForMissingKeysAndTheirThreadsIgnored() {
        Map<String, Object> old = new LinkedHashMap<>();
        old.put("itemEmbedding", 8);
        old.put("hidden", 12);
        old.put("dropout", 0.0);
        old.put("validation", "NONE");
        old.put("categoryLevel", "LEAF");
        old.put("seed", 7);
        old.put("threads", 4);
        ProfileModelConfig c = ProfileModelConfig.fromMap(old);
        ProfileModelConfig expected = ProfileModelConfig.builder().itemEmbedding(8).hidden(12).dropout(0)
                .validation(ValidationSplit.NONE).seed(7).build();
        assertEquals(expected, c);
    }

    @Test
    void badMapsFailNamingTheKey() {
        BadInputException unknown = assertThrows(BadInputException.class, () -> ProfileModelConfig.fromMap(Map.of("embedding", 8)));
        assertTrue(unknown.getMessage().contains("'embedding'"), unknown.getMessage());
        BadInputException type = assertThrows(BadInputException.class, () -> ProfileModelConfig.fromMap(Map.of("hidden", "many")));
        assertTrue(type.getMessage().contains("hidden must be an integer"), type.getMessage());
        BadInputException fraction = assertThrows(BadInputException.class, () -> ProfileModelConfig.fromMap(Map.of("layers", 1.5)));
        assertTrue(fraction.getMessage().contains("layers"), fraction.getMessage());
        BadInputException value = assertThrows(BadInputException.class, () -> ProfileModelConfig.fromMap(Map.of("dropout", 1.0)));
        assertTrue(value.getMessage().contains("dropout must be in [0, 1), was 1.0"), value.getMessage());
        BadInputException level = assertThrows(BadInputException.class, () -> ProfileModelConfig.fromMap(Map.of("categoryLevel", "ROOT")));
        assertTrue(level.getMessage().contains("categoryLevel"), level.getMessage());
        BadInputException shapes = assertThrows(BadInputException.class,
                () -> ProfileModelConfig.fromMap(Map.of("tieItemEmbeddings", true, "itemEmbedding", 32)));
        assertTrue(shapes.getMessage().contains("tieItemEmbeddings needs itemEmbedding == projection"), shapes.getMessage());
        // numbers written as text (a properties file) are read
        assertEquals(32, ProfileModelConfig.fromMap(Map.of("hidden", "32")).hidden());
    }

    @Test
    void settersFailFastAndLeaveTheBuilderAsItWas() {
        ProfileModelConfig.Builder b = ProfileModelConfig.builder().hidden(9);
        BadInputException e = assertThrows(BadInputException.class, () -> b.hidden(0));
        assertEquals("profile model config: hidden must be >= 1, was 0", e.getMessage());
        assertEquals(9, b.build().hidden());
        assertThrows(BadInputException.class, () -> b.lossWeights(0, 0, 0));
        assertEquals(1.0, b.build().nextItemWeight());
        // the shape rules are checked for the whole configuration, so the order of setters does not matter
        assertEquals(32, ProfileModelConfig.builder().tieItemEmbeddings(true).itemEmbedding(32).projection(32).build().projection());
    }

    @Test
    void everyOptionWritesAndReadsItsValue() {
        ProfileModelConfig c = everythingChanged();
        ProfileModelConfig d = ProfileModelConfig.builder().build();
        Set<String> names = new HashSet<>();
        ProfileModelConfig.Builder all = ProfileModelConfig.builder();
        for (ProfileOptions.Option o : ProfileOptions.all()) {
            for (String n : o.names()) {
                assertTrue(names.add(n), "option name used twice: " + n);
            }
            if (!o.name().equals("negatives")) { // 0 is the only value the tie allows
                assertNotEquals(o.value(d), o.value(c), o.name() + " is not changed by the test configuration");
            }
            ProfileModelConfig.Builder one = ProfileModelConfig.builder();
            o.apply(one, o.value(c));
            assertEquals(o.value(c), o.value(one.build()), o.name());
            o.apply(all, o.value(c));
        }
        assertEquals(c, all.build());
        ProfileModelConfig.Builder sampled = ProfileModelConfig.builder();
        ProfileOptions.find("negatives").get().apply(sampled, "500");
        assertEquals(500, sampled.build().sampledNegatives());
        assertTrue(ProfileOptions.find("tie-embeddings").isPresent());
        assertEquals(Set.of("emb", "tie"), ProfileOptions.apply(ProfileModelConfig.builder(),
                new LinkedHashMap<>(Map.of("emb", "32", "tie-embeddings", "false", "model", "m.zip"))));
        BadInputException e = assertThrows(BadInputException.class, () -> ProfileOptions.find("emb").get()
                .apply(ProfileModelConfig.builder(), "x"));
        assertEquals("option 'emb': expected an integer, was \"x\"", e.getMessage());
    }
}
