package org.persona4j.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;

class LearnedBlendTest {
    private static final List<String> IDS = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n");

    /**
     * A scorer that knows the answer for short or long histories: it puts the case's target (the
     * item named by the history's last event's session) first when its side of the length bound
     * matches, and otherwise scores a fixed decoy order.
     */
    private static final class Oracle extends AbstractScoringRecommender {
        private final boolean forShort;

        Oracle(String name, boolean forShort) {
            super(name, ItemIndex.of(IDS), new InMemoryCatalog());
            this.forShort = forShort;
        }

        @Override
        public void scoreAll(RecommendationRequest r, float[] out) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (out.length - i) / out.length; // decoys: a, b, c, ... best first
            }
            boolean isShort = r.history().size() <= 2;
            if (isShort == forShort) {
                String target = r.history().get(r.history().size() - 1).sessionId().orElseThrow();
                out[items.indexOf(target)] = 2f;
            }
        }

        @Override
        protected List<org.persona4j.core.Reason> explain(RecommendationRequest r, int item, float score) {
            return List.of(org.persona4j.core.Reason.of(org.persona4j.core.ReasonKind.OTHER, name(), "item", items.id(item)));
        }
    }

    private static List<LearnedBlend.Case> cases() {
        List<LearnedBlend.Case> out = new ArrayList<>();
        for (int u = 0; u < 120; u++) {
            int len = u % 2 == 0 ? 1 : 4;
            String target = IDS.get(5 + u % 9);
            List<BehaviorEvent> h = new ArrayList<>();
            for (int k = 0; k < len; k++) {
                h.add(BehaviorEvent.builder("u" + u, "x" + k, EventType.VIEW, 1_000L + k).session(target).build());
            }
            out.add(new LearnedBlend.Case(h, target));
        }
        return out;
    }

    @Test
    void learnsWhichPartToTrustForShortAndForLongHistories() {
        List<AbstractScoringRecommender> parts = List.of(new Oracle("short-expert", true), new Oracle("long-expert", false));
        LearnedBlend b = LearnedBlend.learn(List.of("short-expert", "long-expert"), parts, cases(), 2, 1000, 1);
        assertEquals(60, b.shortCases());
        assertEquals(60, b.longCases());
        double[] s = b.shortWeights();
        double[] l = b.longWeights();
        assertTrue(s[0] > s[1], "short histories trust the short expert: " + b);
        assertTrue(l[1] > l[0], "long histories trust the long expert: " + b);
        assertEquals(1.0, b.validationNdcg().get("blend"), 1e-9, "the blend finds every target first: " + b);
        assertEquals(0.5, b.validationNdcg().get("short-expert"), 0.2);
        // the map round trip keeps everything
        assertEquals(b, LearnedBlend.fromMap(b.toMap()));
        // deterministic
        assertEquals(b, LearnedBlend.learn(List.of("short-expert", "long-expert"), parts, cases(), 2, 1000, 1));
    }

    @Test
    void theBlendedRecommenderSwitchesWeightsByHistoryLengthAndSaysSo() {
        List<AbstractScoringRecommender> parts = List.of(new Oracle("short-expert", true), new Oracle("long-expert", false));
        LearnedBlend b = LearnedBlend.learn(List.of("short-expert", "long-expert"), parts, cases(), 2, 1000, 1);
        BlendedRecommender r = BlendedRecommender.of("default", b, parts, null);
        for (LearnedBlend.Case c : cases().subList(0, 6)) {
            List<Recommendation> recs = r.recommend(RecommendationRequest.builder(3).history(c.input()).excludeSeen(false).build());
            assertEquals(c.target(), recs.get(0).itemId(), "history of " + c.input().size());
            String last = recs.get(0).reasons().get(recs.get(0).reasons().size() - 1).text();
            assertTrue(last.startsWith("blend learned on 120 validation users: "), last);
            assertTrue(last.contains(c.input().size() <= 2 ? "at most 2 events" : "more than 2 events"), last);
        }
    }

    @Test
    void aBucketWithFewCasesTakesTheWeightsOfAllCasesAndTheLargestWeightIsOne() {
        List<AbstractScoringRecommender> parts = List.of(new Oracle("short-expert", true), new Oracle("long-expert", false));
        // 10 short cases only: too few for their own choice
        List<LearnedBlend.Case> few = new ArrayList<>(cases().stream().filter(c -> c.input().size() > 2).toList());
        few.addAll(cases().stream().filter(c -> c.input().size() <= 2).limit(10).toList());
        LearnedBlend b = LearnedBlend.learn(List.of("short-expert", "long-expert"), parts, few, 2, 1000, 1);
        assertEquals(10, b.shortCases());
        // every case counts as short when the bound is above every history: the weights chosen on all cases
        LearnedBlend onAll = LearnedBlend.learn(List.of("short-expert", "long-expert"), parts, few, 1000, 1000, 1);
        assertEquals(few.size(), onAll.shortCases());
        assertArrayEquals(onAll.shortWeights(), b.shortWeights(), 0.0);
        assertTrue(b.longWeights()[1] > b.longWeights()[0], b.toString());
        assertEquals(1.0, Math.max(b.longWeights()[0], b.longWeights()[1]), 0.0);
        assertEquals(1.0, Math.max(b.shortWeights()[0], b.shortWeights()[1]), 0.0);
    }

    @Test
    void aSampleCapsTheCasesAndBadInputIsNamed() {
        List<AbstractScoringRecommender> parts = List.of(new Oracle("p", true));
        LearnedBlend b = LearnedBlend.learn(List.of("p"), parts, cases(), 2, 10, 7);
        assertEquals(10, b.shortCases() + b.longCases());
        assertArrayEquals(b.shortWeights(), LearnedBlend.learn(List.of("p"), parts, cases(), 2, 10, 7).shortWeights());
        assertThrows(BadInputException.class, () -> LearnedBlend.learn(List.of("p", "q"), parts, cases(), 2, 10, 7));
        assertThrows(BadInputException.class, () -> LearnedBlend.learn(List.of("p"), parts, cases(), -1, 10, 7));
        assertThrows(BadInputException.class, () -> LearnedBlend.fromMap(Map.of("parts", List.of("p"))));
        assertThrows(BadInputException.class, () -> BlendedRecommender.of("x", b, List.of(), null));
    }
}
