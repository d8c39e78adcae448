package org.persona4j.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.ModelFormatException;
import org.persona4j.core.UserProfile;
import org.persona4j.models.nn.LeanProfileNetwork;
import org.persona4j.models.nn.LeanWeights;
import org.persona4j.models.profile.ActivityCounters;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.profile.DeepUserState;
import org.persona4j.models.profile.PlattScaling;
import org.persona4j.models.profile.TimeAwareCalibration;
import org.persona4j.synth.ShopConfig;
import org.persona4j.synth.ShopGenerator;
import org.persona4j.synth.SyntheticShop;

/**
 * The purchase and churn heads: their labels (horizon, censoring, held-out events, the event-count
 * fallback), the Platt scaling and its place in the artifact, the lean weights with a churn head,
 * old artifacts, and on a generated shop a purchase head clearly better than chance.
 */
class PropensityHeadsTest {
    private static final long DAY = 86_400_000L;
    private static final float C = PropensityLabels.CENSORED;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ProfileModelConfig.Targets targets(double purchaseDays, double churnDays, int events) {
        return new ProfileModelConfig.Targets(purchaseDays, churnDays, events, 0, 0.2, false);
    }

    @Test
    void purchaseWithinTheHorizonAndChurnAfterTheIdlePeriodCensoredAtTheEndOfObservation() {
        // days 0, 1 (purchase), 5, 20 (purchase), 21; observed until day 30 (exclusive)
        long[] t = {0, DAY, 5 * DAY, 20 * DAY, 21 * DAY};
        boolean[] buy = {false, true, false, true, false};
        float[][] l = PropensityLabels.label(t, buy, 30 * DAY, true, targets(7, 10, 5));
        // purchase within 7 d: from day 0 (day 1 buys), day 1 (next buy day 20: no), day 5 (no), day 20 and 21 (no later
        // purchase, horizons end on days 27 and 28, observed)
        assertArrayEquals(new float[] {1, 0, 0, 0, 0}, l[0]);
        // churn = no event within 10 d: day 0 (next day 1), day 1 (day 5), day 5 (next day 20: churned), day 20, 21 (censored)
        assertArrayEquals(new float[] {0, 0, 1, C, C}, l[1]);
        // the horizon must end before the end of observation: a purchase seen before the end does not rescue a cut
        float[][] edge = PropensityLabels.label(new long[] {0, DAY}, new boolean[] {false, true}, 7 * DAY, true, targets(7, 30, 5));
        assertArrayEquals(new float[] {C, C}, edge[0], "horizon reaching the end is censored, even with a purchase inside");
        float[][] inside = PropensityLabels.label(new long[] {0, DAY}, new boolean[] {false, true}, 7 * DAY + 1, true, targets(7, 30, 5));
        assertEquals(1f, inside[0][0]);
        // a purchase exactly at the horizon counts, one millisecond after does not
        float[][] at = PropensityLabels.label(new long[] {0, 7 * DAY}, new boolean[] {false, true}, 100 * DAY, true, targets(7, 30, 5));
        float[][] after = PropensityLabels.label(new long[] {0, 7 * DAY + 1}, new boolean[] {false, true}, 100 * DAY, true, targets(7, 30, 5));
        assertEquals(1f, at[0][0]);
        assertEquals(0f, after[0][0]);
    }

    @Test
    void withoutUsableTimeThePurchaseHeadCountsEventsAndChurnIsCensored() {
        long[] t = new long[7];
        boolean[] buy = {false, false, false, true, false, false, false};
        float[][] l = PropensityLabels.label(t, buy, 1, false, targets(7, 30, 3));
        // a purchase among the next 3 events; censored when fewer than 3 events follow
        assertArrayEquals(new float[] {1, 1, 1, 0, C, C, C}, l[0]);
        assertArrayEquals(new float[] {C, C, C, C, C, C, C}, l[1]);
        List<BehaviorEvent> constant = List.of(BehaviorEvent.of("u", "i", EventType.VIEW, 5), BehaviorEvent.of("v", "i", EventType.VIEW, 5));
        assertFalse(PropensityLabels.timed(constant));
    }

