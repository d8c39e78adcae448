package org.persona4j.examples.serve;

import com.fasterxml.jackson.core.JsonParser;
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
import java.net.URI;
import java.net.URLDecoder;
import java.security.MessageDigest;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Ids;
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
 *
 * <p>Exposure ({@link Options}): the server binds to loopback unless told otherwise. With a token,
 * every request (including {@code /health}) needs {@code Authorization: Bearer <token>} (401
 * otherwise; compared in constant time). A request with an {@code Origin} header is served only
 * when that origin is the server's own, a loopback origin, or listed (403 otherwise), so a web page
 * elsewhere cannot drive the service through a browser. POST bodies must be
 * {@code application/json} (415) and exactly one JSON value (400 on trailing data).
 *
 * <p>Read deadline: a request body not received within {@link Options#readTimeout(Duration)}
 * (default 10 s) drops the connection and frees its worker. Workers are {@code threads} plus
 * {@value #SLOW_CLIENT_ALLOWANCE} kept for requests still being received, so stalled clients do not
 * starve the others (e.g. {@code /health}) in the meantime. A client stalling in the request
 * <em>headers</em> is the JDK server's to drop: {@code persona4j serve} sets its
 * {@code sun.net.httpserver.maxReqTime} to the same deadline.
 */
public final class EngineHttpServer implements AutoCloseable {
    /** Largest accepted request body. */
    public static final int MAX_BODY_BYTES = 4 << 20;
    /** Largest k for recommendations. */
    public static final int MAX_K = 1_000;
    /** Workers added to {@code threads} for requests whose body is still arriving. */
    public static final int SLOW_CLIENT_ALLOWANCE = 64;
    private static final Logger LOG = LoggerFactory.getLogger(EngineHttpServer.class);

    private final PersonaEngine engine;
    private final HttpServer server;
    private final ExecutorService pool;
    private final ScheduledExecutorService watchdog;
    private final JsonMapping json = new JsonMapping();
    private final byte[] tokenHash;
    private final Set<String> allowedOrigins;
    private final long readTimeoutMillis;

    /**
     * How the server is exposed. Defaults: loopback, any free port, 8 worker threads, no token,
     * no extra allowed origins, a 10 s read deadline.
     */
    public static final class Options {
        private InetAddress bind = InetAddress.getLoopbackAddress();
        private int port;
        private int threads = 8;
        private String token;
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private Duration readTimeout = Duration.ofSeconds(10);

        /** @param v the address to bind (default loopback) @return this */
        public Options bind(InetAddress v) {
            this.bind = Objects.requireNonNull(v, "bind");
            return this;
        }

        /** @param v the port, 0 for any free one (default 0) @return this */
        public Options port(int v) {
            if (v < 0 || v > 65_535) {
                throw new BadInputException("server: field 'port': expected 0..65535, was " + v);
            }
            this.port = v;
            return this;
        }

        /** @param v worker threads, >= 1 (default 8) @return this */
        public Options threads(int v) {
            if (v < 1) {
                throw new BadInputException("server: field 'threads': expected >= 1, was " + v);
            }
            this.threads = v;
            return this;
        }

        /**
         * @param v the bearer token every request must present, at least 16 characters, or null for
         *     none (default)
         * @return this
         */
        public Options token(String v) {
            if (v != null && v.strip().length() < 16) {
                throw new BadInputException("server: field 'token': expected at least 16 characters, was "
                        + v.strip().length());
            }
            this.token = v == null ? null : v.strip();
            return this;
        }

        /**
         * @param file a file holding the bearer token (surrounding whitespace and line breaks ignored)
         * @return this
         * @throws IOException when the file cannot be read
         */
        public Options tokenFile(java.nio.file.Path file) throws IOException {
            String t = java.nio.file.Files.readString(file, StandardCharsets.UTF_8).strip();
            if (t.length() < 16) {
                throw new BadInputException("token file " + file + ": expected a token of at least 16 characters, found "
                        + t.length());
            }
            this.token = t;
            return this;
        }

        /**
         * @param origin an origin allowed besides the server's own and loopback, such as
         *     {@code https://shop.example.com} (scheme, host and port, no path)
         * @return this
         */
        public Options allowOrigin(String origin) {
            if (origin == null || origin.isBlank() || origin.endsWith("/")) {
                throw new BadInputException("server: allowed origin '" + origin
                        + "': expected scheme://host[:port] without a trailing slash");
            }
            allowedOrigins.add(origin.toLowerCase(Locale.ROOT));
            return this;
        }

        /** @param v how long a request body may take to arrive, > 0 (default 10 s) @return this */
        public Options readTimeout(Duration v) {
            if (v == null || v.isNegative() || v.isZero()) {
                throw new BadInputException("server: field 'readTimeout': expected > 0, was " + v);
            }
            this.readTimeout = v;
            return this;
        }
    }

    /**
     * Starts serving on the loopback interface, without a token.
     *
     * @param engine the engine (not closed by this server)
     * @param port the port, 0 for any free one
     * @param threads worker threads
     * @throws IOException when the port cannot be bound ({@link java.net.BindException} when it is in use)
     */
    public EngineHttpServer(PersonaEngine engine, int port, int threads) throws IOException {
        this(engine, new Options().port(port).threads(threads));
    }

    /**
     * Starts serving.
     *
     * @param engine the engine (not closed by this server)
     * @param opts address, port, threads, token, allowed origins, read deadline
     * @throws IOException when the address cannot be bound ({@link java.net.BindException} when the port is in use)
     */
    public EngineHttpServer(PersonaEngine engine, Options opts) throws IOException {
        this.engine = engine;
        this.tokenHash = opts.token == null ? null : sha256(opts.token);
        this.allowedOrigins = Set.copyOf(opts.allowedOrigins);
        this.readTimeoutMillis = opts.readTimeout.toMillis();
        this.server = HttpServer.create(new InetSocketAddress(opts.bind, opts.port), 1024);
        int workers = opts.threads + SLOW_CLIENT_ALLOWANCE;
        ThreadPoolExecutor tp = new ThreadPoolExecutor(workers, workers, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "persona4j-http");
                    t.setDaemon(true);
                    return t;
                });
        tp.allowCoreThreadTimeOut(true);
        this.pool = tp;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "persona4j-http-deadline");
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

    private static final class ReadDeadlineExceeded extends IOException {
        private static final long serialVersionUID = 1L;

        ReadDeadlineExceeded(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void handle(HttpExchange ex, Route route) throws IOException {
        Reply reply;
        try {
            checkOrigin(ex);
            checkToken(ex);
            reply = route.apply(ex);
        } catch (ReadDeadlineExceeded e) {
            LOG.debug("{}", e.getMessage());
            ex.close();
            return;
        } catch (HttpError e) {
            reply = error(e.status, e.getMessage());
        } catch (BadInputException e) {
            reply = error(400, e.getMessage());
        } catch (org.persona4j.engine.EngineOverloadedException e) {
            ex.getResponseHeaders().set("Retry-After", "1");
            reply = error(503, e.getMessage());
        } catch (org.persona4j.store.StoreException e) {
            // nothing of the request was acknowledged: the client may retry
            LOG.error("request failed in the store or journal: {} {}: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    e.toString());
            ex.getResponseHeaders().set("Retry-After", "1");
            reply = error(503, "storage unavailable: " + e.getClass().getSimpleName());
        } catch (JsonProcessingException e) {
            reply = error(400, "body: not valid JSON: " + e.getOriginalMessage());
        } catch (RuntimeException e) {
            LOG.error("request failed: {} {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
            reply = error(500, "internal error: " + e.getClass().getSimpleName());
        }
        if (reply.status() == 401) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"persona4j\"");
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

    private void checkOrigin(HttpExchange ex) {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin == null) {
            return; // not a browser's cross-origin request
        }
        String o = origin.strip().toLowerCase(Locale.ROOT);
        if (allowedOrigins.contains(o)) {
            return;
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host != null && (o.equals("http://" + host.toLowerCase(Locale.ROOT)) || o.equals("https://" + host.toLowerCase(Locale.ROOT)))) {
            return; // same origin
        }
        try {
            URI u = new URI(o);
            String h = u.getHost();
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && h != null
                    && (h.equals("localhost") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}") || h.equals("[::1]"))
                    && (u.getPath() == null || u.getPath().isEmpty())) {
                return; // loopback
            }
        } catch (java.net.URISyntaxException ignored) {
            // refused below
        }
        throw new HttpError(403, "header 'Origin': '" + Ids.truncate(origin, 100) + "' is not allowed: expected this server's "
                + "own origin or a loopback one; allow others with --allow-origin (Options.allowOrigin)");
    }

    private void checkToken(HttpExchange ex) {
        if (tokenHash == null) {
            return;
        }
        String h = ex.getRequestHeaders().getFirst("Authorization");
        String given = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : null;
        // compare hashes: constant time, and independent of the token's length
        if (given == null || !MessageDigest.isEqual(tokenHash, sha256(given))) {
            throw new HttpError(401, given == null
                    ? "header 'Authorization': expected 'Bearer <token>' (this server requires a token)"
                    : "header 'Authorization': the bearer token is not valid");
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    private JsonNode body(HttpExchange ex) throws IOException {
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        String mime = ct == null ? "" : ct.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json")) {
            throw new HttpError(415, "header 'Content-Type': expected 'application/json', was "
                    + (ct == null ? "absent" : "'" + Ids.truncate(ct, 100) + "'"));
        }
        byte[] b = readWithDeadline(ex);
        if (b.length == 0) {
            throw new BadInputException("body: expected JSON, was empty");
        }
        try (JsonParser p = json.mapper().createParser(b)) {
            JsonNode n = json.mapper().readTree(p);
            if (n == null || n.isMissingNode()) {
                throw new BadInputException("body: expected JSON, was only whitespace");
            }
            if (p.nextToken() != null) {
                throw new BadInputException("body: unexpected data after the JSON value at byte "
                        + p.currentTokenLocation().getByteOffset() + ": expected exactly one JSON value");
            }
            return n;
        }
    }

    /** Reads the whole body, dropping the connection when it has not arrived within the read deadline. */
    private byte[] readWithDeadline(HttpExchange ex) throws IOException {
        AtomicInteger state = new AtomicInteger(); // 0 reading, 1 done, 2 timed out
        ScheduledFuture<?> timer = watchdog.schedule(() -> {
            if (state.compareAndSet(0, 2)) {
                ex.close(); // before a reply: closes the connection, which ends the blocked read
            }
        }, readTimeoutMillis, TimeUnit.MILLISECONDS);
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY_BYTES + 1);
            if (!state.compareAndSet(0, 1)) {
                throw new ReadDeadlineExceeded("request body from " + ex.getRemoteAddress() + " not received within "
                        + readTimeoutMillis + " ms: connection dropped", null);
            }
            if (b.length > MAX_BODY_BYTES) {
                throw new HttpError(413, "body larger than " + MAX_BODY_BYTES + " bytes");
            }
            return b;
        } catch (IOException e) {
            if (state.get() == 2 || !state.compareAndSet(0, 1)) {
                throw e instanceof ReadDeadlineExceeded r ? r : new ReadDeadlineExceeded("request body from "
                        + ex.getRemoteAddress() + " not received within " + readTimeoutMillis + " ms: connection dropped", e);
            }
            throw e;
        } finally {
            timer.cancel(false);
        }
    }

    private static String decodePath(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("path: bad percent-escape in '" + Ids.truncate(raw, 100) + "': " + e.getMessage());
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
        String user = decodePath(parts[0]);
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
                String v = eq < 0 ? "" : decodePath(kv.substring(eq + 1));
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
        watchdog.shutdownNow();
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
