package org.persona4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.Reason;
import org.persona4j.core.ReasonKind;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.Recommender;
import org.persona4j.recommend.ItemIndex;
import org.persona4j.recommend.ItemKnnRecommender;
import org.persona4j.recommend.ItemScorer;

/** Full ranking, exclusion of the input, ties against the target, list fallback and determinism. */
class EvaluatorTest {
    /** Scores fixed per item: a=5, b=3, c=3, d=1, e=0. */
    static final class FixedScorer implements Recommender, ItemScorer {
        private final ItemIndex idx = ItemIndex.of(List.of("a", "b", "c", "d", "e"));
        private final float[] s = {5, 3, 3, 1, 0};

        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public ItemIndex itemIndex() {
            return idx;
        }

        @Override
        public void scoreAll(RecommendationRequest request, float[] out) {
            System.arraycopy(s, 0, out, 0, s.length);
        }

        @Override
        public List<Recommendation> recommend(RecommendationRequest request) {
            throw new UnsupportedOperationException("full ranking expected");
        }
    }

    private static EvalSplit split(String inputItem, String target) {
        List<BehaviorEvent> in = List.of(BehaviorEvent.of("u", inputItem, EventType.VIEW, 1));
        return new EvalSplit("test", in, in, List.of(), List.of(new EvalCase("u", in, List.of(target))), 5);
    }

    @Test
    void tiesCountAgainstTheTargetAndInputIsExcluded() {
        Evaluator ev = new Evaluator(new int[] {1, 2}, 1, null);
        // input a is excluded; target c ties with b -> rank 2
        EvalResult r = ev.evaluate(new FixedScorer(), split("a", "c"));
        assertEquals(0, r.metrics().get("hr@1"));
        assertEquals(1, r.metrics().get("hr@2"));
        assertEquals(0.5, r.metrics().get("mrr@2"), 1e-12);
        assertEquals(1 / (Math.log(3) / Math.log(2)), r.metrics().get("ndcg@2"), 1e-12);
        // negatives b, d, e; one (b) at or above the target: AUC 2/3
        assertEquals(2.0 / 3, r.metrics().get("auc"), 1e-12);
        assertTrue(r.fullRanking());
        // input d excluded: target a ranks first
        EvalResult r2 = ev.evaluate(new FixedScorer(), split("d", "a"));
        assertEquals(1, r2.metrics().get("hr@1"));
        // top-2 lists {a, b}: coverage 2/5
        assertEquals(0.4, r2.metrics().get("coverage@2"), 1e-12);
    }

    @Test
    void unknownTargetIsAMiss() {
        EvalResult r = new Evaluator(new int[] {5}, 1, null).evaluate(new FixedScorer(), split("a", "zzz"));
        assertEquals(0, r.metrics().get("hr@5"));
    }

    @Test
    void listRecommendersAreRankedByTheirList() {
        Recommender list = new Recommender() {
            @Override
            public String name() {
                return "list";
            }

            @Override
            public List<Recommendation> recommend(RecommendationRequest request) {
                Reason why = Reason.of(ReasonKind.OTHER, "test");
                return List.of(new Recommendation("x", 2, List.of(why)), new Recommendation("y", 2, List.of(why)),
                        new Recommendation("z", 1, List.of(why)));
            }
        };
        Evaluator ev = new Evaluator(new int[] {1, 3}, 1, null);
        // x ties with y: rank 2
        EvalResult r = ev.evaluate(list, split("a", "x"));
        assertEquals(0, r.metrics().get("hr@1"));
        assertEquals(1, r.metrics().get("hr@3"));
        assertFalse(r.fullRanking());
        assertEquals(1, ev.evaluate(list, split("a", "z")).metrics().get("hr@3"));
    }

    @Test
    void threadCountDoesNotChangeResults() {
        List<BehaviorEvent> events = new ArrayList<>();
        java.util.Random rnd = new java.util.Random(7);
        System.out.println("EvaluatorTest seed 7");
        for (int u = 0; u < 80; u++) {
            for (int e = 0; e < 6; e++) {
                events.add(BehaviorEvent.of("u" + u, "i" + ((u % 5) * 4 + rnd.nextInt(8)), EventType.VIEW, e));
            }
        }
        EvalSplit split = Protocols.leaveOneOut(events);
        Recommender knn = ItemKnnRecommender.fit(split.train(), null, ItemKnnRecommender.Config.defaults(), 1);
        Map<String, Double> one = new Evaluator(new int[] {10}, 1, null).evaluate(knn, split).metrics();
        Map<String, Double> four = new Evaluator(new int[] {10}, 4, null).evaluate(knn, split).metrics();
        assertEquals(one, four);
        assertTrue(one.get("hr@10") > 0);
    }

    @Test
    void badCutOffsRejected() {
        assertThrows(BadInputException.class, () -> new Evaluator(new int[0], 1, null));
        assertThrows(BadInputException.class, () -> new Evaluator(new int[] {0}, 1, null));
        assertThrows(BadInputException.class, () -> new Evaluator(new int[] {10}, 0, null));
    }

    @Test
    void jsonHasTheContractFields() {
        EvalResult r = new Evaluator(new int[] {10, 20}, 1, null).evaluate(new FixedScorer(), split("a", "c"));
        String json = new EvalReport("d", 1, 5, 1, "test", List.of(r.withTrainSeconds(1.5))).toJson();
        for (String key : List.of("\"dataset\"", "\"users\": 1", "\"items\": 5", "\"events\": 1", "\"protocol\"", "\"results\"",
                "\"recommender\": \"fixed\"", "\"hr@10\"", "\"ndcg@10\"", "\"hr@20\"", "\"ndcg@20\"", "\"mrr@20\"",
                "\"coverage@20\"", "\"train_seconds\": 1.500000", "\"eval_seconds\"")) {
            assertTrue(json.contains(key), key + " in " + json);
        }
    }
}