    @Test
    void trainingLabelsStopAtTheHeldOutEventValidationLabelsSeeTheWholeData() {
        // one user, leave-one-out: the last event (a purchase on day 9) is held out
        List<BehaviorEvent> ev = new ArrayList<>();
        long t0 = 1_700_000_000_000L;
        ev.add(BehaviorEvent.of("u", "a", EventType.VIEW, t0));
        ev.add(BehaviorEvent.of("u", "b", EventType.VIEW, t0 + DAY));
        ev.add(BehaviorEvent.of("u", "c", EventType.VIEW, t0 + 3 * DAY));
        ev.add(BehaviorEvent.of("u", "d", EventType.PURCHASE, t0 + 9 * DAY));
        // another user makes the data run to day 40
        ev.add(BehaviorEvent.of("w", "a", EventType.VIEW, t0));
        ev.add(BehaviorEvent.of("w", "a", EventType.VIEW, t0 + 40 * DAY));
        ProfileModelConfig c = ProfileModelConfig.builder().purchaseHorizonDays(7).churnHorizonDays(5)
                .propensityValidationShare(0.99).build();
        TrainingData d = TrainingData.split(ev, c);
        float[][] train = d.labels(c.targets(), false).label("u", d.train().get("u"));
        // observed until the held-out event (day 9): day 0 and day 1 have complete 7-day windows without the purchase
        assertArrayEquals(new float[] {0, 0, C}, train[0], "the held-out purchase is never a training label");
        // churn 5 d: day 0 -> day 1 active, day 1 -> day 3 active, day 3: window to day 8 < 9 has no event: churned
        assertArrayEquals(new float[] {0, 0, 1}, train[1]);
        // with a share of 0.99 both users are the heads' validation users: their sequences carry no labels
        assertTrue(d.labels(c.targets(), false).withheld("u") && d.labels(c.targets(), true).withheld("w"));
        // their validation cuts are labelled from the whole history, observed until day 40
        TrainingData.HeadCase u = d.headCases(c.targets()).stream().filter(h -> h.userId().equals("u")).findFirst().orElseThrow();
        assertArrayEquals(new int[] {0, 1, 2, 3}, u.cuts()[0]);
        assertArrayEquals(new float[] {0, 0, 1, 0}, u.labels()[0], "only day 3 sees the day-9 purchase within 7 d");
        assertArrayEquals(new float[] {0, 0, 1, 1}, u.labels()[1]);
    }

