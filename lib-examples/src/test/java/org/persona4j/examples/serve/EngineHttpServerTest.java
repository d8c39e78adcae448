package org.persona4j.examples.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.Reason;
import org.persona4j.core.ReasonKind;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.Recommender;
import org.persona4j.core.UserProfile;
import org.persona4j.core.UserState;
import org.persona4j.engine.PersonaEngine;

/** Drives the example service over real HTTP on loopback. */
class EngineHttpServerTest {
    /** Embedding = share of events per event type; enough to see ingestion through the API. */
    static final class TypeShareModel implements ProfileModel {
        record State(String userId, long eventCount, long lastEventMillis, long[] perType) implements UserState {
        }

        private volatile boolean closed;

        private void open() {
            if (closed) {
                throw new IllegalStateException("type-share model closed");
            }
        }

        @Override
        public String version() {
            return "type-share-1";
        }

        @Override
        public int embeddingSize() {
            return EventType.count();
        }

        @Override
        public UserState newState(String userId) {
            open();
            if (userId == null || userId.isBlank()) {
                throw new org.persona4j.core.BadInputException("userId is required");
            }
            return new State(userId, 0, -1, new long[EventType.count()]);
        }

        @Override
        public UserState update(UserState state, BehaviorEvent event) {
            open();
            State s = (State) state;
            if (event == null || !event.userId().equals(s.userId())) {
                throw new org.persona4j.core.BadInputException("event of another user or null");
            }
            long[] c = s.perType().clone();
            c[event.type().ordinal()]++;
            return new State(s.userId(), s.eventCount() + 1, event.timestampMillis(), c);
        }

        @Override
        public UserProfile profile(UserState state) {
            State s = (State) state;
            float[] e = new float[EventType.count()];
            for (int i = 0; i < e.length; i++) {
                e[i] = s.eventCount() == 0 ? 0 : (float) s.perType()[i] / s.eventCount();
            }
            // the shares are already a whole-history view: the long-term embedding is the same vector
            return new UserProfile(s.userId(), e, s.eventCount() == 0 ? null : e, Map.of(), Map.of(), Map.of(), List.of(),
                    Map.of(), s.eventCount(), Instant.EPOCH, version());
        }

        @Override
        public UserProfile profile(String userId, List<BehaviorEvent> history) {
            if (history == null) {
                throw new org.persona4j.core.BadInputException("history is required");
            }
            UserState s = newState(userId);
            for (BehaviorEvent e : history) {
                s = update(s, e);
            }
            return profile(s);
        }

        @Override
        public Optional<float[]> itemEmbedding(String itemId) {
            return Optional.empty();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private PersonaEngine engine;
    private EngineHttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        Recommender recent = new Recommender() {
            @Override
            public String name() {
                return "recent";
            }

            @Override
            public List<Recommendation> recommend(RecommendationRequest r) {
                return r.history().stream().map(BehaviorEvent::itemId).filter(i -> i != null).distinct().limit(r.k())
                        .map(i -> Recommendation.of(i, 1.0, Reason.of(ReasonKind.SIMILAR_TO_HISTORY, "because you viewed " + i)))
                        .toList();
            }
        };
        engine = PersonaEngine.builder(new TypeShareModel()).recommender(recent).flushInterval(Duration.ZERO).build();
        server = new EngineHttpServer(engine, 0, 4);
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> r) throws Exception {
        return mapper.readTree(r.body());
    }

    @Test
    void eventsProfileRecommendationsRerankAndForgetOverHttp() throws Exception {
        HttpResponse<String> r = send("POST", "/events",
                "{\"userId\": \"u1\", \"itemId\": \"i1\", \"type\": \"VIEW\", \"timestamp\": \"2026-11-22T10:00:00Z\"}");
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(1, json(r).get("accepted").asInt());
        r = send("POST", "/events", "[{\"userId\": \"u1\", \"itemId\": \"i2\", \"type\": \"cart\", \"timestamp\": 1763805600000,"
                + " \"price\": 9.5, \"quantity\": 2, \"sessionId\": \"s1\"},"
                + " {\"userId\": \"u1\", \"type\": \"SEARCH\", \"query\": \"红色 lipstick\", \"timestamp\": 1763805601000}]");
        assertEquals(202, r.statusCode(), r.body());

        r = send("GET", "/users/u1/profile", null);
        assertEquals(200, r.statusCode());
        JsonNode p = json(r);
        assertEquals(3, p.get("eventCount").asInt());
        assertEquals(EventType.count(), p.get("embedding").size());
        assertEquals(p.get("embedding"), p.get("longTermEmbedding"));

        r = send("GET", "/users/u1/recommendations?k=5", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode items = json(r).get("items");
        assertEquals(List.of("i1", "i2"), List.of(items.get(0).get("itemId").asText(), items.get(1).get("itemId").asText()));
        assertTrue(items.get(0).get("reasons").get(0).get("text").asText().contains("i1"));

        r = send("POST", "/users/u1/rerank", "{\"query\": \"shoes\", \"candidates\": [\"a\", \"b\", \"c\"]}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(3, json(r).get("items").size());

        r = send("DELETE", "/users/u1", null);
        assertEquals(200, r.statusCode());
        assertTrue(json(r).get("forgotten").asBoolean());
        assertEquals(0, json(send("GET", "/users/u1/profile", null)).get("eventCount").asInt());
    }

    @Test
    void badRequestsGetFourHundredsWithMessagesAndApplyNothing() throws Exception {
        HttpResponse<String> r = send("POST", "/events", "{\"userId\": \"u1\", \"itemId\": \"i1\", \"type\": \"VIEW\"}");
        assertEquals(400, r.statusCode());
        assertTrue(json(r).get("error").asText().contains("timestamp"), r.body());

        r = send("POST", "/events", "[{\"userId\": \"u2\", \"itemId\": \"i1\", \"type\": \"VIEW\", \"timestamp\": 1},"
                + " {\"userId\": \"u2\", \"itemId\": \"i1\", \"type\": \"TELEPORT\", \"timestamp\": 2}]");
        assertEquals(400, r.statusCode());
        assertTrue(json(r).get("error").asText().contains("body[1]"), r.body());
        assertEquals(0, json(send("GET", "/users/u2/profile", null)).get("eventCount").asInt(), "nothing half-applied");

        r = send("POST", "/events", "{\"userId\": \"u1\", \"itemId\": \"i1\", \"type\": \"VIEW\", \"timestamp\": 1, \"colour\": 1}");
        assertEquals(400, r.statusCode());
        assertTrue(json(r).get("error").asText().contains("colour"), r.body());

        assertEquals(400, send("POST", "/events", "{not json").statusCode());
        assertEquals(400, send("GET", "/users/u1/recommendations?k=0", null).statusCode());
        assertEquals(400, send("GET", "/users/u1/recommendations?k=ten", null).statusCode());
        assertEquals(400, send("POST", "/users/u1/rerank", "{\"candidates\": \"a\"}").statusCode());
        assertEquals(405, send("GET", "/events", null).statusCode());
        assertEquals(404, send("GET", "/nothing", null).statusCode());
        assertEquals(404, send("GET", "/users/u1/whatever", null).statusCode());
        assertEquals(200, send("GET", "/health", null).statusCode());
    }
}
