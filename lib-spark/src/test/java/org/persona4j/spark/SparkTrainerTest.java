package org.persona4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.train.DataParallel;
import org.persona4j.models.train.EpochSummary;
import org.persona4j.models.train.ProfileModelConfig;
import org.persona4j.models.train.ProfileTrainer;
import org.persona4j.models.train.ValidationSplit;

/**
 * Data-parallel training on real Spark ({@code local[2]}, two barrier tasks per round) against the
 * same rounds run in this thread.
 */
class SparkTrainerTest {
    @TempDir
    Path dir;

    /** The same rounds, one worker after the other in this thread. */
    private static ProfileModelConfig config() {
        return ProfileModelConfig.builder().itemEmbedding(16).typeEmbedding(4).categoryEmbedding(4).gapEmbedding(4).hidden(24)
                .projection(16).maxLen(20).batchSize(16).epochs(2).dropout(0.1).learningRate(0.005)
                .validation(ValidationSplit.LEAVE_ONE_OUT).validationUsers(60).seed(11).build();
    }

    @Test
    void sparkWorkersTrainExactlyWhatTheSameRoundsInOneThreadTrain() throws Exception {
        SyntheticShopEvents shop = SyntheticShopEvents.of(TestShop.get().events());
        List<BehaviorEvent> events = SparkTrainer.collect(TestShop.events());
        assertEquals(shop.events.size(), events.size());
        ProfileTrainer onSpark = new ProfileTrainer(config());
        DeepProfileModel a;
        try (SparkTrainer workers = new SparkTrainer(LocalSpark.get(), 2)) {
            a = onSpark.dataParallel(workers, 4).fit(events, TestShop.get().catalog());
            assertTrue(workers.roundSeconds().size() >= 2, "one or more rounds per epoch: " + workers.roundSeconds().size());
            assertEquals(2, workers.roundSeconds().get(0).length);
        }
        try (DeepProfileModel model = a;
             DeepProfileModel b = new ProfileTrainer(config()).dataParallel(DataParallel.inProcess(2), 4).fit(events, TestShop.get().catalog())) {
            for (Map.Entry<String, List<BehaviorEvent>> u : shop.someUsers(20).entrySet()) {
                assertArrayEquals(b.profile(u.getKey(), u.getValue()).embedding(), model.profile(u.getKey(), u.getValue()).embedding(),
                        "user " + u.getKey());
            }
            List<EpochSummary> h = onSpark.history();
            assertEquals(2, h.size());
            assertTrue(h.get(1).meanLoss() < h.get(0).meanLoss(), "loss falls: " + h);
            assertTrue(h.get(0).validation().containsKey("hr@10"), "validated on the driver: " + h.get(0).validation());
            // the artifact is the one-machine format
            Path f = dir.resolve("spark-trained.zip");
            model.save(f);
            try (DeepProfileModel loaded = DeepProfileModel.load(f)) {
                Map.Entry<String, List<BehaviorEvent>> u = shop.someUsers(1).entrySet().iterator().next();
                assertArrayEquals(model.profile(u.getKey(), u.getValue()).embedding(),
                        loaded.profile(u.getKey(), u.getValue()).embedding(), 1e-6f);
            }
            assertTrue(Files.size(f) > 0);
        }
    }

    @Test
    void shardsMustMatchTheWorkers() {
        try (SparkTrainer workers = new SparkTrainer(LocalSpark.get(), 2)) {
            assertThrows(BadInputException.class, () -> workers.load("training", List.of()));
        }
        assertThrows(BadInputException.class, () -> new SparkTrainer(LocalSpark.get(), 0));
    }

    /** The shop's events per user, for profiles. */
    private record SyntheticShopEvents(List<BehaviorEvent> events, Map<String, List<BehaviorEvent>> byUser) {
        static SyntheticShopEvents of(List<BehaviorEvent> events) {
            return new SyntheticShopEvents(events, TestShop.histories(events));
        }

        Map<String, List<BehaviorEvent>> someUsers(int n) {
            Map<String, List<BehaviorEvent>> out = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, List<BehaviorEvent>> e : byUser.entrySet()) {
                if (out.size() == n) {
                    break;
                }
                out.put(e.getKey(), e.getValue());
            }
            return out;
        }
    }
}