    @Test
    void plattScalingRecoversAKnownMiscalibrationAndRefusesBadInput() {
        Random r = new Random(5);
        int n = 20_000;
        double[] raw = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double z = r.nextGaussian() * 1.5;
            raw[i] = 1 / (1 + Math.exp(-z));
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-(0.5 * z - 2))) ? 1 : 0;
        }
        PlattScaling p = PlattScaling.fit(raw, y);
        assertEquals(0.5, p.a(), 0.08);
        assertEquals(-2.0, p.b(), 0.12);
        assertEquals(n, p.examples());
        assertEquals(1 / (1 + Math.exp(-(p.a() * 1.0 + p.b()))), p.apply(1 / (1 + Math.exp(-1.0))), 1e-9);
        assertThrows(BadInputException.class, () -> PlattScaling.fit(new double[] {0.5}, new double[] {2}));
        assertThrows(BadInputException.class, () -> PlattScaling.fit(new double[0], new double[0]));
        assertThrows(BadInputException.class, () -> new PlattScaling(Double.NaN, 0, 1, 0));
    }

    @Test
    void aucAndBrierByHand() {
        assertEquals(0.75, PropensityValidation.auc(new double[] {0.1, 0.4, 0.35, 0.8}, new double[] {0, 0, 1, 1}), 1e-12);
        assertEquals(0.5, PropensityValidation.auc(new double[] {0.3, 0.3}, new double[] {0, 1}), 1e-12, "ties share the rank");
        assertTrue(Double.isNaN(PropensityValidation.auc(new double[] {0.3, 0.4}, new double[] {1, 1})));
        assertEquals((0.01 + 0.36) / 2, PropensityValidation.brier(new double[] {0.1, 0.4}, new double[] {0, 1}), 1e-12);
    }

    /**
     * A small generated shop with planted non-buyers: the churn head ranks the held-out users' cuts
     * clearly better than chance and the purchase head better than chance; the calibration is in the
     * artifact and survives a round trip, and serving applies it.
     */
    @Test
    void onAGeneratedShopTheHeadsBeatChanceAndTheCalibrationRoundTrips(@TempDir Path dir) throws Exception {
        // the generated shop as it is gives every shopper the same checkout rate, so whether one buys within a week hardly
        // depends on the history (simple heuristics reach an AUC of about 0.6 on it); plant a difference: half the
        // shoppers (by a hash of the id) never buy (their purchase events are dropped), the others keep theirs
        SyntheticShop shop = new ShopGenerator(ShopConfig.builder().users(200).items(200).days(21).seed(11).build()).generate();
        List<BehaviorEvent> events = new ArrayList<>();
        for (BehaviorEvent e : shop.events()) {
            if (e.type() != EventType.PURCHASE || Math.floorMod(e.userId().hashCode(), 2) == 0) {
                events.add(e);
            }
        }
        ProfileModelConfig c = ProfileModelConfig.builder().itemEmbedding(8).typeEmbedding(3).categoryEmbedding(4).gapEmbedding(4)
                .hidden(16).projection(8).maxLen(30).batchSize(16).epochs(3).dropout(0).learningRate(0.01)
                .churnHorizonDays(3).validationUsers(50).propensityValidationShare(0.3).propensityGradient(true).seed(3).build();
        ProfileTrainer trainer = new ProfileTrainer(c).threads(2);
        try (DeepProfileModel m = trainer.fit(events, shop.catalog())) {
            Map<String, Double> last = trainer.history().get(trainer.history().size() - 1).validation();
            System.out.println("generated shop, validation per epoch: " + trainer.history());
            // measured in this configuration (deterministic for a seed and thread count), with the heads' gradient reaching
            // the encoder (propensityGradient): churn 0.655, purchase 0.515; behind the default stop-gradient 0.539 / 0.430,
            // the price of keeping next-item accuracy. The churn head (3 idle days) learns the shoppers' activity; the
            // purchase head stays weak: its training windows (maxLen events) often hold no purchase (notes of issue 24)
            assertTrue(last.get("churn_auc") >= 0.62, "churn AUC " + last.get("churn_auc"));
            assertTrue(last.get("purchase_auc") > 0.5, "purchase AUC " + last.get("purchase_auc"));
            assertTrue(last.get("purchase_n") >= 400 && last.get("churn_n") >= 400, "validated on the held-out users' cuts: " + last);
            JsonNode cal = JSON.readTree(m.manifestJson()).get(DeepProfileModel.CALIBRATION_KEY);
            // timestamps: the calibration is time-aware (network output + quiet time and counters, fitted at random times)
            assertEquals("time-aware", cal.get("method").asText());
            TimeAwareCalibration pc = m.timeAwareCalibration("purchase").orElseThrow();
            TimeAwareCalibration cc = m.timeAwareCalibration("churn").orElseThrow();
            assertEquals(cal.get("purchase").get("bias").asDouble(), pc.bias());
            assertTrue(pc.examples() >= PropensityValidation.MIN_CALIBRATION_EXAMPLES);
            assertTrue(m.calibration("purchase").isEmpty(), "no Platt scaling beside it");
            // at random times the churn risk ranks users well: the quiet time is what the network cannot see
            // measured (two-fold cross-fitted on the held-out users at random times): purchase 0.711 (counters alone 0.707,
            // network alone 0.430: the planted never-buyers are read from the purchase counters), churn 0.572 (counters
            // alone 0.580, network alone 0.464; this shop plants no lapses, so three quiet days are mostly chance)
            System.out.println("generated shop, calibration: " + cal);
            assertTrue(cal.get("purchase").get("auc_at_t").asDouble() >= 0.65, "purchase AUC at T " + cal.get("purchase"));
            JsonNode atT = cal.get("churn");
            assertTrue(atT.get("auc_at_t").asDouble() > atT.get("auc_at_t_network").asDouble(), "the quiet time adds to the network: " + atT);
            assertTrue(m.network().hasChurnHead());
            Path f = dir.resolve("shop.zip");
            m.save(f);
            try (DeepProfileModel back = DeepProfileModel.load(f)) {
                assertEquals(pc, back.timeAwareCalibration("purchase").orElseThrow());
                assertEquals(cc, back.timeAwareCalibration("churn").orElseThrow());
                assertEquals(m.version(), back.version());
                Map<String, List<BehaviorEvent>> byUser = new LinkedHashMap<>();
                events.forEach(e -> byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e));
                int k = 0;
                for (Map.Entry<String, List<BehaviorEvent>> u : byUser.entrySet()) {
                    List<BehaviorEvent> h = u.getValue();
                    UserProfile p = back.profile(u.getKey(), h);
                    assertEquals(m.profile(u.getKey(), h).propensities(), p.propensities());
                    long lastT = h.get(h.size() - 1).timestampMillis();
                    ActivityCounters a = new ActivityCounters();
                    h.forEach(e -> a.add(e.timestampMillis(), e.type()));
                    float[] heads = back.network().heads(((DeepUserState) back.encode(u.getKey(), h)).networkState(), null);
                    assertEquals(pc.apply(a.inputs(heads[0], lastT)),
                            p.propensities().get("purchase"), 1e-9, "served = the calibration of the raw output, as of the last event");
                    // as of a later time: the quiet time enters; the same state as of its last event is the plain profile
                    long later = lastT + 20 * DAY;
                    UserProfile q = back.profile(u.getKey(), h, later);
                    assertEquals(cc.apply(a.inputs(heads[heads.length - 1], later)),
                            q.propensities().get("churn"), 1e-9);
                    assertEquals(p.propensities(), back.profile(back.encode(u.getKey(), h), lastT).propensities());
                    assertEquals(p.propensities(), back.profile(back.encode(u.getKey(), h), lastT - DAY).propensities(),
                            "a time before the last event counts as the last event");
                    assertTrue(q.propensities().get("churn") > p.propensities().get("churn"),
                            "20 quiet days raise the churn risk: " + p.propensities() + " -> " + q.propensities());
                    if (++k == 20) {
                        break;
                    }
                }
            }
        }
    }

    @Test
    void leanWeightsWithAChurnHeadAreVersion2AndWithoutItByteForByteVersion1() throws Exception {
        TinyData data = new TinyData(3, 30, 12);
        try (DeepProfileModel m = new ProfileTrainer(TinyData.smallConfig().epochs(1).churnHorizonDays(0.5).build()).fit(data.events, data.catalog)) {
            LeanProfileNetwork n = m.network();
            assertTrue(n.hasChurnHead());
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            LeanWeights.write(n, bos);
            byte[] b = bos.toByteArray();
            assertEquals(LeanWeights.byteSize(n), b.length);
            assertEquals(2, LeanWeights.HEADER.versionOf(b));
            LeanProfileNetwork back = LeanWeights.read(new ByteArrayInputStream(b), b.length, "test");
            assertTrue(back.hasChurnHead());
            var s = n.step(n.initialState(), 2, 1, 2, 1);
            var s2 = back.step(back.initialState(), 2, 1, 2, 1);
            assertArrayEquals(n.heads(s, null), back.heads(s2, null));
            // truncated inside the churn head: refused naming it
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> LeanWeights.read(new ByteArrayInputStream(b, 0, b.length - 2), b.length - 2, "cut"));
            assertTrue(e.getMessage().contains("churn head"), e.getMessage());
            // a calibration entry that is not Platt scaling with numbers is refused by name
            com.fasterxml.jackson.databind.node.ObjectNode man = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(m.manifestJson());
            man.putObject(DeepProfileModel.CALIBRATION_KEY).put("method", "isotonic");
            ModelFormatException bad = assertThrows(ModelFormatException.class,
                    () -> DeepProfileModel.create(m.encoder(), n, man.toString(), null));
            assertTrue(bad.getMessage().contains("calibration.method"), bad.getMessage());
            ((com.fasterxml.jackson.databind.node.ObjectNode) man.get(DeepProfileModel.CALIBRATION_KEY)).put("method", "platt")
                    .putObject("churn").put("a", "x").put("b", 0);
            bad = assertThrows(ModelFormatException.class, () -> DeepProfileModel.create(m.encoder(), n, man.toString(), null));
            assertTrue(bad.getMessage().contains("calibration.churn"), bad.getMessage());
            man.putObject(DeepProfileModel.CALIBRATION_KEY).put("method", "time-aware").putObject("churn").put("bias", 0.5)
                    .putArray("weights").add(1.0).add(0.5);
            bad = assertThrows(ModelFormatException.class, () -> DeepProfileModel.create(m.encoder(), n, man.toString(), null));
            assertTrue(bad.getMessage().contains("calibration.churn needs 11 weights"), bad.getMessage());
            man.putObject(DeepProfileModel.CALIBRATION_KEY).put("method", "platt").putObject("churn").put("a", 2.0).put("b", -1.0);
            try (DeepProfileModel scaled = DeepProfileModel.create(m.encoder(), n, man.toString(), null)) {
                float[] h = n.heads(n.initialState(), null);
                double expected = 1 / (1 + Math.exp(-(2.0 * Math.log(h[h.length - 1] / (1.0 - h[h.length - 1])) - 1.0)));
                assertEquals(expected, scaled.profile("x", List.of()).propensities().get("churn"), 1e-6, "served churn = its Platt scaling");
                assertEquals((double) h[0], scaled.profile("x", List.of()).propensities().get("purchase"), 1e-7, "no purchase entry: raw");
            }
        }
    }

    /** An artifact from before the churn head and the calibration loads: raw purchase, no churn. */
    @Test
    void oldArtifactServesTheRawPurchaseAndNoChurn() throws Exception {
        try (DeepProfileModel m = DeepProfileModel.load(Path.of("src/test/resources/golden/profile-model-v2.zip"))) {
            assertFalse(m.network().hasChurnHead());
            assertTrue(m.calibration("purchase").isEmpty());
            List<BehaviorEvent> h = List.of(BehaviorEvent.of("g", "i3", EventType.VIEW, 1_600_000_000_000L),
                    BehaviorEvent.of("g", "i7", EventType.PURCHASE, 1_600_100_000_000L));
            UserProfile p = m.profile("g", h);
            assertEquals(List.of("purchase"), List.copyOf(p.propensities().keySet()));
            float[] heads = m.network().heads(((DeepUserState) m.encode("g", h)).networkState(), null);
            assertEquals(heads[0], p.propensities().get("purchase"), 1e-7);
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            LeanWeights.write(m.network(), bos);
            assertEquals(1, LeanWeights.HEADER.versionOf(bos.toByteArray()), "no churn head: written as version 1");
        }
    }
}
