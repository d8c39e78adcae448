package org.persona4j.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.models.profile.DeepProfileModel;

/**
 * Data-parallel training with in-process workers (each round's tasks and shards pass through Java
 * serialization, as they would to an executor).
 */
class DataParallelTest {
    private static final long SEED = 515151L;

    /** Runs every worker of a round in this JVM, one after the other, on serialized copies. */
    /**
     * {@link DataParallel#inProcess} with every shard, task and result passed through Java
     * serialization (what a cluster does), counting phases and rounds.
     */
    static final class LocalWorkers implements DataParallel.Workers {
        final int n;
        private final DataParallel.Workers inner;
        final List<String> phases = new ArrayList<>();
        int rounds;

        LocalWorkers(int n) {
            this.n = n;
            this.inner = n < 1 ? null : DataParallel.inProcess(n);
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public void load(String phase, List<DataParallel.Shard> s) {
            phases.add(phase);
            List<DataParallel.Shard> copies = new ArrayList<>();
            for (DataParallel.Shard sh : s) {
                copies.add(copy(sh));
            }
            inner.load(phase, copies);
        }

        @Override
        public List<DataParallel.Result> round(DataParallel.Task task) {
            rounds++;
            List<DataParallel.Result> out = new ArrayList<>();
            for (DataParallel.Result r : inner.round(copy(task))) {
                out.add(copy(r));
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        static <T> T copy(T o) {
            try {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                try (ObjectOutputStream out = new ObjectOutputStream(b)) {
                    out.writeObject(o);
                }
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
                    return (T) in.readObject();
                }
            } catch (Exception e) {
                throw new AssertionError("not serializable: " + o, e);
            }
        }
    }

    @Test
    void oneWorkerOneRoundPerEpochIsExactlyTheOneMachineTraining() throws Exception {
        TinyData d = new TinyData(SEED, 40, 12);
        // leave-one-out validation with early stopping, and a refit phase: every path of the loop
        ProfileModelConfig c = TinyData.smallConfig().epochs(3).validation(ValidationSplit.LEAVE_ONE_OUT).refitEpochs(1)
                .refitLearningRate(0.005).build();
        for (ProfileTrainer.Engine engine : ProfileTrainer.Engine.values()) {
            LocalWorkers w = new LocalWorkers(1);
            // the workers take the engine's steps (fused: their moments travel in the fused trainer's layout)
            try (DeepProfileModel single = new ProfileTrainer(c).engine(engine).fit(d.events, d.catalog);
                 DeepProfileModel parallel = new ProfileTrainer(c).engine(engine).dataParallel(w, 1_000_000).fit(d.events, d.catalog)) {
                assertArrayEquals(TinyData.servingWeights(single), TinyData.servingWeights(parallel), engine.name());
                assertEquals(List.of("training", "refit"), w.phases);
                assertEquals(4, w.rounds);
            }
        }
    }

    @Test
    void fusedWorkersCarryTheirMomentsAcrossRoundsAndCheckpoints(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        TinyData d = new TinyData(SEED, 60, 12);
        ProfileModelConfig c = TinyData.smallConfig().epochs(2).batchSize(8).dropout(0.2).build();
        LocalWorkers w1 = new LocalWorkers(2);
        LocalWorkers w2 = new LocalWorkers(2);
        ProfileTrainer t1 = new ProfileTrainer(c).dataParallel(w1, 2).checkpoints(dir);
        try (DeepProfileModel a = t1.fit(d.events, d.catalog);
             DeepProfileModel b = new ProfileTrainer(c).dataParallel(w2, 2).fit(d.events, d.catalog);
             DeepProfileModel dl4j = new ProfileTrainer(c).engine(ProfileTrainer.Engine.DL4J).dataParallel(new LocalWorkers(2), 2)
                     .fit(d.events, d.catalog)) {
            // fused is the default engine: deterministic, rounds of 2 steps, and not DL4J's steps
            assertArrayEquals(TinyData.servingWeights(a), TinyData.servingWeights(b));
            assertFalse(java.util.Arrays.equals(TinyData.servingWeights(a), TinyData.servingWeights(dl4j)));
            assertEquals(2 * 2, w1.rounds);
            assertTrue(t1.history().get(1).meanLoss() < t1.history().get(0).meanLoss(), "the loss falls: " + t1.history());
            // the moments the workers returned were averaged and kept beside the checkpoint, in the fused layout
            float[][] mv = FusedSteps.readMoments(dir.resolve("fused-optimizer.bin"));
            assertTrue(mv != null && mv[0].length > 0 && mv[1].length > 0);
            double norm = 0;
            for (float x : mv[1]) {
                norm += x;
            }
            assertTrue(norm > 0, "second moments were accumulated");
        }
    }

    @Test
    void twoWorkersTrainDeterministicallyAndAverageEveryRound() throws Exception {
        TinyData d = new TinyData(SEED, 60, 12);
        ProfileModelConfig c = TinyData.smallConfig().epochs(4).batchSize(8).build();
        LocalWorkers w1 = new LocalWorkers(2);
        LocalWorkers w2 = new LocalWorkers(2);
        ProfileTrainer t1 = new ProfileTrainer(c).dataParallel(w1, 2);
        try (DeepProfileModel a = t1.fit(d.events, d.catalog);
             DeepProfileModel b = new ProfileTrainer(c).dataParallel(w2, 2).fit(d.events, d.catalog);
             DeepProfileModel single = new ProfileTrainer(c).engine(ProfileTrainer.Engine.DL4J).fit(d.events, d.catalog)) {
            assertArrayEquals(TinyData.servingWeights(a), TinyData.servingWeights(b));
            assertFalse(java.util.Arrays.equals(TinyData.servingWeights(a), TinyData.servingWeights(single)));
            // ~30 sequences per worker at batch 8: 4 batches each, 2 rounds of 2 steps per epoch
            assertEquals(2 * 4, w1.rounds);
            List<EpochSummary> h = t1.history();
            assertEquals(4, h.size());
            assertTrue(h.get(3).meanLoss() < h.get(0).meanLoss(), "the loss falls: " + h);
            // the artifact is the one-machine format: it serves like any other model
            assertEquals(a.profile("u1", d.events.stream().filter(e -> e.userId().equals("u1")).toList()).embedding().length,
                    single.profile("u1", d.events.stream().filter(e -> e.userId().equals("u1")).toList()).embedding().length);
        }
    }

    @Test
    void searchTrialsRunOnTheWorkersToo() throws Exception {
        TinyData d = new TinyData(SEED, 50, 12);
        ProfileModelConfig c = TinyData.smallConfig().epochs(2).batchSize(8).build();
        LocalWorkers w = new LocalWorkers(2);
        ProfileTrainer t = new ProfileTrainer(c).dataParallel(w, 2).search(new HyperparameterSearch.Budget(2, 1)).blend(false, 5, 10);
        try (DeepProfileModel m = t.fit(d.events, d.catalog)) {
            assertEquals(2, t.lastSearch().trials().size());
            // each trial loads its shards, then the final training does
            assertEquals(List.of("training", "training", "training"), w.phases);
            assertEquals(2, t.history().size());
        }
    }

    @Test
    void dealingBalancesPositionsAndKeepsEverySequenceOnce() {
        TinyData d = new TinyData(SEED, 50, 12);
        ProfileModelConfig c = TinyData.smallConfig().build();
        TrainingData data = TrainingData.split(d.events, c);
        org.persona4j.features.sequence.SequenceEncoder enc = org.persona4j.features.sequence.SequenceEncoder.builder()
                .maxLen(c.maxLen()).fit(data.trainingEvents(), d.catalog);
        List<TrainingData.Seq> seqs = TrainingData.sequences(data.train(), enc, c.maxLen(), 1);
        List<DataParallel.Shard> shards = DataParallel.deal(seqs, 3, 7);
        assertEquals(3, shards.size());
        Set<TrainingData.Seq> seen = new HashSet<>();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (DataParallel.Shard s : shards) {
            seen.addAll(s.seqs());
            min = Math.min(min, s.positions());
            max = Math.max(max, s.positions());
        }
        assertEquals(seqs.size(), seen.size());
        assertTrue(max - min <= c.maxLen(), "balanced within one sequence: " + min + ".." + max);
        assertEquals(List.copyOf(seqs), DataParallel.deal(seqs, 1, 7).get(0).seqs());
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(BadInputException.class, () -> new ProfileTrainer(TinyData.smallConfig().build())
                .dataParallel(new LocalWorkers(0), 4));
        assertThrows(BadInputException.class, () -> new ProfileTrainer(TinyData.smallConfig().build())
                .dataParallel(new LocalWorkers(2), 0));
        TinyData d = new TinyData(SEED, 20, 12);
        ProfileTrainer withFeatures = new ProfileTrainer(TinyData.smallConfig().build()).dataParallel(new LocalWorkers(2), 4)
                .userFeatures(new org.persona4j.models.profile.UserFeatureSource() {
                    @Override
                    public int dimension() {
                        return 1;
                    }

                    @Override
                    public float[] features(String userId) {
                        return new float[1];
                    }

                    @Override
                    public String schemaHash() {
                        return "one-zero";
                    }
                });
        assertThrows(BadInputException.class, () -> withFeatures.fit(d.events, d.catalog));
    }
}
