package org.persona4j.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.UserProfile;
import org.persona4j.core.UserState;
import org.persona4j.features.sequence.EncodedSequence;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.profile.DeepUserState;

class DeepProfileModelTest {
    private static final long SEED = 20261122L;
    private static TinyData data;
    private static DeepProfileModel model;
    private static List<EpochSummary> history;
    /** The DL4J graph {@link #model} was extracted from, kept to check the serving path against it. */
    private static ComputationGraph graph;

    @BeforeAll
    static void train() throws Exception {
        System.out.println("DeepProfileModelTest data seed " + SEED);
        data = new TinyData(SEED, 80, 24);
        // a churn period of 12 hours: the tiny histories span days, so the churn head has labelled cut points
        ProfileTrainer t = new ProfileTrainer(TinyData.smallConfig().dropout(0.1).churnHorizonDays(0.5).build())
                .dataDescription("tiny synthetic")
                .keepNetwork();
        model = t.fit(data.events, data.catalog);
        graph = t.network();
        history = t.history();
    }

    @AfterAll
    static void close() {
        model.close();
        if (graph != null) {
            graph.close();
        }
    }

    private static Map<String, List<BehaviorEvent>> byUser() {
        Map<String, List<BehaviorEvent>> m = new LinkedHashMap<>();
        for (BehaviorEvent e : data.events) {
            m.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
        }
        return m;
    }

    @Test
    void trainsWithValidationHistory() {
        assertEquals(2, history.size());
        assertTrue(history.get(0).validation().containsKey("ndcg@10"));
        assertTrue(Double.isFinite(history.get(1).meanLoss()));
        assertEquals(7, model.embeddingSize(), "projection 6 + item bias");
        assertEquals(24, model.itemIds().size());
    }

    @Test
    void leanPathEqualsDl4jOutput() {
        assertTrue(!model.network().itemResidual());
        assertTrue(model.network().hasChurnHead(), "12-hour churn on histories of days: the churn head is trained and served");
        assertLeanEqualsDl4j(model, graph);
    }

    @Test
    void residualUserVectorAddsTheLastItemEmbeddingAndSurvivesSaveLoad(@TempDir Path dir) throws Exception {
        ProfileModelConfig c = TinyData.smallConfig().projection(8).dropout(0.1).itemResidual(true).tieItemEmbeddings(true).build();
        ProfileTrainer trainer = new ProfileTrainer(c).keepNetwork();
        try (DeepProfileModel r = trainer.fit(data.events, data.catalog)) {
            ComputationGraph g = trainer.network();
            try {
                assertTrue(r.network().itemResidual());
                assertLeanEqualsDl4j(r, g);
                // the residual is the only difference from the plain projection of the last hidden state
                List<BehaviorEvent> h = byUser().values().iterator().next();
                org.persona4j.models.nn.ProfileNetState st = ((DeepUserState) r.encode("x", h)).networkState();
                float[] u = r.network().userVector(st);
                float[] emb = g.getLayer("emb_item").getParam("W").getRow(st.lastItem()).toFloatVector();
                float[] proj = g.getLayer("proj").getParam("W").transpose().mmul(
                        Nd4j.create(st.lastHidden(), new long[] {st.lastHidden().length, 1}, 'c')).toFloatVector();
                float[] pb = g.getLayer("proj").getParam("b").toFloatVector();
                for (int i = 0; i < u.length; i++) {
                    assertEquals(proj[i] + pb[i] + emb[i], u[i], 1e-5, "user vector component " + i);
                }
            } finally {
                g.close();
            }
            Path f = dir.resolve("r.zip");
            r.save(f);
            try (DeepProfileModel back = DeepProfileModel.load(f)) {
                assertTrue(back.network().itemResidual());
                for (Map.Entry<String, List<BehaviorEvent>> e : byUser().entrySet()) {
                    assertEquals(r.profile(e.getKey(), e.getValue()), back.profile(e.getKey(), e.getValue()));
                }
            }
        }
        assertThrows(org.persona4j.core.BadInputException.class, () -> TinyData.smallConfig().itemResidual(true).build(),
                "item embedding 8 != projection 6");
    }

