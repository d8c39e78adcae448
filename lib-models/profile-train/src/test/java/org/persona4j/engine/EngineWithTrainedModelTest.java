package org.persona4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.ModelFormatException;
import org.persona4j.core.UserProfile;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.store.rocksdb.Durability;
import org.persona4j.store.rocksdb.RocksDbProfileStore;

/** The engine over the committed golden model artifact and a real RocksDB store. */
class EngineWithTrainedModelTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/profile-model-v2.zip");

    @Test
    void realTimeProfilesEqualTheModelsBatchProfileAndSurviveARestart(@TempDir Path dir) throws Exception {
        List<BehaviorEvent> history = new ArrayList<>();
        UserProfile live;
        try (DeepProfileModel model = DeepProfileModel.load(GOLDEN)) {
            List<String> items = model.itemIds();
            try (PersonaEngine engine = PersonaEngine.builder(model).closeModels(false)
                    .store(RocksDbProfileStore.open(dir.resolve("db"), Durability.SYNC)).flushInterval(Duration.ZERO).build()) {
                for (int i = 0; i < 12; i++) {
                    BehaviorEvent e = BehaviorEvent.of("u1", items.get((i * 5) % items.size()),
                            i % 4 == 3 ? EventType.PURCHASE : EventType.VIEW, 1_767_571_200_000L + i * 60_000L);
                    history.add(e);
                    engine.ingest(e);
                }
                live = engine.profile("u1");
                assertArrayEquals(model.profile("u1", history).embedding(), live.embedding(), 1e-4f);
                assertEquals(model.embeddingSize(), live.longTermEmbeddingSize());
                assertArrayEquals(model.profile("u1", history).longTermEmbedding(), live.longTermEmbedding(), 1e-6f);
            }
            // what the store holds carries the long-term embedding too
            try (RocksDbProfileStore store = RocksDbProfileStore.open(dir.resolve("db"), Durability.SYNC)) {
                assertArrayEquals(live.longTermEmbedding(), store.load("u1").orElseThrow().longTermEmbedding());
            }
            // a new engine over the same store: the user's state is rebuilt from the stored event log
            try (PersonaEngine engine = PersonaEngine.builder(model).closeModels(false)
                    .store(RocksDbProfileStore.open(dir.resolve("db"), Durability.SYNC)).flushInterval(Duration.ZERO).build()) {
                UserProfile again = engine.profile("u1");
                assertEquals(12, again.eventCount());
                assertArrayEquals(live.embedding(), again.embedding(), 1e-4f);
                assertArrayEquals(live.longTermEmbedding(), again.longTermEmbedding(), 1e-6f);
            }
        }
    }

    @Test
    void afterARestartTheLongTermEmbeddingCoversTheRetainedEvents(@TempDir Path dir) throws Exception {
        // the engine keeps the last historySize events and rebuilds the model state from them
        List<BehaviorEvent> history = new ArrayList<>();
        try (DeepProfileModel model = DeepProfileModel.load(GOLDEN)) {
            List<String> items = model.itemIds();
            try (PersonaEngine engine = PersonaEngine.builder(model).closeModels(false).historySize(5)
                    .store(RocksDbProfileStore.open(dir.resolve("db"), Durability.SYNC)).flushInterval(Duration.ZERO).build()) {
                for (int i = 0; i < 9; i++) {
                    BehaviorEvent e = BehaviorEvent.of("u2", items.get((i * 3) % items.size()), EventType.VIEW,
                            1_767_571_200_000L + i * 60_000L);
                    history.add(e);
                    engine.ingest(e);
                }
                assertArrayEquals(model.profile("u2", history).longTermEmbedding(), engine.profile("u2").longTermEmbedding(),
                        1e-6f, "live: the mean over all 9 events");
            }
            try (PersonaEngine engine = PersonaEngine.builder(model).closeModels(false).historySize(5)
                    .store(RocksDbProfileStore.open(dir.resolve("db"), Durability.SYNC)).flushInterval(Duration.ZERO).build()) {
                UserProfile again = engine.profile("u2");
                assertEquals(9, again.eventCount());
                assertArrayEquals(model.profile("u2", history.subList(4, 9)).longTermEmbedding(), again.longTermEmbedding(),
                        1e-6f, "restored: the mean over the 5 retained events");
            }
        }
    }

    @Test
    void aCorruptNewModelFileIsRefusedAndTheEngineKeepsServingTheOldOne(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(GOLDEN);
        for (int i = bytes.length / 3; i < bytes.length / 3 + 64; i++) {
            bytes[i] ^= (byte) 0x5a;
        }
        Path corrupt = dir.resolve("corrupt.zip");
        Files.write(corrupt, bytes);
        try (DeepProfileModel model = DeepProfileModel.load(GOLDEN);
             PersonaEngine engine = PersonaEngine.builder(model).closeModels(false).flushInterval(Duration.ZERO).build()) {
            String item = model.itemIds().get(0);
            engine.ingest(BehaviorEvent.of("u", item, EventType.VIEW, 1_767_571_200_000L));
            ModelFormatException ex = assertThrows(ModelFormatException.class, () -> DeepProfileModel.load(corrupt));
            assertTrue(ex.getMessage().contains("corrupt.zip"), ex.getMessage());
            engine.ingest(BehaviorEvent.of("u", item, EventType.PURCHASE, 1_767_571_260_000L));
            assertEquals(2, engine.profile("u").eventCount());
            assertEquals(model.version(), engine.modelVersion());
        }
    }

    /** With a time-aware calibration the engine's profile is as of its clock, not of the last event. */
    @Test
    void theEnginesProfileIsAsOfItsClock() throws Exception {
        try (DeepProfileModel golden = DeepProfileModel.load(GOLDEN)) {
            com.fasterxml.jackson.databind.node.ObjectNode man = (com.fasterxml.jackson.databind.node.ObjectNode)
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(golden.manifestJson());
            man.remove(DeepProfileModel.MODEL_VERSION_KEY);
            // purchase: the longer the quiet time, the lower the chance (weight -0.8 on ln(1 + quiet days))
            var h = man.putObject(DeepProfileModel.CALIBRATION_KEY).put("method", "time-aware").putObject("purchase");
            h.putArray("weights").add(1.0).add(-0.8).add(0.1).add(0.3).add(0.0).add(-0.1).add(0.2).add(0.0).add(0.0).add(0.0).add(0.0);
            h.put("bias", -0.5);
            java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
            try (DeepProfileModel model = DeepProfileModel.create(golden.encoder(), golden.network(), man.toString(), null);
                 PersonaEngine engine = PersonaEngine.builder(model).closeModels(false).clock(now::get)
                         .flushInterval(Duration.ZERO).build()) {
                List<String> items = model.itemIds();
                List<BehaviorEvent> history = new ArrayList<>();
                long t0 = 1_767_571_200_000L;
                for (int i = 0; i < 6; i++) {
                    BehaviorEvent e = BehaviorEvent.of("u", items.get(i % items.size()), i == 2 ? EventType.PURCHASE : EventType.VIEW,
                            t0 + i * 3_600_000L);
                    history.add(e);
                    engine.ingest(e);
                }
                long last = history.get(5).timestampMillis();
                now.set(last);
                double fresh = engine.profile("u").propensities().get("purchase");
                assertEquals(model.profile("u", history).propensities().get("purchase"), fresh, 1e-12);
                now.set(last + 10 * 86_400_000L);
                double quiet = engine.profile("u").propensities().get("purchase");
                assertEquals(model.profile("u", history, last + 10 * 86_400_000L).propensities().get("purchase"), quiet, 1e-12);
                assertTrue(quiet < fresh, "ten quiet days lower the purchase propensity: " + fresh + " -> " + quiet);
            }
        }
    }
}
