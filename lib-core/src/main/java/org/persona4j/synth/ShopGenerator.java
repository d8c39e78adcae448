package org.persona4j.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.Progress;
import org.persona4j.core.ProgressListener;
import org.persona4j.core.UserAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates a synthetic shop from a {@link ShopConfig}: a catalogue, planted personas, users and
 * their sessions. {@link #generate()} returns it in memory (for tests, up to about a million
 * events); {@link #writeTo(Path, ProgressListener)} streams it to files with memory bounded by the
 * users, items and one simulated day, so tens of millions of events work. Both produce the same
 * events, and the same configuration always produces the same bytes, whatever the thread count.
 *
 * <p>Instances are immutable apart from the simulation each call runs privately; calls may run
 * concurrently. See {@code docs/generator.md} for the model.
 */
public final class ShopGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(ShopGenerator.class);
    private static final long DAY = 86_400_000L;
    /** Mean events per shopper session, used only to estimate the total for progress bars. */
    private static final double EVENTS_PER_SESSION = 7.0;
    private static final double EVENTS_PER_BOT_SESSION = 33.0;
    static final String[] MALFORMED_KINDS = {"bad_timestamp", "unknown_type", "missing_fields", "negative_quantity",
        "empty_user", "bad_price"};
    private static final byte[][] TYPE_BYTES = new byte[EventType.count()][];

    static {
        for (EventType t : EventType.values()) {
            TYPE_BYTES[t.ordinal()] = t.name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Names of the files {@link #writeTo} writes, in order. */
    public static final List<String> FILES = List.of("events.csv", "items.csv", "users.csv", "personas.csv", "personas.json",
            "truth.csv");
    /** Header of truth.csv. */
    public static final String TRUTH_HEADER = "user_id,persona,checkout_rate,lapse_rate,lapsed,lapse_at";
    /** Header of events.csv. */
    public static final String EVENTS_HEADER = "user_id,item_id,event_type,timestamp,session_id,query,rating,dwell_ms,quantity,price,review_text";

    private final ShopConfig config;

    /**
     * @param config the settings, not null
     */
    public ShopGenerator(ShopConfig config) {
        if (config == null) {
            throw new BadInputException("ShopGenerator: config must not be null");
        }
        this.config = config;
    }

    /** @return the settings */
    public ShopConfig config() {
        return config;
    }

    /**
     * Generates the whole shop in memory: the events {@link #writeTo} would write (duplicates
     * included, malformed rows left out), the catalogue, the users and the personas.
     *
     * @return the shop
     */
    public SyntheticShop generate() {
        ShopModel m = new ShopModel(config);
        List<BehaviorEvent> events = new ArrayList<>();
        String[] userIds = new String[m.nUsers];
        String[] itemIds = new String[m.nItems];
        String[] lastSession = new String[m.nUsers];
        int[] lastSessionNo = new int[m.nUsers];
        simulate(m, e -> {
            int u = e.user;
            if (userIds[u] == null) {
                userIds[u] = ShopModel.userId(u);
            }
            if (e.item >= 0 && itemIds[e.item] == null) {
                itemIds[e.item] = ShopModel.itemId(e.item);
            }
            if (lastSessionNo[u] != e.session) {
                lastSessionNo[u] = e.session;
                lastSession[u] = ShopModel.sessionId(u, e.session);
            }
            BehaviorEvent.Builder b = BehaviorEvent.builder(userIds[u], e.item < 0 ? null : itemIds[e.item], e.eventType(), e.ts)
                    .session(lastSession[u]).query(e.query).reviewText(e.review);
            if (e.rating > 0) {
                b.rating(e.rating);
            }
            if (e.dwell >= 0) {
                b.dwellMillis(e.dwell);
            }
            if (e.qty > 0) {
                b.quantity(e.qty);
            }
            if (e.cents >= 0) {
                b.price(e.cents / 100.0);
            }
            events.add(b.build());
        }, ProgressListener.NONE, new long[1]);
        List<Item> items = new ArrayList<>(m.nItems);
        for (int i = 0; i < m.nItems; i++) {
            items.add(item(m, i));
        }
        Map<String, UserAttributes> users = new LinkedHashMap<>();
        Map<String, String> personaOf = new LinkedHashMap<>();
        Map<String, UserTruth> truth = new LinkedHashMap<>();
        for (int u = 0; u < m.nUsers; u++) {
            users.put(ShopModel.userId(u), user(m, u));
            personaOf.put(ShopModel.userId(u), m.personaId(u));
            truth.put(ShopModel.userId(u), m.truth(u));
        }
        return new SyntheticShop(events, new InMemoryCatalog(items), users, m.personaList(), personaOf, truth);
    }

    private static Item item(ShopModel m, int i) {
        String[] text = m.itemText(i);
        return new Item(ShopModel.itemId(i), List.of(m.leafPath[m.itemLeaf[i]]), m.brand(i), m.itemCents[i] / 100.0,
                text[0], text[1], Map.of());
    }

    private static UserAttributes user(ShopModel m, int u) {
        Object[] a = m.userAttributes(u);
        return new UserAttributes(ShopModel.userId(u), (Integer) a[0], (String) a[1], (String) a[2], (String) a[3], Map.of());
    }

    /**
     * Writes the shop into {@code dir} (created if missing; existing files of the same names are
     * replaced): {@code events.csv} in time order, {@code items.csv}, {@code users.csv},
     * {@code personas.csv} and {@code personas.json}, formats as in {@code docs/data-formats.md}.
     * Events are simulated one day at a time and streamed, so memory stays bounded by the users,
     * the items and one day of events.
     *
     * @param dir the output folder
     * @param progress receives progress in events (the total is an estimate until the end), may be null
     * @return what was written
     * @throws UncheckedIOException when a file cannot be written
     */
    public GenerationSummary writeTo(Path dir, ProgressListener progress) {
        ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(dir);
            ShopModel m = new ShopModel(config);
            LOG.info("generating shop into {}: {}", dir, config);
            List<Path> files = new ArrayList<>();
            long bytes = 0;
            Path events = dir.resolve("events.csv");
            Map<EventType, Long> perType = new EnumMap<>(EventType.class);
            long[] counters = new long[4]; // events, duplicates, malformed, sessions
            Map<String, Long> malformed = new LinkedHashMap<>();
            for (String k : MALFORMED_KINDS) {
                malformed.put(k, 0L);
            }
            long[] typeCounts = new long[EventType.count()];
            try (CsvOut out = new CsvOut(Files.newOutputStream(events))) {
                out.raw(EVENTS_HEADER.getBytes(StandardCharsets.US_ASCII)).newline();
                Rng bad = new Rng(Rng.seedOf(m.seed, ShopModel.STREAM_MALFORMED, 0));
                double badRate = config.malformedRate();
                long[] kindCounts = new long[MALFORMED_KINDS.length];
                long[] sessions = new long[1];
                writeEvents(m, out, listener, sessions, (ts, o) -> {
                    if (badRate > 0 && bad.chance(badRate)) {
                        int k = bad.nextInt(MALFORMED_KINDS.length);
                        writeMalformed(o, k, bad, m, ts);
                        kindCounts[k]++;
                        counters[2]++;
                    }
                }, typeCounts, counters);
                counters[3] = sessions[0];
                for (int k = 0; k < MALFORMED_KINDS.length; k++) {
                    malformed.put(MALFORMED_KINDS[k], kindCounts[k]);
                }
            }
            files.add(events);
            for (EventType t : EventType.values()) {
                perType.put(t, typeCounts[t.ordinal()]);
            }
            Path items = dir.resolve("items.csv");
            try (CsvOut out = new CsvOut(Files.newOutputStream(items))) {
                out.ascii("item_id,category_path,brand,price,title,description").newline();
                for (int i = 0; i < m.nItems; i++) {
                    String[] text = m.itemText(i);
                    out.ch('i').num(i + 1L).comma().text(m.leafLabel[m.itemLeaf[i]]).comma().text(m.brand(i)).comma()
                            .cents(m.itemCents[i]).comma().text(text[0]).comma().text(text[1]).newline();
                }
            }
            files.add(items);
            Path users = dir.resolve("users.csv");
            try (CsvOut out = new CsvOut(Files.newOutputStream(users))) {
                out.ascii("user_id,age,gender,region,occupation").newline();
                for (int u = 0; u < m.nUsers; u++) {
                    Object[] a = m.userAttributes(u);
                    out.ch('u').num(u + 1L).comma();
                    int age = (Integer) a[0];
                    if (age >= 0) {
                        out.num(age);
                    }
                    out.comma().text((String) a[1]).comma().text((String) a[2]).comma().text((String) a[3]).newline();
                }
            }
            files.add(users);
            Path personaCsv = dir.resolve("personas.csv");
            try (CsvOut out = new CsvOut(Files.newOutputStream(personaCsv))) {
                out.ascii("user_id,persona").newline();
                for (int u = 0; u < m.nUsers; u++) {
                    out.ch('u').num(u + 1L).comma().text(m.personaId(u)).newline();
                }
            }
            files.add(personaCsv);
            Path json = dir.resolve("personas.json");
            writePersonasJson(m, json);
            files.add(json);
            Path truthCsv = dir.resolve("truth.csv");
            try (CsvOut out = new CsvOut(Files.newOutputStream(truthCsv))) {
                out.ascii(TRUTH_HEADER).newline();
                for (int u = 0; u < m.nUsers; u++) {
                    UserTruth t = m.truth(u);
                    out.ch('u').num(u + 1L).comma().text(t.personaId()).comma();
                    if (!Double.isNaN(t.checkoutRate())) {
                        out.ascii(rate(t.checkoutRate())).comma().ascii(rate(t.lapseRate()));
                    } else {
                        out.comma();
                    }
                    out.comma().ascii(t.lapsed() ? "true" : "false").comma();
                    if (t.lapsed()) {
                        out.num(t.lapseAtMillis());
                    }
                    out.newline();
                }
            }
            files.add(truthCsv);
            for (Path f : files) {
                bytes += Files.size(f);
            }
            GenerationSummary summary = new GenerationSummary(m.nUsers, m.botUsers, m.nItems, m.personas.length, counters[3],
                    counters[0], perType, counters[1], counters[2], malformed, files, bytes, System.nanoTime() - t0);
            LOG.info("generated {} events for {} users in {} s", summary.events(), summary.users(),
                    String.format(java.util.Locale.ROOT, "%.1f", summary.elapsedNanos() / 1e9));
            return summary;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the shop into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void writePersonasJson(ShopModel m, Path file) throws IOException {
        int[] members = new int[m.personas.length];
        for (int p : m.userPersona) {
            if (p >= 0) {
                members[p]++;
            }
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("seed", m.seed);
        root.put("users", m.nUsers);
        root.put("botUsers", m.botUsers);
        root.put("botPersonaId", SyntheticShop.BOT);
        List<Map<String, Object>> list = new ArrayList<>();
        for (int p = 0; p < m.personas.length; p++) {
            Persona ps = m.personas[p];
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", ps.id());
            o.put("name", ps.name());
            o.put("favoriteCategory", ps.favoriteCategory());
            o.put("categoryWeights", ps.categoryWeights());
            o.put("priceSensitivity", ps.priceSensitivity());
            o.put("activity", ps.activity());
            o.put("preferredHours", ps.preferredHours());
            if (m.cfg.hasPlantedOutcomes()) {
                o.put("checkoutRate", m.personaCheckout[p]);
                o.put("lapseRate", m.personaLapse[p]);
            }
            o.put("users", members[p]);
            list.add(o);
        }
        root.put("personas", list);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        byte[] b = mapper.writeValueAsBytes(root);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(b);
            out.write('\n');
        }
    }

    private static String rate(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static void writeEvent(CsvOut out, Ev e) throws IOException {
        out.ch('u').num(e.user + 1L).comma();
        if (e.item >= 0) {
            out.ch('i').num(e.item + 1L);
        }
        out.comma().raw(TYPE_BYTES[e.type]).comma().num(e.ts).comma()
                .ch('u').num(e.user + 1L).ch('-').num(e.session).comma().text(e.query).comma();
        if (e.rating > 0) {
            out.num(e.rating);
        }
        out.comma();
        if (e.dwell >= 0) {
            out.num(e.dwell);
        }
        out.comma();
        if (e.qty > 0) {
            out.num(e.qty);
        }
        out.comma();
        if (e.cents >= 0) {
            out.cents(e.cents);
        }
        out.comma().text(e.review).newline();
    }

    private static void writeMalformed(CsvOut out, int kind, Rng r, ShopModel m, long ts) throws IOException {
        long user = r.nextInt(m.nUsers) + 1L;
        long item = r.nextInt(m.nItems) + 1L;
        switch (kind) {
            case 0 -> out.ch('u').num(user).comma().ch('i').num(item).ascii(",VIEW,2026-02-30T25:61:00Z,,,,,,,").newline();
            case 1 -> out.ch('u').num(user).comma().ch('i').num(item).ascii(",TELEPORT,").num(ts).ascii(",,,,,,,").newline();
            case 2 -> out.ch('u').num(user).comma().ch('i').num(item).newline();
            case 3 -> out.ch('u').num(user).comma().ch('i').num(item).ascii(",PURCHASE,").num(ts).ascii(",,,,,-2,9.99,").newline();
            case 4 -> out.comma().ch('i').num(item).ascii(",VIEW,").num(ts).ascii(",,,,,,,").newline();
            default -> out.ch('u').num(user).comma().ch('i').num(item).ascii(",PURCHASE,").num(ts).ascii(",,,,,1,twelve,").newline();
        }
    }

    /** Receives simulated events in time order. */
    private interface Sink {
        void accept(Ev e);
    }

    /** Called after each valid row of events.csv (to insert noise). */
    private interface AfterRow {
        void accept(long ts, CsvOut out) throws IOException;
    }

    /** Rows of events.csv already formatted, with their times: one simulated chunk of users, or the carry-over. */
    private static final class Block {
        final CsvOut bytes;
        int[] off;
        long[] ts;
        int n;
        final long[] typeCounts = new long[EventType.count()];
        long duplicates;

        Block(int rows) {
            bytes = new CsvOut(Math.max(1, rows) * 64);
            off = new int[Math.max(1, rows) + 1];
            ts = new long[Math.max(1, rows)];
        }

        void endRow(long t) {
            if (n == ts.length) {
                ts = java.util.Arrays.copyOf(ts, 2 * n);
                off = java.util.Arrays.copyOf(off, 2 * n + 1);
            }
            ts[n] = t;
            off[++n] = bytes.size();
        }
    }

    /** Simulates users [from, to) on day d and formats their events as CSV rows (on a worker thread). */
    private static Block simulateBlock(EventSimulator sim, int d, int from, int to) throws IOException {
        List<Ev> evs = new ArrayList<>();
        for (int u = from; u < to; u++) {
            sim.userDay(u, d, evs);
        }
        if (evs.size() >= 1 << 24) {
            throw new IllegalStateException("more than 2^24 events in one chunk of users " + from + ".." + to);
        }
        Block b = new Block(evs.size());
        for (Ev e : evs) {
            writeEvent(b.bytes, e);
            b.endRow(e.ts);
            b.typeCounts[e.type]++;
            if (e.duplicate) {
                b.duplicates++;
            }
        }
        return b;
    }

    /** @return {sessions, estimated events} from the exact session counts (for the progress total) */
    private static long[] estimate(ShopModel m, EventSimulator sim, int days) {
        long sessions = 0;
        double estimate = 0;
        for (int u = 0; u < m.nUsers; u++) {
            for (int d = 0; d < days; d++) {
                int n = sim.sessionCount(sim.dayStream(u, d), u, d);
                sessions += n;
                estimate += n * (m.userPersona[u] < 0 ? EVENTS_PER_BOT_SESSION : EVENTS_PER_SESSION);
            }
        }
        return new long[] {sessions, Math.max(1, (long) estimate)};
    }

    /**
     * The streaming form of {@link #simulate}: worker threads simulate and format chunks of users
     * of the next day while the calling thread sorts the rows of the current day by time (ties in
     * the same simulation order as {@link #simulate}) and writes them.
     */
    private void writeEvents(ShopModel m, CsvOut out, ProgressListener progress, long[] sessionsOut, AfterRow afterRow,
                             long[] typeCounts, long[] counters) throws IOException {
        EventSimulator sim = new EventSimulator(m);
        long t0 = System.nanoTime();
        int days = config.days();
        long[] est = estimate(m, sim, days);
        sessionsOut[0] = est[0];
        long total = est[1];
        int threads = Math.min(config.threads(), Math.max(1, m.nUsers / 500));
        int chunks = Math.min(2000, Math.max(threads > 1 ? threads * 4 : 1, (m.nUsers + 49_999) / 50_000));
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, namedThreads()) : null;
        try {
            Block carry = new Block(16);
            long emitted = 0;
            long startMs = config.start().toEpochMilli();
            List<Future<Block>> next = pool == null ? null : submitBlocks(pool, sim, m.nUsers, 0, chunks);
            for (int d = 0; d < days; d++) {
                List<Block> blocks = new ArrayList<>(chunks + 1);
                blocks.add(carry);
                if (pool == null) {
                    for (int c = 0; c < chunks; c++) {
                        blocks.add(simulateBlock(sim, d, (int) ((long) m.nUsers * c / chunks),
                                (int) ((long) m.nUsers * (c + 1) / chunks)));
                    }
                } else {
                    for (Future<Block> f : next) {
                        blocks.add(f.get());
                    }
                    next = d + 1 < days ? submitBlocks(pool, sim, m.nUsers, d + 1, chunks) : null;
                }
                long dayStart = startMs + d * DAY;
                long end = dayStart + DAY;
                int n = 0;
                for (int bi = 0; bi < blocks.size(); bi++) {
                    Block b = blocks.get(bi);
                    n += b.n;
                    if (bi > 0) {
                        for (int t = 0; t < typeCounts.length; t++) {
                            typeCounts[t] += b.typeCounts[t];
                        }
                        counters[1] += b.duplicates;
                    }
                }
                long[] keys = new long[n];
                int i = 0;
                for (int bi = 0; bi < blocks.size(); bi++) {
                    Block b = blocks.get(bi);
                    for (int k = 0; k < b.n; k++) {
                        long rel = b.ts[k] - dayStart;
                        if (rel < 0 || rel >= 1L << 28) {
                            throw new IllegalStateException("event time " + b.ts[k] + " outside the window of day " + d);
                        }
                        // 28 bits of time in the day window, 11 bits of block, 24 bits of row
                        keys[i++] = (rel << 35) | ((long) bi << 24) | k;
                    }
                }
                java.util.Arrays.sort(keys);
                boolean last = d == days - 1;
                Block newCarry = new Block(16);
                for (long key : keys) {
                    Block b = blocks.get((int) ((key >>> 24) & 0x7FF));
                    int k = (int) (key & 0xFFFFFF);
                    int from = b.off[k];
                    int len = b.off[k + 1] - from;
                    long ts = b.ts[k];
                    if (last || ts < end) {
                        out.raw(b.bytes.buffer(), from, len);
                        emitted++;
                        afterRow.accept(ts, out);
                    } else {
                        newCarry.bytes.raw(b.bytes.buffer(), from, len);
                        newCarry.endRow(ts);
                    }
                }
                carry = newCarry;
                progress.onProgress(new Progress("generate", emitted, Math.max(total, emitted + 1), "events",
                        System.nanoTime() - t0, Map.of()));
            }
            counters[0] = emitted;
            progress.onProgress(new Progress("generate", emitted, emitted, "events", System.nanoTime() - t0, Map.of()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("generation interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(c);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private static List<Future<Block>> submitBlocks(ExecutorService pool, EventSimulator sim, int users, int d, int chunks) {
        List<Future<Block>> parts = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) users * c / chunks);
            int to = (int) ((long) users * (c + 1) / chunks);
            parts.add(pool.submit(() -> simulateBlock(sim, d, from, to)));
        }
        return parts;
    }

    /**
     * Runs the simulation day by day: each day, the sessions starting that day are simulated
     * (users split into chunks over the configured threads, while the calling thread sorts and
     * emits the day before), merged with the events that spilled over from the previous day,
     * sorted by time (ties in simulation order: carried-over events first, then by user, then in
     * the user's own order) and emitted up to midnight.
     */
    private void simulate(ShopModel m, Sink sink, ProgressListener progress, long[] sessionsOut) {
        EventSimulator sim = new EventSimulator(m);
        long t0 = System.nanoTime();
        int days = config.days();
        long[] est = estimate(m, sim, days);
        sessionsOut[0] = est[0];
        long total = est[1];
        int threads = Math.min(config.threads(), Math.max(1, m.nUsers / 500));
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, namedThreads()) : null;
        try {
            int chunks = threads > 1 ? threads * 4 : 1;
            List<Ev> carry = new ArrayList<>();
            long emitted = 0;
            long startMs = config.start().toEpochMilli();
            List<Future<List<Ev>>> next = pool == null ? null : submitDay(pool, sim, m.nUsers, 0, chunks);
            for (int d = 0; d < days; d++) {
                List<Ev> day = new ArrayList<>(carry.size() + (int) Math.min(1 << 24, 2 * total / days + 16));
                day.addAll(carry);
                carry.clear();
                if (pool == null) {
                    for (int u = 0; u < m.nUsers; u++) {
                        sim.userDay(u, d, day);
                    }
                } else {
                    for (Future<List<Ev>> f : next) {
                        day.addAll(f.get());
                    }
                    // the next day is simulated while this one is sorted and written
                    next = d + 1 < days ? submitDay(pool, sim, m.nUsers, d + 1, chunks) : null;
                }
                long dayStart = startMs + d * DAY;
                long end = dayStart + DAY;
                int n = day.size();
                long[] keys = new long[n];
                for (int k = 0; k < n; k++) {
                    // time since the day began (< 2^31 ms) above the position in the list
                    keys[k] = ((day.get(k).ts - dayStart) << 32) | k;
                }
                java.util.Arrays.sort(keys);
                boolean last = d == days - 1;
                for (int k = 0; k < n; k++) {
                    Ev e = day.get((int) keys[k]);
                    if (last || e.ts < end) {
                        sink.accept(e);
                        emitted++;
                    } else {
                        carry.add(e);
                    }
                }
                progress.onProgress(new Progress("generate", emitted, Math.max(total, emitted + 1), "events",
                        System.nanoTime() - t0, Map.of()));
            }
            progress.onProgress(new Progress("generate", emitted, emitted, "events", System.nanoTime() - t0, Map.of()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("generation interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private static List<Future<List<Ev>>> submitDay(ExecutorService pool, EventSimulator sim, int users, int d, int chunks) {
        List<Future<List<Ev>>> parts = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) users * c / chunks);
            int to = (int) ((long) users * (c + 1) / chunks);
            parts.add(pool.submit(() -> {
                List<Ev> part = new ArrayList<>();
                for (int u = from; u < to; u++) {
                    sim.userDay(u, d, part);
                }
                return part;
            }));
        }
        return parts;
    }

    private static java.util.concurrent.ThreadFactory namedThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "persona4j-synth-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
