package org.persona4j.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.models.profile.DeepProfileModel;

/** The bounded, seeded hyper-parameter search on the validation split. */
final class HyperparameterSearchTest {

    @Test
    void drawsStartWithTheGivenConfigurationAndAreSeededAndDistinct() {
        ProfileModelConfig base = TinyData.smallConfig().build();
        List<Map<String, String>> a = HyperparameterSearch.draw(base, 6);
        assertEquals(6, a.size());
        assertEquals(a, HyperparameterSearch.draw(base, 6), "seeded: the same trials every time");
        assertEquals("1", a.get(0).get("next-items"));
        assertEquals("1", a.get(0).get("windows"));
        assertEquals("8", a.get(0).get("emb"));
        // the pace of learning is not searched: every trial keeps the configured rate and dropout
        assertFalse(HyperparameterSearch.SPACE.containsKey("lr") || HyperparameterSearch.SPACE.containsKey("dropout"));
        assertEquals(6, new HashSet<>(a).size(), "no two trials alike");
        assertFalse(a.equals(HyperparameterSearch.draw(TinyData.smallConfig().seed(8).build(), 6)), "another seed, other trials");
        for (Map<String, String> s : a) {
            assertEquals(HyperparameterSearch.SPACE.keySet(), s.keySet());
        }
    }

    @Test
    void settingsKeepTheShapesValid() {
        ProfileModelConfig same = TinyData.smallConfig().projection(8).itemResidual(true).tieItemEmbeddings(true).build();
        ProfileModelConfig c = HyperparameterSearch.apply(same, Map.of("emb", "32", "tie", "true", "residual", "true"));
        assertEquals(32, c.itemEmbedding());
        assertEquals(32, c.projection(), "emb moves the projection with it when they were equal");
        assertTrue(c.tieItemEmbeddings() && c.itemResidual());
        // sampled softmax: tie is not allowed, so it is dropped rather than failing the trial
        ProfileModelConfig sampled = TinyData.smallConfig().projection(8).sampledNegatives(16).build();
        assertFalse(HyperparameterSearch.apply(sampled, Map.of("tie", "true")).tieItemEmbeddings());
        ProfileModelConfig t = HyperparameterSearch.trialConfig(TinyData.smallConfig().epochs(9).refitEpochs(2).build(),
                Map.of("lr", "0.002"), 3);
        assertEquals(3, t.epochs());
        assertEquals(0, t.refitEpochs());
        assertEquals(0.002, t.learningRate());
        // successive halving: the losers' epochs (the winner's are continued by the final training)
        assertEquals(12, new HyperparameterSearch.Budget(4, 3).epochs(), "2 losers x 3 + 1 loser x 6");
        assertEquals(27, new HyperparameterSearch.Budget(6, 3).epochs(), "3 x 3 + 1 x 6 + 1 x 12");
        assertEquals(23, new HyperparameterSearch.Budget(6, 3).epochs(8), "3 x 3 + 1 x 6 + 1 x 8: no trial beyond the cap");
        assertEquals(3, new HyperparameterSearch.Budget(2, 3).epochs());
        assertEquals(0, new HyperparameterSearch.Budget(1, 3).epochs());
        assertEquals(List.of(3, 6, 12, 8), List.of(new HyperparameterSearch.Budget(6, 3).rungEpochs(0, 20),
                new HyperparameterSearch.Budget(6, 3).rungEpochs(1, 20), new HyperparameterSearch.Budget(6, 3).rungEpochs(2, 20),
                new HyperparameterSearch.Budget(6, 3).rungEpochs(2, 8)));
        assertThrows(BadInputException.class, () -> new HyperparameterSearch.Budget(0, 3));
        assertThrows(BadInputException.class, () -> new HyperparameterSearch.Budget(2, 0));
    }

