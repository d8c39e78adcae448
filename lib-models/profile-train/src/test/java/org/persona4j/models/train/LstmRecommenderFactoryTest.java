package org.persona4j.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.Recommender;
import org.persona4j.eval.EvalSplit;
import org.persona4j.eval.FitContext;
import org.persona4j.eval.Protocols;
import org.persona4j.eval.RecommenderFactories;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.recommend.ItemScorer;

class LstmRecommenderFactoryTest {
    @Test
    void lstmIsRegisteredFitsAndRecommends() throws Exception {
        TinyData d = new TinyData(11, 24, 12);
        EvalSplit split = Protocols.leaveOneOut(d.events);
        Recommender r = RecommenderFactories.get("lstm").fit(new FitContext(split, d.catalog,
                Map.of("epochs", "1", "emb", "4", "hidden", "6", "proj", "4", "max-len", "6", "batch", "8"), 3, 1, null));
        try {
            assertEquals("lstm", r.name());
            assertTrue(r instanceof ItemScorer);
            List<Recommendation> recs = r.recommend(RecommendationRequest.builder(5).user("u0")
                    .history(d.events.subList(0, 2)).build());
            assertFalse(recs.isEmpty());
            assertTrue(recs.size() <= 5);
        } finally {
            ((AutoCloseable) r).close();
        }
    }

    @Test
    void lstmHybridLoadsATrainedArtifactAndBlendsItemKnn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        TinyData d = new TinyData(11, 24, 12);
        EvalSplit split = Protocols.leaveOneOut(d.events);
        java.nio.file.Path file = dir.resolve("m.zip");
        float[] expected;
        List<String> ids;
        try (DeepProfileModel m = new ProfileTrainer(TinyData.smallConfig().epochs(1).build()).fit(split.train(), d.catalog)) {
            m.save(file);
            expected = m.itemScores(m.encode("u0", d.events.subList(0, 2)));
            ids = m.itemIds();
        }
        Map<String, String> opts = Map.of("model", file.toString());
        Recommender lstm = RecommenderFactories.get("lstm").fit(new FitContext(split, d.catalog, opts, 3, 1, null));
        Recommender hybrid = RecommenderFactories.get("lstm-hybrid").fit(new FitContext(split, d.catalog, opts, 3, 1, null));
        try {
            assertTrue(hybrid instanceof ItemScorer, "ranked in full by the evaluator");
            assertEquals("lstm-hybrid", hybrid.name());
            RecommendationRequest q = RecommendationRequest.builder(5).user("u0").history(d.events.subList(0, 2)).build();
            List<Recommendation> recs = hybrid.recommend(q);
            assertFalse(recs.isEmpty());
            // the loaded model ranks exactly as the saved one scored
            List<Recommendation> fromLstm = lstm.recommend(RecommendationRequest.builder(10).user("u0")
                    .history(d.events.subList(0, 2)).build());
            assertTrue(fromLstm.size() >= 2);
            for (int i = 1; i < fromLstm.size(); i++) {
                float a = expected[ids.indexOf(fromLstm.get(i - 1).itemId())];
                float b = expected[ids.indexOf(fromLstm.get(i).itemId())];
                assertTrue(a >= b, "rank " + i + ": " + a + " < " + b);
            }
        } finally {
            ((AutoCloseable) lstm).close();
            ((AutoCloseable) hybrid).close();
        }
    }

    @Test
    void presetTiesAndAddsTheResidualWhereTheShapesAllowAndNamedOptionsWin() {
        TinyData d = new TinyData(11, 24, 12);
        EvalSplit split = Protocols.leaveOneOut(d.events);
        ProfileModelConfig plain = LstmRecommenderFactory.config(new FitContext(split, d.catalog, Map.of(), 3, 1, null));
        assertTrue(plain.tieItemEmbeddings());
        assertTrue(plain.itemResidual());
        assertEquals(0.005, plain.learningRate(), 1e-12);
        assertEquals(8, plain.windows());
        assertEquals(0.5, plain.dropout(), 1e-12);
        assertEquals(3, plain.refitEpochs());
        assertEquals(2, plain.plateauDecays());
        assertEquals(0, LstmRecommenderFactory.config(new FitContext(split, d.catalog, Map.of("refit-epochs", "0"), 3, 1, null)).refitEpochs());
        ProfileModelConfig narrow = LstmRecommenderFactory.config(new FitContext(split, d.catalog, Map.of("emb", "32"), 3, 1, null));
        assertFalse(narrow.tieItemEmbeddings(), "emb != proj: nothing to tie");
        assertFalse(narrow.itemResidual(), "emb != proj: no residual");
        ProfileModelConfig sampled = LstmRecommenderFactory.config(new FitContext(split, d.catalog, Map.of("negatives", "50"), 3, 1, null));
        assertFalse(sampled.tieItemEmbeddings(), "the tie needs the full softmax");
        assertTrue(sampled.itemResidual());
        ProfileModelConfig off = LstmRecommenderFactory.config(new FitContext(split, d.catalog,
                Map.of("tie", "false", "residual", "false"), 3, 1, null));
        assertFalse(off.tieItemEmbeddings());
        assertFalse(off.itemResidual());
        org.persona4j.core.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(org.persona4j.core.BadInputException.class,
                () -> LstmRecommenderFactory.config(new FitContext(split, d.catalog, Map.of("emb", "32", "tie", "true"), 3, 1, null)));
        assertTrue(e.getMessage().contains("tieItemEmbeddings"), e.getMessage());
    }

    @Test
    void withNoOptionsThePresetRacesTheDefaultCandidatesWhereTheyApply() {
        TinyData d = new TinyData(11, 24, 12);
        EvalSplit split = Protocols.leaveOneOut(d.events);
        List<Map<String, String>> byDefault = HyperparameterSearch.parseCandidates(LstmRecommenderFactory.DEFAULT_CANDIDATES);
        assertEquals(List.of(Map.of("next-items", "2", "mask-seen", "true")), byDefault);
        assertEquals(byDefault, candidates(split, d, Map.of()));
        assertEquals(byDefault, candidates(split, d, Map.of("emb", "32")), "other options: the race still runs on top of them");
        assertNull(candidates(split, d, Map.of("search-candidates", "none")), "turned off by name");
        assertNull(candidates(split, d, Map.of("search-trials", "4")), "a drawn search instead");
        assertNull(candidates(split, d, Map.of("negatives", "50")), "the sampled head does not train the next-items loss");
        assertNull(candidates(split, d, Map.of("validation", "none")), "no validation split to race on");
        assertNull(candidates(split, d, Map.of("next-items", "2", "mask-seen", "true")), "already the candidate: nothing to race");
        assertEquals(List.of(Map.of("windows", "2")), candidates(split, d, Map.of("search-candidates", "windows=2")));
        org.junit.jupiter.api.Assertions.assertThrows(org.persona4j.core.BadInputException.class,
                () -> candidates(split, d, Map.of("search-candidates", "negatives=50", "next-items", "2")),
                "a race the caller names is checked, not dropped");
    }

    private static List<Map<String, String>> candidates(EvalSplit split, TinyData d, Map<String, String> options) {
        FitContext c = new FitContext(split, d.catalog, options, 3, 1, null);
        List<Map<String, String>> named = LstmRecommenderFactory.candidates(c, LstmRecommenderFactory.config(c),
                c.intOption("search-trials", 0));
        // the trainer accepts what the factory hands it
        if (named != null) {
            new ProfileTrainer(LstmRecommenderFactory.config(c)).race(LstmRecommenderFactory.RACE_EPOCHS, named);
        }
        return named;
    }
}
