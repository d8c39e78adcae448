package org.persona4j.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.profile.UserFeatureSource;

class ProfileTrainerTest {
    private static final long SEED = 424242L;

    /** Every trained parameter, as the serving artifact holds it. */
    private static byte[] weights(DeepProfileModel m) {
        return TinyData.servingWeights(m);
    }

    /** The learning rate of the first LSTM layer of the network the trainer kept; that network is closed. */
    private static double learningRate(ProfileTrainer t) {
        ComputationGraph g = t.network();
        try {
            return g.getLearningRate("lstm0");
        } finally {
            g.close();
        }
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndDifferentSeedDoesNot() throws Exception {
        System.out.println("ProfileTrainerTest data seed " + SEED);
        TinyData d = new TinyData(SEED, 24, 12);
        ProfileModelConfig c = TinyData.smallConfig().epochs(2).build();
        try (DeepProfileModel a = new ProfileTrainer(c).fit(d.events, d.catalog);
             DeepProfileModel b = new ProfileTrainer(c).fit(d.events, d.catalog);
             DeepProfileModel other = new ProfileTrainer(c.toBuilder().seed(8).build()).fit(d.events, d.catalog)) {
            assertArrayEquals(weights(a), weights(b));
            assertEquals(a.version(), b.version());
            assertTrue(!java.util.Arrays.equals(weights(a), weights(other)));
        }
    }

    @Test
    void bothEnginesTrainAndOnlyTheFusedOneReportsPhases() throws Exception {
        TinyData d = new TinyData(SEED, 40, 16);
        ProfileModelConfig c = TinyData.smallConfig().epochs(3).validationUsers(20).build();
        ProfileTrainer fused = new ProfileTrainer(c);
        ProfileTrainer dl4j = new ProfileTrainer(c).engine(ProfileTrainer.Engine.DL4J);
        try (DeepProfileModel a = fused.fit(d.events, d.catalog);
             DeepProfileModel b = dl4j.fit(d.events, d.catalog)) {
            assertTrue(fused.phaseSeconds().get("head_forward") > 0, fused.phaseSeconds().toString());
            assertTrue(dl4j.phaseSeconds().isEmpty());
            double first = fused.history().get(0).meanLoss();
            double last = fused.history().get(2).meanLoss();
            assertTrue(last < first, "the fused path lowers the loss: " + fused.history());
            // the same initial weights and batches: the first epoch's losses are close (DL4J pads; see FusedStepsTest)
            double dl4jFirst = dl4j.history().get(0).meanLoss();
            assertEquals(dl4jFirst, first, 0.05 * dl4jFirst, "first-epoch mean loss, fused vs DL4J");
        }
        assertThrows(BadInputException.class, () -> new ProfileTrainer(TinyData.smallConfig().build()).engine(null));
    }

    @Test
    void nextItemsTrainOnTheFusedPathOnly() throws Exception {
        TinyData d = new TinyData(SEED, 40, 16);
        ProfileModelConfig c = TinyData.smallConfig().epochs(3).validationUsers(20).nextItems(3).nextItemsDecay(0.5).build();
        ProfileTrainer fused = new ProfileTrainer(c);
        try (DeepProfileModel m = fused.fit(d.events, d.catalog);
             DeepProfileModel one = new ProfileTrainer(c.toBuilder().nextItems(1).build()).fit(d.events, d.catalog)) {
            assertTrue(fused.history().get(2).meanLoss() < fused.history().get(0).meanLoss(), fused.history().toString());
            // a different objective, so different weights from the same seed
            assertTrue(!java.util.Arrays.equals(weights(m), weights(one)));
        }
        BadInputException e = assertThrows(BadInputException.class,
                () -> new ProfileTrainer(c).engine(ProfileTrainer.Engine.DL4J).fit(d.events, d.catalog));
        assertTrue(e.getMessage().contains("nextItems 3 needs the fused engine"), e.getMessage());
        BadInputException sampled = assertThrows(BadInputException.class,
                () -> TinyData.smallConfig().nextItems(2).sampledNegatives(8).build());
        assertTrue(sampled.getMessage().contains("full softmax"), sampled.getMessage());
    }

    @Test
    void nanLossNamesEpochAndBatch() {
        TinyData d = new TinyData(SEED, 24, 12);
        UserFeatureSource nan = new UserFeatureSource() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public float[] features(String userId) {
                return new float[] {Float.NaN, 1f};
            }

            @Override
            public String schemaHash() {
                return "nan-test";
            }
        };
        ModelTrainingException e = assertThrows(ModelTrainingException.class,
                () -> new ProfileTrainer(TinyData.smallConfig().build()).userFeatures(nan).fit(d.events, d.catalog));
        assertTrue(e.getMessage().contains("epoch 1, batch 1 of"), e.getMessage());
    }

