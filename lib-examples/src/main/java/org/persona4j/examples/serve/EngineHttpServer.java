package org.persona4j.examples.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.engine.PersonaEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/JSON service over a {@link PersonaEngine}, built on the JDK's HTTP server and only
 * on the SDK's public API. Routes:
 * <ul>
 *   <li>{@code POST /events}: one event object or an array of them → 202 {@code {"accepted": n}};</li>
 *   <li>{@code GET /users/{id}/profile};</li>
 *   <li>{@code GET /users/{id}/recommendations?k=20};</li>
 *   <li>{@code POST /users/{id}/rerank} with {@code {"query": "...", "candidates": ["i1", ...]}};</li>
 *   <li>{@code DELETE /users/{id}}: forget the user;</li>
 *   <li>{@code GET /health}.</li>
 * </ul>
 * Bad requests get 4xx with {@code {"error": "..."}} naming the field; an event array is checked
 * whole before any of it is ingested, so a bad element leaves nothing half-applied.
 */
public final class EngineHttpServer implements AutoCloseable {
    /** Largest accepted request body. */
    public static final int MAX_BODY_BYTES = 4 << 20;
    /** Largest k for recommendations. */
    public static final int MAX_K = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(EngineHttpServer.class);

    private final PersonaEngine engine;
    private final HttpServer server;
    private final ExecutorService pool;
    private final JsonMapping json = new JsonMapping();

    /**
     * Starts serving on the loopback interface.
     *
     * @param engine the engine (not closed by this server)
     * @param port the port, 0 for any free one
     * @param threads worker threads
     * @throws IOException when the port cannot be bound
     */
    public EngineHttpServer(PersonaEngine engine, int port, int threads) throws IOException {
        this.engine = engine;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "persona4j-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/events", ex -> handle(ex, this::events));
        server.createContext("/users/", ex -> handle(ex, this::users));
        server.createContext("/health", ex -> handle(ex, e -> {
            requireMethod(e, "GET");
            ObjectNode o = json.mapper().createObjectNode();
            o.put("status", "ok");
            o.put("modelVersion", engine.modelVersion());
            o.put("eventsIngested", engine.stats().eventsIngested());
            return new Reply(200, o);
        }));
        server.createContext("/", ex -> handle(ex, e -> {
            throw new HttpError(404, "no route for " + e.getRequestMethod() + " " + e.getRequestURI().getPath());
        }));
        server.start();
    }

    /** @return the bound port */
    public int port() {
        return server.getAddress().getPort();
    }

    private record Reply(int status, JsonNode body) {
    }

    @FunctionalInterface
    private interface Route {
        Reply apply(HttpExchange ex) throws IOException;
    }

    private static final class HttpError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private void handle(HttpExchange ex, Route route) throws IOException {
        Reply reply;
        try {
            reply = route.apply(ex);
        } catch (HttpError e) {
            reply = error(e.status, e.getMessage());
        } catch (BadInputException e) {
            reply = error(400, e.getMessage());
        } catch (JsonProcessingException e) {
            reply = error(400, "body: not valid JSON: " + e.getOriginalMessage());
        } catch (RuntimeException e) {
            LOG.error("request failed: {} {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
            reply = error(500, "internal error: " + e.getClass().getSimpleName());
        }
        byte[] out = json.mapper().writeValueAsBytes(reply.body());
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(reply.status(), out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    private Reply error(int status, String message) {
        ObjectNode o = json.mapper().createObjectNode();
        o.put("error", message);
        return new Reply(status, o);
    }

    private static void requireMethod(HttpExchange ex, String method) {
        if (!ex.getRequestMethod().equals(method)) {
            ex.getResponseHeaders().set("Allow", method);
            throw new HttpError(405, ex.getRequestMethod() + " not allowed on " + ex.getRequestURI().getPath() + ", use " + method);
        }
    }

    private JsonNode body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY_BYTES + 1);
            if (b.length > MAX_BODY_BYTES) {
                throw new HttpError(413, "body larger than " + MAX_BODY_BYTES + " bytes");
            }
            if (b.length == 0) {
                throw new BadInputException("body: expected JSON, was empty");
            }
            return json.mapper().readTree(b);
        }
    }

    private Reply events(HttpExchange ex) throws IOException {
        requireMethod(ex, "POST");
        if (!ex.getRequestURI().getPath().equals("/events")) {
            throw new HttpError(404, "no route for " + ex.getRequestURI().getPath());
        }
        JsonNode b = body(ex);
        List<BehaviorEvent> events = new ArrayList<>();
        if (b.isArray()) {
            for (int i = 0; i < b.size(); i++) {
                events.add(json.event(b.get(i), "body[" + i + "]"));
            }
        } else {
            events.add(json.event(b, "body"));
        }
        long n = engine.ingestAll(events);
        ObjectNode o = json.mapper().createObjectNode();
        o.put("accepted", n);
        return new Reply(202, o);
    }

    private Reply users(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String[] parts = path.substring("/users/".length()).split("/", -1);
        String user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        if (user.isBlank()) {
            throw new BadInputException("path: user id is empty");
        }
        if (parts.length == 1) {
            requireMethod(ex, "DELETE");
            ObjectNode o = json.mapper().createObjectNode();
            o.put("forgotten", engine.forget(user));
            return new Reply(200, o);
        }
        if (parts.length != 2) {
            throw new HttpError(404, "no route for " + path);
        }
        switch (parts[1]) {
            case "profile" -> {
                requireMethod(ex, "GET");
                return new Reply(200, json.profile(engine.profile(user)));
            }
            case "recommendations" -> {
                requireMethod(ex, "GET");
                int k = intParam(ex.getRequestURI().getRawQuery(), "k", 20);
                ObjectNode o = json.mapper().createObjectNode();
                o.put("userId", user);
                o.set("items", json.recommendations(engine.recommend(RecommendationRequest.builder(k).user(user).build())));
                return new Reply(200, o);
            }
            case "rerank" -> {
                requireMethod(ex, "POST");
                JsonNode b = body(ex);
                JsonNode c = b.get("candidates");
                if (c == null || !c.isArray()) {
                    throw new BadInputException("body: field 'candidates': expected an array of item ids");
                }
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < c.size(); i++) {
                    if (!c.get(i).isTextual()) {
                        throw new BadInputException("body: field 'candidates[" + i + "]': expected a string");
                    }
                    ids.add(c.get(i).asText());
                }
                JsonNode q = b.get("query");
                ObjectNode o = json.mapper().createObjectNode();
                o.put("userId", user);
                ArrayNode items = json.recommendations(engine.rerank(user, q == null || q.isNull() ? "" : q.asText(), ids));
                o.set("items", items);
                return new Reply(200, o);
            }
            default -> throw new HttpError(404, "no route for " + path);
        }
    }

    private static int intParam(String rawQuery, String name, int dflt) {
        if (rawQuery == null) {
            return dflt;
        }
        for (String kv : rawQuery.split("&")) {
            int eq = kv.indexOf('=');
            String key = eq < 0 ? kv : kv.substring(0, eq);
            if (key.equals(name)) {
                String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                try {
                    int k = Integer.parseInt(v);
                    if (k < 1 || k > MAX_K) {
                        throw new BadInputException("query: parameter '" + name + "': expected 1.." + MAX_K + ", was " + k);
                    }
                    return k;
                } catch (NumberFormatException e) {
                    throw new BadInputException("query: parameter '" + name + "': expected an integer, was '" + v + "'");
                }
            }
        }
        return dflt;
    }

    /** Stops accepting requests, waits briefly for those in flight, and stops the workers. */
    @Override
    public void close() {
        server.stop(1);
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