    @Test
    void searchTrainsTheBestTrialAndRecordsEveryTrial() throws Exception {
        TinyData d = new TinyData(5, 90, 24);
        ProfileModelConfig base = TinyData.smallConfig().epochs(2).build();
        HyperparameterSearch.Budget budget = new HyperparameterSearch.Budget(3, 1);
        ProfileTrainer t = new ProfileTrainer(base).search(budget).blend(false, 5, 100);
        try (DeepProfileModel m = t.fit(d.events, d.catalog)) {
            HyperparameterSearch.Result r = t.lastSearch();
            assertNotNull(r);
            assertEquals(3, r.trials().size());
            int secondRung = 0;
            for (HyperparameterSearch.Trial x : r.trials()) {
                assertTrue(x.score() >= 0 && x.score() <= 1, "a validation metric: " + x);
                // 3 trials of 1 epoch, the better 2 go on to 2 epochs (the cap), the better of them wins
                assertEquals(x.rungs(), x.epochs(), "each trial within its rung's epochs: " + x);
                secondRung += x.rungs() == 2 ? 1 : 0;
                assertTrue(r.best().score() >= x.score(), "the chosen trial scores best: " + r);
            }
            assertEquals(2, secondRung, r.toString());
            assertEquals(2, r.best().rungs());
            // the final model was trained with the chosen settings and the full schedule
            ProfileModelConfig chosen = HyperparameterSearch.apply(base, r.best().settings());
            JsonNode manifest = new ObjectMapper().readTree(m.manifestJson());
            assertEquals(chosen, ProfileModelConfig.fromMap(new ObjectMapper().convertValue(manifest.get("hyperParameters"), Map.class)));
            assertEquals(2, t.history().size());
            JsonNode search = manifest.path("provenance").path("search");
            assertEquals(3, search.path("results").size());
            assertEquals(r.chosen(), search.path("chosen").asInt());
            assertEquals(1, search.path("epochsPerTrial").asInt());
            assertEquals(base.earlyStoppingMetric(), search.path("metric").asText());

            // continued, not retrained: the same weights as training the chosen configuration from the start
            try (DeepProfileModel direct = new ProfileTrainer(chosen).blend(false, 5, 100).fit(d.events, d.catalog)) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(TinyData.servingWeights(direct), TinyData.servingWeights(m));
            }

            // seeded: the same trials, scores and choice again
            ProfileTrainer again = new ProfileTrainer(base).search(budget).blend(false, 5, 100);
            try (DeepProfileModel m2 = again.fit(d.events, d.catalog)) {
                HyperparameterSearch.Result r2 = again.lastSearch();
                assertEquals(r.chosen(), r2.chosen());
                for (int i = 0; i < r.trials().size(); i++) {
                    assertEquals(r.trials().get(i).settings(), r2.trials().get(i).settings());
                    assertEquals(r.trials().get(i).score(), r2.trials().get(i).score());
                }
            }
        }
    }

    @Test
    void aRaceKeepsTheBetterOfTheGivenCandidatesAndContinuesIt() throws Exception {
        TinyData d = new TinyData(5, 90, 24);
        ProfileModelConfig base = TinyData.smallConfig().epochs(3).build();
        List<Map<String, String>> candidates = HyperparameterSearch.parseCandidates("next-items=2,mask-seen=true; windows=2");
        assertEquals(List.of(Map.of("next-items", "2", "mask-seen", "true"), Map.of("windows", "2")), candidates);
        ProfileTrainer t = new ProfileTrainer(base).race(1, candidates).blend(false, 5, 100);
        try (DeepProfileModel m = t.fit(d.events, d.catalog)) {
            HyperparameterSearch.Result r = t.lastSearch();
            assertEquals(3, r.trials().size());
            assertEquals(Map.of(), r.trials().get(0).settings(), "trial 1 is the configuration as given");
            assertEquals(candidates.get(0), r.trials().get(1).settings());
            assertEquals(candidates.get(1), r.trials().get(2).settings());
            JsonNode search = new ObjectMapper().readTree(m.manifestJson()).path("provenance").path("search");
            assertEquals(2, search.path("candidates").size());
            assertTrue(search.path("space").isMissingNode());
            ProfileModelConfig chosen = HyperparameterSearch.apply(base, r.best().settings());
            try (DeepProfileModel direct = new ProfileTrainer(chosen).blend(false, 5, 100).fit(d.events, d.catalog)) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(TinyData.servingWeights(direct), TinyData.servingWeights(m));
            }
        }
        BadInputException bad = assertThrows(BadInputException.class, () -> HyperparameterSearch.parseCandidates("next-items"));
        assertTrue(bad.getMessage().contains("expected name=value"), bad.getMessage());
        assertThrows(BadInputException.class, () -> new ProfileTrainer(base).race(2, List.of(Map.of("no-such-option", "1"))));
        assertThrows(BadInputException.class, () -> new ProfileTrainer(base).race(2, List.of()));
    }

    @Test
    void aCandidateThatChangesNothingIsLeftOutAndWithNoneLeftThereIsNoRace() throws Exception {
        TinyData d = new TinyData(5, 60, 24);
        ProfileModelConfig base = TinyData.smallConfig().epochs(2).build();
        Map<String, String> same = Map.of("windows", Integer.toString(base.windows()));
        Map<String, String> other = Map.of("next-items", "2");
        assertEquals(List.of(Map.of(), other), HyperparameterSearch.race(base, List.of(same, other, other)),
                "the unchanged candidate and the repeated one are dropped");
        assertEquals(List.of(Map.of()), HyperparameterSearch.race(base, List.of(same)));
        Map<String, String> otherSpelledOut = Map.of("next-items", "2", "windows", Integer.toString(base.windows()));
        assertEquals(List.of(Map.of(), other), HyperparameterSearch.race(base, List.of(other, otherSpelledOut)),
                "a candidate giving the same configuration as an earlier one is dropped too");
        ProfileTrainer t = new ProfileTrainer(base).race(1, List.of(same)).blend(false, 5, 100);
        try (DeepProfileModel m = t.fit(d.events, d.catalog)) {
            assertEquals(null, t.lastSearch(), "nothing to race: the configuration is trained alone");
            assertTrue(new ObjectMapper().readTree(m.manifestJson()).path("provenance").path("search").isMissingNode());
        }
    }

    @Test
    void searchNeedsAValidationSplit() {
        TinyData d = new TinyData(5, 40, 24);
        ProfileTrainer t = new ProfileTrainer(TinyData.smallConfig().validation(ValidationSplit.NONE).build())
                .search(new HyperparameterSearch.Budget(2, 1));
        BadInputException e = assertThrows(BadInputException.class, () -> t.fit(d.events, d.catalog));
        assertTrue(e.getMessage().contains("validation"), e.getMessage());
    }
}