    @Test
    void staticFeaturesJoinTheHeadsAndAreCheckedOnLoad(@TempDir Path dir) throws Exception {
        TinyData d = new TinyData(SEED, 24, 12);
        UserFeatureSource f = new UserFeatureSource() {
            @Override
            public int dimension() {
                return 3;
            }

            @Override
            public float[] features(String userId) {
                int h = Math.abs(userId.hashCode());
                return new float[] {h % 7 / 7f, h % 3 / 3f, 1f};
            }

            @Override
            public String schemaHash() {
                return "static-v1";
            }
        };
        try (DeepProfileModel m = new ProfileTrainer(TinyData.smallConfig().epochs(1).build()).userFeatures(f).fit(d.events, d.catalog)) {
            Path p = dir.resolve("s.zip");
            m.save(p);
            assertThrows(org.persona4j.core.SchemaMismatchException.class, () -> DeepProfileModel.load(p));
            try (DeepProfileModel back = DeepProfileModel.load(p, null, f)) {
                assertEquals(m.profile("u0", d.events.subList(0, 3)), back.profile("u0", d.events.subList(0, 3)));
            }
        }
    }

    @Test
    void resumedTrainingEqualsUninterrupted(@TempDir Path dir) throws Exception {
        TinyData d = new TinyData(SEED, 24, 12);
        ProfileModelConfig two = TinyData.smallConfig().epochs(2).patience(5).build();
        Path ck = dir.resolve("ck");
        try (DeepProfileModel first = new ProfileTrainer(two.toBuilder().epochs(1).build()).checkpoints(ck).fit(d.events, d.catalog)) {
            assertTrue(Files.exists(ck.resolve("checkpoint.zip")));
            assertTrue(first.version() != null);
        }
        ProfileTrainer resumed = new ProfileTrainer(two).checkpoints(ck);
        try (DeepProfileModel r = resumed.fit(d.events, d.catalog);
             DeepProfileModel straight = new ProfileTrainer(two).fit(d.events, d.catalog)) {
            assertEquals(2, resumed.history().size(), "epoch 1 from the checkpoint, epoch 2 trained");
            assertArrayEquals(weights(straight), weights(r));
        }
    }

    @Test
    void tiedItemEmbeddingIsTheOutputWeightsTransposed() throws Exception {
        TinyData d = new TinyData(SEED, 24, 12);
        ProfileModelConfig c = TinyData.smallConfig().projection(8).epochs(2).tieItemEmbeddings(true).build();
        ProfileTrainer tiedTrainer = new ProfileTrainer(c).keepNetwork();
        ProfileTrainer untiedTrainer = new ProfileTrainer(c.toBuilder().tieItemEmbeddings(false).build()).keepNetwork();
        try (DeepProfileModel tied = tiedTrainer.fit(d.events, d.catalog)) {
            ComputationGraph tg = tiedTrainer.network();
            try {
                org.nd4j.linalg.api.ndarray.INDArray emb = tg.getLayer(TiedItemEmbeddings.EMBEDDING).getParam("W");
                org.nd4j.linalg.api.ndarray.INDArray out = tg.getLayer(ProfileNetworks.NEXT).getParam("W");
                assertArrayEquals(out.transpose().dup('c').data().asFloat(), emb.dup('c').data().asFloat(), 0f);
            } finally {
                tg.close();
            }
            try (DeepProfileModel again = new ProfileTrainer(c).fit(d.events, d.catalog);
                 DeepProfileModel untied = untiedTrainer.fit(d.events, d.catalog)) {
                ComputationGraph ug = untiedTrainer.network();
                try {
                    // the trained table moved from its initialisation and differs from an untied model's
                    assertTrue(!java.util.Arrays.equals(weights(tied), weights(untied)));
                    assertArrayEquals(weights(tied), weights(again), "tied training is deterministic");
                    org.nd4j.linalg.api.ndarray.INDArray uEmb = ug.getLayer(TiedItemEmbeddings.EMBEDDING).getParam("W");
                    org.nd4j.linalg.api.ndarray.INDArray uOut = ug.getLayer(ProfileNetworks.NEXT).getParam("W");
                    assertTrue(!java.util.Arrays.equals(uOut.transpose().dup('c').data().asFloat(), uEmb.dup('c').data().asFloat()));
                } finally {
                    ug.close();
                }
            }
        }
        BadInputException e = assertThrows(BadInputException.class,
                () -> TinyData.smallConfig().tieItemEmbeddings(true).projection(7).build());
        assertTrue(e.getMessage().contains("itemEmbedding == projection"), e.getMessage());
        assertThrows(BadInputException.class, () -> TinyData.smallConfig().tieItemEmbeddings(true).sampledNegatives(8).build());
    }

