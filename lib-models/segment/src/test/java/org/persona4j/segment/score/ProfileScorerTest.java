package org.persona4j.segment.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.ProgressListener;
import org.persona4j.core.Tag;
import org.persona4j.core.UserProfile;
import org.persona4j.core.UserState;
import org.persona4j.features.aggregate.RatingPolarity;
import org.persona4j.segment.RfmSegmenter;

class ProfileScorerTest {
    private static final long DAY = 86_400_000L;
    private static final long T0 = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A fake model: embedding [events, purchases], long-term embedding [category-a share,
     * category-b share], purchase propensity = purchase share, interests = categories by share.
     * It records the histories it was given.
     */
    static final class FakeModel implements ProfileModel {
        final Map<String, List<BehaviorEvent>> seen = Collections.synchronizedMap(new LinkedHashMap<>());
        /** Whether profiles carry a "churn" propensity (a model with a churn head): 1 - purchase share. */
        final boolean churnHead;

        FakeModel() {
            this(false);
        }

        FakeModel(boolean churnHead) {
            this.churnHead = churnHead;
        }

        @Override
        public String version() {
            return "fake-1";
        }

        @Override
        public int embeddingSize() {
            return 2;
        }

        @Override
        public UserState newState(String userId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UserState update(UserState state, BehaviorEvent event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UserProfile profile(UserState state) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UserProfile profile(String userId, List<BehaviorEvent> history) {
            seen.put(userId, List.copyOf(history));
            int n = history.size();
            int buys = 0;
            int a = 0;
            for (BehaviorEvent e : history) {
                buys += e.type() == EventType.PURCHASE ? 1 : 0;
                a += e.itemId().startsWith("a") ? 1 : 0;
            }
            double sa = n == 0 ? 0 : a / (double) n;
            Map<String, Double> interests = new LinkedHashMap<>();
            if (sa >= 0.5) {
                interests.put("A", sa);
                interests.put("B", 1 - sa);
            } else {
                interests.put("B", 1 - sa);
                interests.put("A", sa);
            }
            interests.put("C", 0.0);
            double purchase = n == 0 ? 0 : buys / (double) n;
            Map<String, Double> prop = churnHead ? Map.of("purchase", purchase, "churn", 1 - purchase) : Map.of("purchase", purchase);
            return new UserProfile(userId, new float[] {n, buys}, n == 0 ? null : new float[] {(float) sa, (float) (1 - sa)},
                    interests, prop, Map.of(), List.of(), Map.of(), n, Instant.EPOCH, version());
        }

        @Override
        public Optional<float[]> itemEmbedding(String itemId) {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    }

    private static Catalog catalog() {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            items.add(new Item("a" + i, List.of("A"), "brandA", 10 + i, null, null, Map.of()));
            items.add(new Item("b" + i, List.of("B"), "brandB", 100 + i, null, null, Map.of()));
        }
        return new InMemoryCatalog(items);
    }

    private static BehaviorEvent ev(String user, String item, EventType t, long ts) {
        return BehaviorEvent.of(user, item, t, ts);
    }

    /**
     * Users: "active" buys every 2 days up to the last day; "lapsed" bought often long ago and
     * nothing for 200 days; "browser" only views; many "u.." fillers buy now and then. The events
     * are shuffled.
     */
    private static List<BehaviorEvent> events() {
        List<BehaviorEvent> ev = new ArrayList<>();
        long end = T0 + 400 * DAY;
        for (int i = 0; i < 20; i++) {
            ev.add(ev("active", "a" + i % 5, EventType.PURCHASE, end - i * 2 * DAY));
            ev.add(ev("lapsed", "b" + i % 5, EventType.PURCHASE, end - 200 * DAY - i * 2 * DAY));
        }
        for (int i = 0; i < 12; i++) {
            ev.add(ev("browser", "a" + i % 5, EventType.VIEW, end - i * DAY));
        }
        Random r = new Random(7);
        for (int u = 0; u < 30; u++) {
            int n = 1 + r.nextInt(6);
            for (int i = 0; i < n; i++) {
                ev.add(ev("u" + u, (r.nextBoolean() ? "a" : "b") + r.nextInt(5), r.nextInt(3) == 0 ? EventType.VIEW : EventType.PURCHASE,
                        end - r.nextInt(300) * DAY));
            }
        }
        Collections.shuffle(ev, new Random(11));
        return ev;
    }

    private static List<JsonNode> scoreToJsonLines(ProfileScorer s, List<BehaviorEvent> events) throws Exception {
        StringWriter sw = new StringWriter();
        ScoreSummary sum;
        try (ScoreWriter w = ScoreWriter.jsonLines(sw)) {
            sum = s.scoreAll(events, w, ProgressListener.NONE);
        }
        List<JsonNode> rows = new ArrayList<>();
        for (String line : sw.toString().split("\n")) {
            rows.add(JSON.readTree(line));
        }
        assertEquals(sum.users(), rows.size());
        assertEquals(events.size(), sum.events());
        return rows;
    }

    @Test
    void oneSortedRowPerUserWithEveryField() throws Exception {
        List<BehaviorEvent> events = events();
        FakeModel model = new FakeModel();
        ProfileScorer s = ProfileScorer.builder(model).topInterests(2).fit(events, catalog(), ProgressListener.NONE);
        assertEquals(T0 + 400 * DAY, s.asOfMillis());
        List<JsonNode> rows = scoreToJsonLines(s, events);
        List<String> ids = rows.stream().map(r -> r.get("userId").asText()).toList();
        List<String> sorted = new ArrayList<>(ids);
        Collections.sort(sorted);
        assertEquals(sorted, ids, "rows in user-id order");
        assertEquals(33, ids.size());
        assertEquals(ids.size(), ids.stream().distinct().count(), "one row per user");
        for (JsonNode r : rows) {
            String who = r.toString();
            assertEquals(2, r.get("embedding").size(), who);
            assertEquals(2, r.get("longTermEmbedding").size(), who);
            double churn = r.get("propensities").get("churn").asDouble(-1);
            assertTrue(churn >= 0 && churn <= 1, who);
            assertTrue(r.get("propensities").has("purchase"), who);
            assertEquals("heuristic", r.get("churnSource").asText(), who);
            assertEquals(2, r.get("interests").size(), "top 2 interests: " + who);
            assertTrue(r.get("tags").isArray(), who);
            assertTrue(RfmSegmenter.GROUPS.contains(r.get("valueGroup").asText()), who);
            assertEquals("rfm-" + r.get("valueGroup").asText(), r.get("segment").asText(), who);
        }
        // the model saw each history in time order
        for (List<BehaviorEvent> h : model.seen.values()) {
            for (int i = 1; i < h.size(); i++) {
                assertTrue(h.get(i - 1).timestampMillis() <= h.get(i).timestampMillis());
            }
        }
    }

    @Test
    void churnComesFromTheModelWhenItsProfilesCarryChurnOtherwiseFromTheHeuristic() throws Exception {
        List<BehaviorEvent> events = events();
        for (boolean head : new boolean[] {false, true}) {
            FakeModel model = new FakeModel(head);
            ProfileScorer s = ProfileScorer.builder(model).fit(events, catalog(), ProgressListener.NONE);
            StringWriter sw = new StringWriter();
            ScoreSummary sum;
            try (ScoreWriter w = ScoreWriter.jsonLines(sw)) {
                sum = s.scoreAll(events, w, ProgressListener.NONE);
            }
            String source = head ? ProfileScorer.CHURN_MODEL : ProfileScorer.CHURN_HEURISTIC;
            assertEquals(source, sum.churnSource(), sum.toString());
            assertEquals(Map.of(source, sum.users()), sum.churnSources());
            double total = 0;
            for (String line : sw.toString().split("\n")) {
                JsonNode r = JSON.readTree(line);
                assertEquals(source, r.get("churnSource").asText(), line);
                String u = r.get("userId").asText();
                double churn = r.get("propensities").get("churn").asDouble();
                double heuristic = ChurnHeuristic.defaults().churn(s.aggregates(u, history(events, u)));
                UserProfile p = model.profile(u, history(events, u));
                if (head) {
                    assertEquals(p.propensities().get("churn"), churn, 1e-12, "the model's value is kept: " + line);
                } else {
                    assertEquals(heuristic, churn, 1e-12, "the heuristic's value: " + line);
                }
                total += churn;
            }
            assertEquals(total / sum.users(), sum.meanChurn(), 1e-12);
            ScoredUser lapsed = s.score("lapsed", history(events, "lapsed"));
            assertEquals(source, lapsed.churnSource());
        }
        // the heuristic and the fake head disagree on the lapsed buyer: the source decides the value
        ScoredUser byHeuristic = ProfileScorer.builder(new FakeModel(false)).fit(events, catalog(), ProgressListener.NONE)
                .score("lapsed", history(events, "lapsed"));
        ScoredUser byModel = ProfileScorer.builder(new FakeModel(true)).fit(events, catalog(), ProgressListener.NONE)
                .score("lapsed", history(events, "lapsed"));
        assertTrue(byHeuristic.churn() > 0.9, byHeuristic.toString());
        assertEquals(0.0, byModel.churn(), 1e-12, "every event of 'lapsed' is a purchase: fake churn head 0");
    }

    @Test
    void lapsedUserHasHigherChurnThanActiveOneAndValueGroupsFollowRfm() {
        List<BehaviorEvent> events = events();
        ProfileScorer s = ProfileScorer.builder(new FakeModel()).fit(events, catalog(), ProgressListener.NONE);
        ScoredUser active = s.score("active", history(events, "active"));
        ScoredUser lapsed = s.score("lapsed", history(events, "lapsed"));
        ScoredUser browser = s.score("browser", history(events, "browser"));
        assertTrue(active.churn() < 0.1, "active: " + active);
        assertTrue(lapsed.churn() > 0.9, "lapsed: " + lapsed);
        assertTrue(lapsed.churn() > active.churn());
        assertEquals("prospect", browser.valueGroup(), "no purchase");
        assertTrue(List.of("champions", "loyal").contains(active.valueGroup()), active.toString());
        assertTrue(List.of("at-risk", "cant-lose").contains(lapsed.valueGroup()), lapsed.toString());
        assertEquals(20, active.eventCount());
        assertEquals(T0 + 400 * DAY, active.lastEventMillis());
        assertTrue(lapsed.tags().stream().anyMatch(t -> t.id().equals("at-risk-of-churn")), lapsed.tags().toString());
    }

    @Test
    void churnHeuristicFollowsItsDocumentedPoints() {
        ChurnHeuristic h = ChurnHeuristic.defaults();
        assertEquals(0.0474, h.churn(0, Double.NaN), 1e-4);
        assertEquals(0.5, h.churn(30, 2), 1e-12);
        assertEquals(0.5, h.churn(60, 20), 1e-12, "L = 3 gaps when that exceeds 30 days");
        assertEquals(0.9526, h.churn(120, 20), 1e-4);
        assertTrue(h.churn(10, 1) < h.churn(40, 1));
        assertThrows(BadInputException.class, () -> new ChurnHeuristic(3, 0, 3));
    }

    @Test
    void threadsGiveTheSameBytesAndMaxHistoryCapsTheModelsInput() throws Exception {
        List<BehaviorEvent> events = events();
        String one = csv(ProfileScorer.builder(new FakeModel()).threads(1).fit(events, catalog(), ProgressListener.NONE), events);
        String three = csv(ProfileScorer.builder(new FakeModel()).threads(3).fit(events, catalog(), ProgressListener.NONE), events);
        assertEquals(one, three);
        String[] lines = one.split("\n");
        assertTrue(lines[0].startsWith("user_id,events,last_event_at,purchase,churn,churn_source,segment,value_group,"), lines[0]);
        assertEquals(34, lines.length);

        FakeModel m = new FakeModel();
        ScoredUser r = ProfileScorer.builder(m).maxHistory(5).fit(events, catalog(), ProgressListener.NONE)
                .score("active", history(events, "active"));
        assertEquals(5, m.seen.get("active").size());
        assertEquals(T0 + 400 * DAY, m.seen.get("active").get(4).timestampMillis(), "the most recent events");
        assertEquals(20, r.eventCount(), "aggregates use the whole history");
    }

    @Test
    void kMeansSegmentsAreDeterministicAndNoSegmentsGivesNull() {
        List<BehaviorEvent> events = events();
        ProfileScorer a = ProfileScorer.builder(new FakeModel()).segmentsKMeans(2).seed(5).fit(events, catalog(), null);
        ProfileScorer b = ProfileScorer.builder(new FakeModel()).segmentsKMeans(2).seed(5).fit(events, catalog(), null);
        ScoredUser ra = a.score("active", history(events, "active"));
        ScoredUser rl = a.score("lapsed", history(events, "lapsed"));
        assertTrue(ra.segment().startsWith("kmeans-"), ra.toString());
        assertEquals(ra.segment(), b.score("active", history(events, "active")).segment());
        assertTrue(!ra.segment().equals(rl.segment()), "all-A and all-B users fall in different clusters");
        assertNotNull(ra.valueGroup(), "value groups whatever the segments");
        ScoredUser none = ProfileScorer.builder(new FakeModel()).noSegments().fit(events, catalog(), null)
                .score("active", history(events, "active"));
        assertNull(none.segment());
    }

    @Test
    void badInputIsRefusedNamingWhat() {
        List<BehaviorEvent> events = events();
        ProfileScorer s = ProfileScorer.builder(new FakeModel()).fit(events, catalog(), null);
        BadInputException e = assertThrows(BadInputException.class, () -> s.score("active", history(events, "lapsed")));
        assertTrue(e.getMessage().contains("belongs to user lapsed"), e.getMessage());
        assertThrows(BadInputException.class, () -> s.score("active", List.of()));
        assertThrows(BadInputException.class, () -> ProfileScorer.builder(new FakeModel()).build());
        assertThrows(BadInputException.class, () -> ProfileScorer.builder(new FakeModel()).fit(List.of(), null, null));
        assertThrows(BadInputException.class, () -> ScoreWriter.Format.ofFileName("x.parquet"));
        assertEquals(ScoreWriter.Format.CSV, ScoreWriter.Format.ofFileName("out.CSV.gz"));
        assertEquals(ScoreWriter.Format.JSON_LINES, ScoreWriter.Format.ofFileName("out.jsonl"));
    }

    @Test
    void withoutBuyersEveryoneIsAProspect() throws Exception {
        List<BehaviorEvent> views = events().stream().filter(e -> e.type() == EventType.VIEW).toList();
        ProfileScorer s = ProfileScorer.builder(new FakeModel()).fit(views, null, null);
        assertNull(s.valueGroups());
        for (JsonNode r : scoreToJsonLines(s, views)) {
            assertEquals("prospect", r.get("valueGroup").asText());
            assertEquals("rfm-prospect", r.get("segment").asText());
        }
    }

    private static BehaviorEvent rate(String user, String item, double rating, long ts) {
        return BehaviorEvent.builder(user, item, EventType.RATE, ts).rating(rating).build();
    }

    /**
     * Ratings of a0..a4 (category A) and b0..b4 (category B): eight "crowd" users rate item i at
     * its value 1 + i % 4 (A) or 2 + i % 3 (B); "harsh" rates every item 1 below its value,
     * "generous" 1 above; "quiet" rates two items at their value and views others; "viewer" only views.
     */
    private static List<BehaviorEvent> ratedEvents() {
        List<BehaviorEvent> ev = new ArrayList<>();
        long t = T0;
        for (int i = 0; i < 5; i++) {
            double va = 2 + i % 3;
            double vb = 2 + (i + 1) % 3;
            for (int u = 0; u < 8; u++) {
                ev.add(rate("crowd" + u, "a" + i, va, t += DAY));
                ev.add(rate("crowd" + u, "b" + i, vb, t += DAY));
            }
            ev.add(rate("harsh", "a" + i, va - 1, t += DAY));
            ev.add(rate("harsh", "b" + i, vb - 1, t += DAY));
            ev.add(rate("generous", "a" + i, va + 1, t += DAY));
            ev.add(rate("generous", "b" + i, vb + 1, t += DAY));
            ev.add(ev("viewer", "a" + i, EventType.VIEW, t += DAY));
            ev.add(ev("quiet", "b" + i, EventType.VIEW, t += DAY));
        }
        ev.add(rate("quiet", "a0", 2, t += DAY));
        ev.add(rate("quiet", "a1", 3, t += DAY));
        Collections.shuffle(ev, new Random(3));
        return ev;
    }

    private static boolean hasTag(ScoredUser r, String id) {
        return r.tags().stream().anyMatch(t -> t.id().equals(id));
    }

    @Test
    void ratingPolarityGivesSentimentSignsCategoriesAndRaterTags() throws Exception {
        List<BehaviorEvent> events = ratedEvents();
        ProfileScorer s = ProfileScorer.builder(new FakeModel()).fit(events, catalog(), ProgressListener.NONE);
        assertNotNull(s.ratingPolarity(), "fit(...) fits the polarity when the data has ratings");
        ScoredUser harsh = s.score("harsh", history(events, "harsh"));
        ScoredUser generous = s.score("generous", history(events, "generous"));
        ScoredUser crowd = s.score("crowd3", history(events, "crowd3"));
        ScoredUser quiet = s.score("quiet", history(events, "quiet"));
        ScoredUser viewer = s.score("viewer", history(events, "viewer"));

        // 10 ratings 1 below the item means (which the two planted users pull equally both ways), shrunk by 10 / (10 + 5)
        assertEquals(10, harsh.sentimentRatings());
        assertEquals(-10.0 / 15, harsh.sentiment(), 0.02, harsh.toString());
        assertEquals(10.0 / 15, generous.sentiment(), 0.02, generous.toString());
        assertEquals(0.0, crowd.sentiment(), 0.02, crowd.toString());
        assertTrue(hasTag(harsh, ProfileScorer.CRITICAL_RATER) && !hasTag(harsh, ProfileScorer.ENTHUSIASTIC_RATER), harsh.tags().toString());
        assertTrue(hasTag(generous, ProfileScorer.ENTHUSIASTIC_RATER) && !hasTag(generous, ProfileScorer.CRITICAL_RATER),
                generous.tags().toString());
        for (ScoredUser r : List.of(crowd, quiet, viewer)) {
            assertTrue(!hasTag(r, ProfileScorer.CRITICAL_RATER) && !hasTag(r, ProfileScorer.ENTHUSIASTIC_RATER), r.toString());
        }
        Tag critical = harsh.tags().stream().filter(t -> t.id().equals(ProfileScorer.CRITICAL_RATER)).findFirst().orElseThrow();
        assertEquals("10", critical.evidence().get("ratings"));
        assertTrue(critical.weight() > 0.5 && critical.weight() <= 1, critical.toString());

        // per category: both categories, 5 ratings each, ties by name; negative for the harsh rater
        assertEquals(List.of("A", "B"), harsh.sentimentByCategory().stream().map(ScoredUser.CategorySentiment::category).toList());
        for (ScoredUser.CategorySentiment c : harsh.sentimentByCategory()) {
            assertEquals(5, c.ratings());
            assertTrue(c.polarity() < -0.5, c.toString());
        }
        assertTrue(generous.sentimentByCategory().stream().allMatch(c -> c.polarity() > 0.5), generous.toString());

        // two ratings: a sentiment but no tag; no rating: NaN
        assertEquals(2, quiet.sentimentRatings());
        assertTrue(quiet.hasSentiment());
        assertEquals(List.of("A"), quiet.sentimentByCategory().stream().map(ScoredUser.CategorySentiment::category).toList());
        assertTrue(Double.isNaN(viewer.sentiment()) && viewer.sentimentRatings() == 0 && viewer.sentimentByCategory().isEmpty(),
                viewer.toString());

        // the writers: JSON Lines fields, CSV columns appended at the end
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        for (JsonNode r : scoreToJsonLines(s, events)) {
            rows.put(r.get("userId").asText(), r);
        }
        assertEquals(harsh.sentiment(), rows.get("harsh").get("sentiment").asDouble(), 1e-12);
        assertEquals(10, rows.get("harsh").get("sentimentRatings").asInt());
        assertEquals("A", rows.get("harsh").get("sentimentByCategory").get(0).get("category").asText());
        assertTrue(rows.get("harsh").get("sentimentByCategory").get(0).get("polarity").asDouble() < -0.5);
        assertTrue(rows.get("viewer").get("sentiment").isNull(), rows.get("viewer").toString());
        assertEquals(0, rows.get("viewer").get("sentimentByCategory").size());
        String[] lines = csv(s, events).split("\n");
        assertTrue(lines[0].startsWith("user_id,events,last_event_at,purchase,churn,churn_source,segment,value_group,interests,tags,"
                + "embedding,long_term_embedding,"), lines[0]);
        assertTrue(lines[0].endsWith(",long_term_embedding,sentiment,sentiment_ratings,sentiment_by_category"), lines[0]);
        String harshLine = java.util.Arrays.stream(lines).filter(l -> l.startsWith("harsh,")).findFirst().orElseThrow();
        assertTrue(harshLine.contains("," + harsh.sentiment() + ",10,\"[{\"\"category\"\":\"\"A\"\","), harshLine);
        String viewerLine = java.util.Arrays.stream(lines).filter(l -> l.startsWith("viewer,")).findFirst().orElseThrow();
        assertTrue(viewerLine.endsWith(",,0,[]"), viewerLine);

        // tags(false): the sentiment without the rater tag
        ScoredUser untagged = ProfileScorer.builder(new FakeModel()).tags(false).fit(events, catalog(), null)
                .score("harsh", history(events, "harsh"));
        assertTrue(untagged.tags().isEmpty(), untagged.toString());
        assertEquals(harsh.sentiment(), untagged.sentiment(), 1e-12);
    }

    @Test
    void aGivenRatingPolarityIsUsedAndDataWithoutRatingsGivesNoSentiment() throws Exception {
        List<BehaviorEvent> rated = ratedEvents();
        RatingPolarity pol = RatingPolarity.fit(rated, RatingPolarity.DEFAULT_PRIOR, RatingPolarity.DEFAULT_PRIOR);
        ProfileScorer built = ProfileScorer.builder(new FakeModel()).asOfMillis(T0).ratingPolarity(pol).build();
        assertTrue(built.score("harsh", history(rated, "harsh")).sentiment() < -0.5);
        assertNull(ProfileScorer.builder(new FakeModel()).asOfMillis(T0).build().ratingPolarity(), "build() fits nothing");
        assertTrue(Double.isNaN(ProfileScorer.builder(new FakeModel()).asOfMillis(T0).build()
                .score("harsh", history(rated, "harsh")).sentiment()));

        List<BehaviorEvent> events = events(); // no ratings
        ProfileScorer s = ProfileScorer.builder(new FakeModel()).fit(events, catalog(), ProgressListener.NONE);
        assertNull(s.ratingPolarity());
        for (JsonNode r : scoreToJsonLines(s, events)) {
            assertTrue(r.get("sentiment").isNull(), r.toString());
            assertEquals(0, r.get("sentimentRatings").asInt(), r.toString());
            assertEquals(0, r.get("sentimentByCategory").size(), r.toString());
            for (JsonNode t : r.get("tags")) {
                assertTrue(!t.get("id").asText().endsWith("-rater"), r.toString());
            }
        }
        String[] lines = csv(s, events).split("\n");
        assertTrue(lines[0].endsWith(",long_term_embedding,sentiment,sentiment_ratings,sentiment_by_category"), lines[0]);
        for (String l : java.util.Arrays.copyOfRange(lines, 1, lines.length)) {
            assertTrue(l.endsWith(",,0,[]"), l);
        }
        // no rows: the header alone, with the same trailing columns
        StringWriter empty = new StringWriter();
        ScoreWriter.csv(empty).close();
        assertTrue(empty.toString().strip().endsWith(",long_term_embedding,sentiment,sentiment_ratings,sentiment_by_category"),
                empty.toString());
    }

    private static String csv(ProfileScorer s, List<BehaviorEvent> events) throws Exception {
        StringWriter sw = new StringWriter();
        try (ScoreWriter w = ScoreWriter.csv(sw)) {
            s.scoreAll(events, w, null);
        }
        return sw.toString();
    }

    private static List<BehaviorEvent> history(List<BehaviorEvent> events, String user) {
        return events.stream().filter(e -> e.userId().equals(user)).toList();
    }
}
