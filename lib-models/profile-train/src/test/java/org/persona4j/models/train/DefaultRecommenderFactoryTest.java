package org.persona4j.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.persona4j.recommend.LearnedBlend;

class DefaultRecommenderFactoryTest {
    private static final Map<String, String> SMALL = Map.of("emb", "8", "proj", "8", "hidden", "12", "type-emb", "3",
            "epochs", "2", "max-len", "10", "batch", "16", "refit-epochs", "1", "windows", "1");

    @Test
    void learnsTheBlendOnValidationAndServesItWithItsReasons() throws Exception {
        TinyData d = new TinyData(23, 60, 16);
        EvalSplit split = Protocols.leaveOneOut(d.events);
        Recommender r = RecommenderFactories.get("default").fit(new FitContext(split, d.catalog, SMALL, 5, 1, null));
        try {
            assertEquals("default", r.name());
            assertTrue(r instanceof ItemScorer, "ranked in full by the evaluator");
            List<Recommendation> recs = r.recommend(RecommendationRequest.builder(5).user("u0").history(d.events.subList(0, 3)).build());
            assertFalse(recs.isEmpty());
            String last = recs.get(0).reasons().get(recs.get(0).reasons().size() - 1).text();
            assertTrue(last.startsWith("blend learned on " + split.validation().size() + " validation users: lstm "), last);
        } finally {
            ((AutoCloseable) r).close();
        }
    }

    @Test
    void lstmAndDefaultInOneRunTrainTheModelOnce() throws Exception {
        TinyData d = new TinyData(29, 50, 16);
        EvalSplit split = Protocols.leaveOneOut(d.events);
        Recommender lstm = RecommenderFactories.get("lstm").fit(new FitContext(split, d.catalog, SMALL, 5, 1, null));
        float[] a;
        RecommendationRequest q = RecommendationRequest.builder(5).user("u0").history(d.events.subList(0, 3)).build();
        try {
            assertTrue(TrainedModelCache.holds(split), "the trained model is kept for the run");
            a = new float[((ItemScorer) lstm).itemIndex().size()];
            ((ItemScorer) lstm).scoreAll(q, a);
        } finally {
            ((AutoCloseable) lstm).close();
        }
        Recommender again = RecommenderFactories.get("lstm").fit(new FitContext(split, d.catalog, SMALL, 5, 1, null));
        try {
            float[] b = new float[a.length];
            ((ItemScorer) again).scoreAll(q, b);
            org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, "the same model, loaded again");
        } finally {
            ((AutoCloseable) again).close();
        }
        // another split (even with equal contents) or other options train anew
        EvalSplit other = Protocols.leaveOneOut(d.events);
        org.junit.jupiter.api.Assertions.assertFalse(TrainedModelCache.holds(other));
        TrainedModelCache.clear();
    }

    @Test
    void theTrainerWritesTheBlendIntoTheArtifactAndTheDefaultServesIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        TinyData d = new TinyData(23, 60, 16);
        ProfileModelConfig c = TinyData.smallConfig().validation(ValidationSplit.LEAVE_ONE_OUT).refitEpochs(1).build();
        ProfileTrainer t = new ProfileTrainer(c);
        java.nio.file.Path file = dir.resolve("m.zip");
        try (DeepProfileModel m = t.fit(d.events, d.catalog)) {
            m.save(file);
            LearnedBlend b = t.learnedBlend();
            assertNotNull(b);
            assertEquals(org.persona4j.recommend.DefaultRecommender.PARTS, b.parts());
            assertEquals(b, org.persona4j.recommend.DefaultRecommender.blendOf(m.manifestJson()).orElseThrow());
        }
        try (DeepProfileModel loaded = DeepProfileModel.load(file)) {
            LearnedBlend b = org.persona4j.recommend.DefaultRecommender.blendOf(loaded.manifestJson()).orElseThrow();
            try (org.persona4j.recommend.BlendedRecommender r = org.persona4j.recommend.DefaultRecommender
                    .builder(loaded, loaded.itemIds(), d.events, d.catalog).manifest(loaded.manifestJson()).build()) {
                assertEquals(b, r.blend());
                List<Recommendation> recs = r.recommend(RecommendationRequest.builder(3).history(d.events.subList(0, 4)).build());
                String last = recs.get(0).reasons().get(recs.get(0).reasons().size() - 1).text();
                assertTrue(last.contains(b.describe(4)), last);
            }
        }
        // turned off: no blend in the manifest, and the default recommender serves the fixed weights
        try (DeepProfileModel m = new ProfileTrainer(c).blend(false, 5, 100).fit(d.events, d.catalog)) {
            assertTrue(org.persona4j.recommend.DefaultRecommender.blendOf(m.manifestJson()).isEmpty());
        }
    }

    @Test
    void theValidationModelIsTheBestEpochBeforeTheRefit() throws Exception {
        TinyData d = new TinyData(23, 60, 16);
        EvalSplit split = Protocols.leaveOneOut(d.events);
        FitContext c = new FitContext(split, d.catalog, SMALL, 5, 1, null);
        DeepProfileModel[] pre = new DeepProfileModel[1];
        try (DeepProfileModel fin = LstmRecommenderFactory.model(c, m -> pre[0] = m)) {
            assertNotNull(pre[0]);
            try (DeepProfileModel p = pre[0]) {
                assertFalse(java.util.Arrays.equals(TinyData.servingWeights(p), TinyData.servingWeights(fin)),
                        "the refit changed the weights after the validation model was taken");
                LearnedBlend a = DefaultRecommenderFactory.learn(c, p);
                LearnedBlend b = DefaultRecommenderFactory.learn(c, p);
                assertEquals(a, b, "deterministic");
                assertEquals(split.validation().size(), a.shortCases() + a.longCases());
                assertTrue(a.validationNdcg().get("blend") >= a.validationNdcg().get("lstm") - 1e-12, a.toString());
                assertTrue(a.validationNdcg().get("blend") >= a.validationNdcg().get("itemknn") - 1e-12, a.toString());
            }
        }
    }
}