    @Test
    void refitTrainsOnTheValidationEventsAfterEarlyStopping(@TempDir Path dir) throws Exception {
        TinyData d = new TinyData(SEED, 24, 12);
        ProfileModelConfig c = TinyData.smallConfig().epochs(2).patience(5).build();
        ProfileTrainer plain = new ProfileTrainer(c);
        ProfileTrainer refit = new ProfileTrainer(c.toBuilder().refitEpochs(2).refitLearningRate(0.0005).build());
        try (DeepProfileModel a = plain.fit(d.events, d.catalog);
             DeepProfileModel b = refit.fit(d.events, d.catalog)) {
            assertEquals(2, plain.history().size());
            assertEquals(4, refit.history().size(), "two epochs, then two refit epochs");
            assertEquals(3, refit.history().get(2).epoch());
            assertTrue(refit.history().get(3).validation().isEmpty(), "refit epochs cannot be validated");
            assertTrue(!java.util.Arrays.equals(weights(a), weights(b)));
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            assertEquals(2, json.readTree(b.manifestJson()).path("provenance").path("refitEpochs").asInt());
            assertEquals(0, json.readTree(a.manifestJson()).path("provenance").path("refitEpochs").asInt());
        }
        // a resumed run whose training had finished refits from the best checkpoint
        Path ck = dir.resolve("ck");
        ProfileModelConfig r = c.toBuilder().refitEpochs(1).build();
        try (DeepProfileModel first = new ProfileTrainer(r).checkpoints(ck).fit(d.events, d.catalog);
             DeepProfileModel resumed = new ProfileTrainer(r).checkpoints(ck).fit(d.events, d.catalog)) {
            assertArrayEquals(weights(first), weights(resumed));
        }
        assertThrows(BadInputException.class, () -> ProfileModelConfig.builder().refitEpochs(-1));
        assertThrows(BadInputException.class, () -> ProfileModelConfig.builder().refitLearningRate(0));
    }

    @Test
    void resumeTakesTheConfiguredLearningRate(@TempDir Path dir) throws Exception {
        TinyData d = new TinyData(SEED, 24, 12);
        // no validation: the returned weights are the last epoch's, not an earlier best
        ProfileModelConfig two = TinyData.smallConfig().epochs(2).patience(5).validation(ValidationSplit.NONE).build();
        Path ck = dir.resolve("ck");
        ProfileTrainer t1 = new ProfileTrainer(two.toBuilder().epochs(1).build()).checkpoints(ck).keepNetwork();
        try (DeepProfileModel first = t1.fit(d.events, d.catalog)) {
            assertEquals(0.01, learningRate(t1), 1e-12);
        }
        ProfileModelConfig lower = two.toBuilder().learningRate(0.001).build();
        ProfileTrainer t2 = new ProfileTrainer(lower).checkpoints(ck).keepNetwork();
        try (DeepProfileModel r = t2.fit(d.events, d.catalog);
             DeepProfileModel straight = new ProfileTrainer(two).fit(d.events, d.catalog)) {
            assertEquals(0.001, learningRate(t2), 1e-12);
            assertTrue(!java.util.Arrays.equals(weights(straight), weights(r)), "epoch 2 ran at the lower rate");
        }
    }