    /**
     * What the model serves for a raw head output as of the history's last event: its time-aware
     * calibration (quiet time 0), its Platt scaling, or the raw output.
     */
    private static double served(DeepProfileModel model, String head, float raw, List<BehaviorEvent> h) {
        var timed = model.timeAwareCalibration(head);
        if (timed.isPresent()) {
            org.persona4j.models.profile.ActivityCounters a = new org.persona4j.models.profile.ActivityCounters();
            h.forEach(e -> a.add(e.timestampMillis(), e.type()));
            return timed.get().apply(a.inputs(raw, h.get(h.size() - 1).timestampMillis()));
        }
        return model.calibration(head).map(c -> c.apply(raw)).orElse((double) raw);
    }

    /** The serving model's outputs equal the DL4J graph's (the one it was extracted from) on real histories. */
    private static void assertLeanEqualsDl4j(DeepProfileModel model, ComputationGraph g) {
        assertTrue(g != null, "the trainer kept its network");
        int checked = 0;
        for (Map.Entry<String, List<BehaviorEvent>> u : byUser().entrySet()) {
            List<BehaviorEvent> h = u.getValue();
            EncodedSequence es = model.encoder().encode(h, h.size(), false);
            int t = es.length();
            INDArray[] in = {row(es.items()), row(es.types()), row(es.categories()), row(es.gaps())};
            INDArray[] out = g.output(false, in, null);
            UserState s = model.encode(u.getKey(), h);
            // next-item softmax at the last step vs. the lean logits
            float[] logits = model.network().scores(model.network().userVector(((DeepUserState) s).networkState()));
            float[] dl4j = out[0].get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(t - 1)).toFloatVector();
            assertArrayEquals(dl4j, softmax(logits), 1e-5f, "next-item probabilities of " + u.getKey());
            UserProfile p = model.profile(s);
            // purchase and churn: per-step heads in DL4J, read after the last event; the lean raw outputs equal them,
            // and the served propensities are their Platt scaling (raw without a calibration)
            float[] heads = model.network().heads(((DeepUserState) s).networkState(), null);
            assertEquals(out[1].getDouble(0, 0, t - 1), heads[0], 1e-5, "raw purchase of " + u.getKey());
            assertEquals(served(model, "purchase", heads[0], h), p.propensities().get("purchase"), 1e-6);
            if (model.network().hasChurnHead()) {
                assertEquals(out[3].getDouble(0, 0, t - 1), heads[heads.length - 1], 1e-5, "raw churn of " + u.getKey());
                assertEquals(served(model, "churn", heads[heads.length - 1], h), p.propensities().get("churn"), 1e-6);
            } else {
                assertFalse(p.propensities().containsKey("churn"), "no churn head, no churn propensity");
            }
            float[] cat = out[2].toFloatVector();
            for (Map.Entry<String, Double> e : p.interests().entrySet()) {
                assertEquals(cat[model.encoder().categories().index(e.getKey())], e.getValue(), 1e-5, e.getKey());
            }
            if (++checked == 15) {
                break;
            }
        }
    }

    private static INDArray row(int[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return Nd4j.create(f, new long[] {1, v.length}, 'c');
    }

    private static float[] softmax(float[] s) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : s) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            e[i] = Math.exp(s[i] - max);
            sum += e[i];
        }
        float[] r = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            r[i] = (float) (e[i] / sum);
        }
        return r;
    }

    @Test
    void updateEqualsRecomputeAndEmbeddingScoresItems() {
        for (Map.Entry<String, List<BehaviorEvent>> u : byUser().entrySet()) {
            UserState s = model.newState(u.getKey());
            List<BehaviorEvent> h = u.getValue();
            for (int i = 0; i < h.size(); i++) {
                s = model.update(s, h.get(i));
                UserProfile inc = model.profile(s);
                UserProfile whole = model.profile(u.getKey(), h.subList(0, i + 1));
                assertArrayEquals(whole.embedding(), inc.embedding(), 1e-4f);
                assertEquals(whole.propensities().get("purchase"), inc.propensities().get("purchase"), 1e-4);
                assertEquals(i + 1, inc.eventCount());
            }
            float[] emb = model.profile(s).embedding();
            float[] scores = model.itemScores(s);
            for (int k = 0; k < 5; k++) {
                float[] iv = model.itemEmbedding(model.itemIds().get(k)).orElseThrow();
                double dot = 0;
                for (int j = 0; j < emb.length; j++) {
                    dot += emb[j] * iv[j];
                }
                assertEquals(scores[k], dot, 1e-4, "dot product = next-item logit");
            }
        }
        assertTrue(model.itemEmbedding("no-such-item").isEmpty());
    }

    @Test
    void interestsAreTheStrongestCategoriesOfTheHeadInOrder() {
        for (Map.Entry<String, List<BehaviorEvent>> u : byUser().entrySet()) {
            DeepUserState s = (DeepUserState) model.encode(u.getKey(), u.getValue());
            float[] heads = model.network().heads(s.networkState(), null);
            List<Integer> order = new java.util.ArrayList<>();
            for (int k = org.persona4j.features.sequence.IdVocabulary.FIRST_ID; k < model.network().categoryCount(); k++) {
                order.add(k);
            }
            order.sort((a, b) -> Float.compare(heads[1 + b], heads[1 + a])); // stable: ties in index order
            List<String> expected = new java.util.ArrayList<>();
            for (int i = 0; i < Math.min(DeepProfileModel.MAX_INTERESTS, order.size()); i++) {
                expected.add(model.encoder().categories().id(order.get(i)));
            }
            assertEquals(expected, List.copyOf(model.profile(s).interests().keySet()), "user " + u.getKey());
        }
    }

    @Test
    void ownedUpdateAdvancesTheStateInPlaceWithTheSameResults() {
        for (Map.Entry<String, List<BehaviorEvent>> u : byUser().entrySet()) {
            UserState copy = model.newState(u.getKey());
            UserState owned = model.newState(u.getKey());
            UserState first = owned;
            for (BehaviorEvent e : u.getValue()) {
                copy = model.update(copy, e);
                owned = model.updateOwned(owned, e);
                assertSame(first, owned, "advanced in place");
                assertEquals(model.profile(copy), model.profile(owned));
                assertEquals(copy.eventCount(), owned.eventCount());
                assertEquals(copy.lastEventMillis(), owned.lastEventMillis());
            }
            UserState before = owned;
            UserProfile p = model.profile(owned);
            assertThrows(BadInputException.class, () -> model.updateOwned(before, BehaviorEvent.of("someone-else", "i1", EventType.VIEW, 9)));
            assertEquals(p, model.profile(before), "a refused event leaves the state as it was");
        }
    }

    @Test
    void longTermEmbeddingIsTheMeanOfThePerEventEmbeddings() {
        int users = 0;
        for (Map.Entry<String, List<BehaviorEvent>> u : byUser().entrySet()) {
            List<BehaviorEvent> h = u.getValue();
            UserState s = model.newState(u.getKey());
            double[] sum = new double[model.embeddingSize()];
            for (int i = 0; i < h.size(); i++) {
                s = model.update(s, h.get(i));
                UserProfile inc = model.profile(s);
                float[] e = inc.embedding();
                if (i == 0) {
                    assertArrayEquals(e, inc.longTermEmbedding(), "one event: the long-term embedding is that event's embedding");
                }
                float[] expected = new float[e.length];
                for (int j = 0; j < e.length; j++) {
                    sum[j] += e[j];
                    expected[j] = (float) (sum[j] / (i + 1));
                }
                assertArrayEquals(expected, inc.longTermEmbedding(), 1e-6f, "mean after " + (i + 1) + " events of " + u.getKey());
            }
            UserProfile batch = model.profile(u.getKey(), h);
            UserProfile live = model.profile(s);
            assertArrayEquals(batch.longTermEmbedding(), live.longTermEmbedding(), 1e-6f, "real time = batch encode");
            assertEquals(batch, live);
            assertEquals(model.embeddingSize(), live.longTermEmbeddingSize());
            assertEquals(1f, live.longTermEmbedding()[model.embeddingSize() - 1], "the constant bias dimension");
            users++;
        }
        assertTrue(users > 10);
        UserProfile cold = model.profile("cold-user", List.of());
        assertEquals(0, cold.longTermEmbeddingSize(), "cold start: no long-term embedding");
        assertEquals(model.embeddingSize(), cold.embeddingSize(), "while the embedding is the zero-state output");
    }

    @Test
    void coldStartAndBadInput() {
        UserProfile p = model.profile("new-user", List.of());
        assertEquals(0, p.eventCount());
        assertEquals(model.embeddingSize(), p.embeddingSize());
        assertEquals(p, model.profile(model.newState("new-user")));
        double prop = p.propensities().get("purchase");
        assertTrue(prop >= 0 && prop <= 1);
        assertFalse(p.interests().isEmpty());
        UserState s = model.newState("a");
        assertThrows(BadInputException.class, () -> model.update(s, BehaviorEvent.of("b", "i1", EventType.VIEW, 1)));
        assertThrows(BadInputException.class, () -> model.update(s, null));
        assertThrows(BadInputException.class, () -> model.newState(null));
        // a named history is the owner's, whatever user id its events carry (a session file may switch
        // an anonymous session to a login id part-way)
        List<BehaviorEvent> mixed = List.of(BehaviorEvent.of("session:9", "i1", EventType.VIEW, 1),
                BehaviorEvent.of("u77", "i2", EventType.VIEW, 2));
        List<BehaviorEvent> own = List.of(BehaviorEvent.of("session:9", "i1", EventType.VIEW, 1),
                BehaviorEvent.of("session:9", "i2", EventType.VIEW, 2));
        assertEquals(model.profile("session:9", own), model.profile("session:9", mixed));
        // unknown item: out of vocabulary, no error
        UserProfile unk = model.profile(model.update(s, BehaviorEvent.of("a", "never-seen", EventType.VIEW, 5)));
        assertEquals(1, unk.eventCount());
    }

    @Test
    void threadSafeInference() throws Exception {
        Map<String, List<BehaviorEvent>> users = byUser();
        Map<String, float[]> expected = new LinkedHashMap<>();
        users.forEach((u, h) -> expected.put(u, model.profile(u, h).embedding()));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> fs = new ArrayList<>();
            for (int rep = 0; rep < 4; rep++) {
                for (Map.Entry<String, List<BehaviorEvent>> u : users.entrySet()) {
                    fs.add(pool.submit(() -> java.util.Arrays.equals(expected.get(u.getKey()), model.profile(u.getKey(), u.getValue()).embedding())));
                }
            }
            for (Future<Boolean> f : fs) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void saveLoadScoresTheSame(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.zip");
        model.save(f);
        try (DeepProfileModel back = DeepProfileModel.load(f)) {
            assertEquals(model.version(), back.version());
            for (Map.Entry<String, List<BehaviorEvent>> u : byUser().entrySet()) {
                assertEquals(model.profile(u.getKey(), u.getValue()), back.profile(u.getKey(), u.getValue()));
            }
            assertTrue(back.manifestJson().contains("\"provenance\""));
        }
    }

    @Test
    void closedModelRefuses() throws Exception {
        DeepProfileModel m = new ProfileTrainer(TinyData.smallConfig().epochs(1).validation(ValidationSplit.NONE).build())
                .fit(data.events, data.catalog);
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, () -> m.newState("u"));
    }
}