    @Test
    void plateauLowersTheLearningRateInsteadOfStopping(@TempDir Path dir) throws Exception {
        TinyData d = new TinyData(SEED, 60, 16);
        // next-item and category heads only: the run's ranking plateau is what this test needs (the purchase and churn
        // heads at their default weights keep the tiny run improving for longer)
        ProfileModelConfig c = TinyData.smallConfig().epochs(14).patience(1).lossWeights(1.0, 0.0, 0.2).churnWeight(0).build();
        List<EpochSummary> plain;
        ProfileTrainer t0 = new ProfileTrainer(c).keepNetwork();
        try (DeepProfileModel m = t0.fit(d.events, d.catalog)) {
            plain = new ArrayList<>(t0.history());
            assertEquals(0.01, learningRate(t0), 1e-12);
        }
        int firstPlateau = firstNotImproved(plain, 1);
        assertTrue(firstPlateau > 0 && firstPlateau < 14, "the tiny run plateaus within 14 epochs");
        assertEquals(firstPlateau, plain.size(), "without decays the first plateau stops training");
        ProfileTrainer t1 = new ProfileTrainer(c.toBuilder().plateauDecays(1).plateauDecay(0.5).build()).keepNetwork();
        try (DeepProfileModel m = t1.fit(d.events, d.catalog)) {
            List<EpochSummary> h = t1.history();
            for (int e = 0; e < firstPlateau; e++) {
                assertEquals(plain.get(e).meanLoss(), h.get(e).meanLoss(), 0.0, "same run up to the plateau");
            }
            assertTrue(h.size() > firstPlateau, "the plateau lowered the rate and training went on");
            assertEquals(0.005, learningRate(t1), 1e-12);
            int second = firstNotImproved(h, firstPlateau + 1);
            assertTrue(second < 0 || second == h.size(), "the second plateau stops training");
        }
        // resumed after the decay, the run keeps the lowered rate
        ProfileModelConfig rc = c.toBuilder().plateauDecays(1).plateauDecay(0.5).epochs(firstPlateau + 1).build();
        Path ck = dir.resolve("ck");
        ProfileTrainer t2 = new ProfileTrainer(rc).checkpoints(ck).keepNetwork();
        try (DeepProfileModel m = t2.fit(d.events, d.catalog)) {
            assertEquals(0.005, learningRate(t2), 1e-12);
        }
        ProfileTrainer t3 = new ProfileTrainer(rc.toBuilder().epochs(firstPlateau + 2).build()).checkpoints(ck).keepNetwork();
        try (DeepProfileModel m = t3.fit(d.events, d.catalog)) {
            assertEquals(0.005, learningRate(t3), 1e-12);
        }
        assertThrows(BadInputException.class, () -> ProfileModelConfig.builder().plateauDecay(1.0));
        assertThrows(BadInputException.class, () -> ProfileModelConfig.builder().plateauDecays(-1));
    }

    /** The 1-based epoch of the first non-improving epoch at or after {@code from}, or -1. */
    private static int firstNotImproved(List<EpochSummary> h, int from) {
        for (EpochSummary s : h) {
            if (s.epoch() >= from && !s.improved()) {
                return s.epoch();
            }
        }
        return -1;
    }

    @Test
    void temporalSplitAndNoTrainableData() throws Exception {
        TinyData d = new TinyData(SEED, 24, 12);
        ProfileTrainer t = new ProfileTrainer(TinyData.smallConfig().epochs(1).validation(ValidationSplit.TEMPORAL).validationFraction(0.2).build());
        try (DeepProfileModel m = t.fit(d.events, d.catalog)) {
            assertTrue(t.history().get(0).validation().containsKey("hr@10"));
            assertTrue(m.embeddingSize() > 0);
        }
        List<BehaviorEvent> single = new ArrayList<>();
        single.add(BehaviorEvent.of("u", "i", EventType.VIEW, 1));
        assertThrows(ModelTrainingException.class, () -> new ProfileTrainer(TinyData.smallConfig().build()).fit(single, null));
        assertThrows(BadInputException.class, () -> ProfileModelConfig.builder().dropout(1.0));
        assertThrows(BadInputException.class, () -> ProfileModelConfig.builder().hidden(0));
    }

    @Test
    void listenerSeesBatchesAndEpochs() throws Exception {
        TinyData d = new TinyData(SEED, 24, 12);
        List<TrainingProgress> batches = new ArrayList<>();
        List<EpochSummary> epochs = new ArrayList<>();
        TrainingListener l = new TrainingListener() {
            @Override
            public void onBatch(TrainingProgress p) {
                batches.add(p);
            }

            @Override
            public void onEpoch(EpochSummary s) {
                epochs.add(s);
            }
        };
        try (DeepProfileModel m = new ProfileTrainer(TinyData.smallConfig().epochs(2).build()).listener(l).fit(d.events, d.catalog)) {
            assertEquals(2, epochs.size());
            assertEquals(2 * batches.get(0).batches(), batches.size());
            TrainingProgress last = batches.get(batches.size() - 1);
            assertEquals(2, last.epoch());
            assertTrue(last.eventsPerSecond() > 0 && last.etaSeconds() >= 0 && Double.isFinite(last.loss()));
            assertTrue(m.version().length() == 16);
        }
    }
}
