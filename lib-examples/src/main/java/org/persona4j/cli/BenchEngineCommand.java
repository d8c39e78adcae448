package org.persona4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.UserProfile;
import org.persona4j.core.UserState;
import org.persona4j.engine.PersonaEngine;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.recommend.EmbeddingRetrievalRecommender;
import org.persona4j.recommend.HnswVectorIndex;
import org.persona4j.recommend.IvfVectorIndex;
import org.persona4j.store.InMemoryProfileStore;
import org.persona4j.store.UserDataStore;
import org.persona4j.store.rocksdb.Durability;
import org.persona4j.store.rocksdb.RocksDbProfileStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j bench-engine}: in-process latency of the engine under concurrent clients —
 * ingest (with the real-time model update) and top-20 recommendation over a large catalogue — and,
 * with {@code --soak-events}, heap use while ingesting many events for many users.
 */
@Command(name = "bench-engine", mixinStandardHelpOptions = true,
        description = "Measure engine ingest and recommend latency under N client threads, and memory under a long ingest.")
public final class BenchEngineCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model artifact written by `train` (or the quickstart).")
    Path modelFile;

    @Option(names = "--items", defaultValue = "100000", description = "Catalogue size for retrieval; items beyond the model's get random embeddings of the model's dimension (default ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--users", defaultValue = "100000", description = "Distinct users (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--threads", defaultValue = "4", description = "Client threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--ingest", defaultValue = "200000", description = "Measured ingest calls (default ${DEFAULT-VALUE}).")
    int ingestCalls;

    @Option(names = "--queries", defaultValue = "20000", description = "Measured top-20 recommend calls (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--store", defaultValue = "memory", description = "memory or rocksdb (default ${DEFAULT-VALUE}).")
    String storeKind;

    @Option(names = "--store-dir", description = "RocksDB folder (default: a temporary folder).")
    Path storeDir;

    @Option(names = "--ann", description = "Retrieve through an approximate index (--index) instead of exact search.")
    boolean ann;

    @Option(names = "--index", defaultValue = "ivf", description = "The approximate index with --ann: ivf (the default: the"
            + " inverted file, IvfVectorIndex defaults) or hnsw (Lucene's graph, HnswVectorIndex defaults) (default ${DEFAULT-VALUE}).")
    String index;

    @Option(names = "--ivf-probes", defaultValue = "0", description = "IVF lists scanned per recommend (0: automatic,"
            + " 5.5*sqrt(lists)) (default ${DEFAULT-VALUE}).")
    int ivfProbes;

    @Option(names = "--ivf-spread", defaultValue = "0", description = "IVF spread weight of the list ranking, 0..1"
            + " (IvfVectorIndex.Params#spreadWeight) (default ${DEFAULT-VALUE}).")
    double ivfSpread;

    @Option(names = "--filler", defaultValue = "gaussian", description = "Embeddings of the catalogue items beyond the"
            + " model's: gaussian (independent values, sd 0.1: structureless, the hardest data for an approximate index) or"
            + " variants (a random trained item's embedding plus noise of a tenth of its spread: near-copies of real items,"
            + " like product variants) (default ${DEFAULT-VALUE}).")
    String filler;

    @Option(names = "--cache", defaultValue = "100000", description = "Engine maxCachedUsers (default ${DEFAULT-VALUE}).")
    long cache;

    @Option(names = "--flush-ms", defaultValue = "500", description = "Engine write-behind interval in ms; 0 = only on eviction and close (default ${DEFAULT-VALUE}).")
    long flushMs;

    @Option(names = "--flush-duty", defaultValue = "0.25", description = "Engine flushDutyCycle: the largest share of its time the"
            + " background writer spends writing, in (0, 1] (default ${DEFAULT-VALUE}).")
    double flushDuty;

    @Option(names = "--soak-events", defaultValue = "0", description = "After the latency runs, ingest this many more events and report heap use (0 = skip).")
    long soakEvents;

    @Option(names = "--soak-users", defaultValue = "1000000", description = "Distinct users in the soak (default ${DEFAULT-VALUE}).")
    int soakUsers;

    @Option(names = "--rate", defaultValue = "0", description = "Open-loop load: calls per second over all client threads, each"
            + " thread paced at rate/threads, latency counted from each call's scheduled start (no coordinated omission);"
            + " 0 = closed loop, every thread calls back to back (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--recommend-rate", defaultValue = "-1", description = "Open-loop rate for the recommend phase"
            + " (default: --rate).")
    double recommendRate;

    @Option(names = "--sequential", description = "Measure ingest first, then recommend, instead of both at once"
            + " (by default the ingest calls and the recommend calls run at the same time, each kind on its own"
            + " --threads client threads and its own schedule: recommend latency while events stream in).")
    boolean sequential;

    @Option(names = "--journal", description = "Turn on the engine's write-ahead event journal in this folder "
            + "(created; emptied first): every ingest waits for its record to be written (group commit).")
    Path journalDir;

    @Option(names = "--journal-durability", defaultValue = "SYNC", description = "SYNC (fsync before ingest returns) or "
            + "BUFFERED (written to the OS, no fsync) (default ${DEFAULT-VALUE}).")
    org.persona4j.engine.JournalDurability journalDurability;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Write the figures here as JSON.")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", description = "Write a latency report into this folder (created):"
            + " index.html with the settings and figures, latency-by-percentile and p50/p99/max-over-time charts (PNG)"
            + " for ingest and recommend, from schedule and service time, and the HdrHistogram percentile"
            + " distributions (hgrm) and interval logs (hlog).")
    Path reportDir;

    @Option(names = "--report-interval-ms", defaultValue = "1000", description = "Interval of the report's over-time"
            + " charts and interval logs, in ms (default ${DEFAULT-VALUE}).")
    long reportIntervalMs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (reportIntervalMs <= 0) {
            throw new org.persona4j.core.BadInputException("--report-interval-ms: expected > 0, was " + reportIntervalMs);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        List<String> printed = new ArrayList<>();
        List<LatencyReport.Phase> phases = new ArrayList<>();
        Map<String, Long> phaseStarts = new LinkedHashMap<>();
        try (DeepProfileModel model = DeepProfileModel.load(modelFile)) {
            List<String> known = model.itemIds();
            if (!filler.equals("gaussian") && !filler.equals("variants")) {
                throw new org.persona4j.core.BadInputException("--filler: expected gaussian or variants, was '" + filler + "'");
            }
            ExpandedModel expanded = new ExpandedModel(model, items, seed, filler.equals("variants"));
            EmbeddingRetrievalRecommender.Builder rb = EmbeddingRetrievalRecommender.builder(expanded, expanded.ids);
            if (ann) {
                // the default index, built on every core (the build is not timed)
                int cores = Runtime.getRuntime().availableProcessors();
                rb.ann(switch (index) {
                    case "ivf" -> IvfVectorIndex.Params.defaults().withProbes(ivfProbes).withSpreadWeight(ivfSpread)
                            .withBuildThreads(cores);
                    case "hnsw" -> HnswVectorIndex.Params.defaults().withBuildThreads(cores);
                    default -> throw new org.persona4j.core.BadInputException("--index: expected ivf or hnsw, was '" + index + "'");
                });
            }
            long b0 = System.nanoTime();
            EmbeddingRetrievalRecommender retrieval = rb.build();
            double indexSeconds = (System.nanoTime() - b0) / 1e9;
            Path dir = storeDir;
            UserDataStore store;
            if (storeKind.equals("rocksdb")) {
                dir = dir == null ? Files.createTempDirectory("persona4j-bench-engine") : dir;
                store = RocksDbProfileStore.open(dir, Durability.BUFFERED);
            } else if (storeKind.equals("memory")) {
                store = new InMemoryProfileStore();
            } else {
                throw new org.persona4j.core.BadInputException("--store: expected memory or rocksdb, was '" + storeKind + "'");
            }
            report.put("model", model.version());
            report.put("model_items", known.size());
            report.put("catalogue_items", expanded.ids.size());
            report.put("filler", filler);
            report.put("embedding_dim", model.embeddingSize());
            report.put("threads", threads);
            report.put("store", storeKind);
            report.put("retrieval", ann ? index : "exact");
            report.put("index_build_seconds", indexSeconds);
            report.put("flush_ms", flushMs);
            report.put("flush_duty_cycle", flushDuty);
            double recRate = recommendRate >= 0 ? recommendRate : rate;
            report.put("load", rate > 0 || recRate > 0 ? "open loop" : "closed loop");
            report.put("phases", sequential ? "sequential" : "at once");
            report.put("ingest_rate", rate);
            report.put("recommend_rate", recRate);
            say(out, printed, String.format(Locale.ROOT,
                    "model %s: %d trained items, catalogue %d items (dim %d), %s retrieval, %s store, %d client threads",
                    model.version(), known.size(), expanded.ids.size(), model.embeddingSize(), ann ? index.toUpperCase(java.util.Locale.ROOT) : "exact",
                    storeKind, threads));
            PersonaEngine.Builder eb = PersonaEngine.builder(model).store(store).recommender(retrieval)
                    .maxCachedUsers(cache).flushInterval(Duration.ofMillis(flushMs)).flushDutyCycle(flushDuty).closeModels(false);
            if (journalDir != null) {
                emptyJournal(journalDir);
                eb.journal(journalDir).journalDurability(journalDurability);
                report.put("journal", journalDurability.name());
                say(out, printed, String.format(Locale.ROOT, "event journal on (%s) in %s", journalDurability, journalDir));
            } else {
                report.put("journal", "off");
            }
            try (PersonaEngine engine = eb.build()) {
                // warm-up: JIT and a first state for part of the users
                run(engine, known, Math.min(50_000, ingestCalls), 0, seed + 1, 0);
                Lat ing;
                Lat rec;
                if (sequential) {
                    phaseStarts.put("ingest", System.currentTimeMillis());
                    ing = run(engine, known, ingestCalls, 0, seed + 2, rate);
                    say(out, printed, "ingest    " + ing);
                    run(engine, known, 0, Math.min(2_000, queries), seed + 3, 0);
                    phaseStarts.put("recommend", System.currentTimeMillis());
                    rec = run(engine, known, 0, queries, seed + 4, recRate);
                } else {
                    run(engine, known, 0, Math.min(2_000, queries), seed + 3, 0);
                    long at = System.currentTimeMillis();
                    phaseStarts.put("ingest", at);
                    phaseStarts.put("recommend", at);
                    Lat[] both = run(engine, known, ingestCalls, queries, seed + 2, rate, recRate);
                    ing = both[0];
                    rec = both[1];
                    say(out, printed, "ingest    " + ing);
                }
                report.put("ingest", ing.toMap());
                say(out, printed, "recommend " + rec + "  (top-20)");
                report.put("recommend_top20", rec.toMap());
                say(out, printed, allocationLine(rec, ing));
                report.put("allocation", allocationMap(rec, ing));
                out.flush();
                phases.add(ing.phase("ingest", "Ingest"));
                phases.add(rec.phase("recommend", "Recommend (top-20)"));
                if (ann) {
                    double[] recall = annRecall(engine, retrieval, expanded);
                    say(out, printed, String.format(Locale.ROOT, "retrieval: %s recall@20 %.4f against exact search (%d users' requests"
                            + " after the run, the same filters; %.0f%% of the exact top 20 are filler vectors)",
                            index.toUpperCase(Locale.ROOT), recall[0], RECALL_USERS, 100 * recall[1]));
                    report.put("ann_recall_at_20", recall[0]);
                    report.put("exact_top20_filler_share", recall[1]);
                }
                if (soakEvents > 0) {
                    report.put("soak", soak(engine, known, out));
                }
                report.put("engine", engine.stats());
            }
            retrieval.close();
        }
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
            out.println("wrote " + json);
        }
        if (reportDir != null) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("command", "persona4j " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
            settings.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
            settings.put("gc", ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .map(java.lang.management.GarbageCollectorMXBean::getName).collect(java.util.stream.Collectors.joining(", ")));
            settings.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
            settings.put("available_processors", Runtime.getRuntime().availableProcessors());
            settings.put("users", users);
            settings.put("ingest_calls", ingestCalls);
            settings.put("recommend_calls", queries);
            settings.put("cache", cache);
            settings.put("seed", seed);
            report.forEach(settings::putIfAbsent);
            Path index = LatencyReport.write(reportDir, settings, printed, phases, reportIntervalMs, phaseStarts);
            out.println("wrote " + index);
        }
        out.flush();
        return 0;
    }

    /** Users whose requests measure the approximate index's recall after the run. */
    static final int RECALL_USERS = 500;

    /**
     * Recall@20 of the served (approximate) recommend against exact search, over the requests the
     * engine would build for {@link #RECALL_USERS} seeded users (their cached profile and recent
     * events, the default filters), and the share of the exact answers' items that are the
     * catalogue's random filler vectors rather than the model's trained items.
     */
    private double[] annRecall(PersonaEngine engine, EmbeddingRetrievalRecommender retrieval, ExpandedModel expanded) {
        SplittableRandom r = new SplittableRandom(seed + 5);
        double sum = 0;
        long fillerHits = 0;
        long all = 0;
        for (int i = 0; i < RECALL_USERS; i++) {
            String user = "u" + r.nextInt(users);
            RecommendationRequest req = RecommendationRequest.builder(20).user(user).profile(engine.profile(user))
                    .history(engine.recentEvents(user)).build();
            Set<String> exact = new HashSet<>();
            retrieval.recommendExact(req).forEach(x -> exact.add(x.itemId()));
            long hit = retrieval.recommend(req).stream().filter(x -> exact.contains(x.itemId())).count();
            sum += exact.isEmpty() ? 1 : hit / (double) exact.size();
            fillerHits += exact.stream().filter(expanded::isFiller).count();
            all += exact.size();
        }
        return new double[] {sum / RECALL_USERS, all == 0 ? 0 : fillerHits / (double) all};
    }

    /** Prints a line and keeps it for the report. */
    private static void say(PrintWriter out, List<String> printed, String line) {
        out.println(line);
        printed.add(line);
    }

    /** The calling threads' allocation per call, e.g. {@code allocation: recommend 12.3 KB/call, ingest 0.4 KB/call (calling threads)}. */
    static String allocationLine(Lat rec, Lat ing) {
        if (rec.allocatedBytes() < 0 || ing.allocatedBytes() < 0) {
            return "allocation: not measured (this JVM does not support ThreadMXBean#getThreadAllocatedBytes)";
        }
        return String.format(Locale.ROOT, "allocation: recommend %.1f KB/call, ingest %.1f KB/call (calling threads)",
                rec.bytesPerCall() / 1000.0, ing.bytesPerCall() / 1000.0);
    }

    private static Map<String, Object> allocationMap(Lat rec, Lat ing) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean ok = rec.allocatedBytes() >= 0 && ing.allocatedBytes() >= 0;
        m.put("measured", ok ? "calling threads, ThreadMXBean#getThreadAllocatedBytes around each call" : "unsupported");
        m.put("recommend_bytes_per_call", ok && !Double.isNaN(rec.bytesPerCall()) ? rec.bytesPerCall() : null);
        m.put("ingest_bytes_per_call", ok && !Double.isNaN(ing.bytesPerCall()) ? ing.bytesPerCall() : null);
        return m;
    }

    /**
     * The JVM's per-thread allocation counter, or null where unsupported (then allocation is not
     * measured).
     */
    private static final com.sun.management.ThreadMXBean ALLOCATION = allocationCounter();

    private static com.sun.management.ThreadMXBean allocationCounter() {
        try {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                    && t.isThreadAllocatedMemorySupported()) {
                if (!t.isThreadAllocatedMemoryEnabled()) {
                    t.setThreadAllocatedMemoryEnabled(true);
                }
                return t.getCurrentThreadAllocatedBytes() >= 0 ? t : null;
            }
        } catch (RuntimeException | LinkageError e) {
            // not on this JVM: allocation is reported as not measured
        }
        return null;
    }

    /** Bytes allocated so far by the calling thread (-1 when unsupported). */
    private static long allocated() {
        return ALLOCATION == null ? -1 : ALLOCATION.getCurrentThreadAllocatedBytes();
    }

    /** Removes earlier journal segments so that a run starts from an empty journal. */
    private static void emptyJournal(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (n.startsWith("events-") && n.endsWith(".p4wal")) {
                    Files.delete(f);
                }
            }
        }
    }

    private Map<String, Object> soak(PersonaEngine engine, List<String> known, PrintWriter out) throws Exception {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long maxUsed = 0;
        long step = Math.max(1, soakEvents / 10);
        long t0 = System.nanoTime();
        long done = 0;
        List<Map<String, Object>> samples = new ArrayList<>();
        while (done < soakEvents) {
            long n = Math.min(step, soakEvents - done);
            int base = (int) (done % Integer.MAX_VALUE);
            ingestSpread(engine, known, n, base);
            done += n;
            System.gc();
            long used = mem.getHeapMemoryUsage().getUsed();
            maxUsed = Math.max(maxUsed, used);
            double secs = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "soak %,d / %,d events (%,d users): heap used after GC %,d MiB, cached users %,d, %.0f events/s%n",
                    done, soakEvents, soakUsers, used >> 20, engine.stats().cachedUsers(), done / secs);
            out.flush();
            samples.add(Map.of("events", done, "heap_used_mib", used >> 20, "cached_users", engine.stats().cachedUsers()));
        }
        engine.flush();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", soakEvents);
        m.put("users", soakUsers);
        m.put("max_heap_used_after_gc_mib", maxUsed >> 20);
        m.put("heap_max_mib", mem.getHeapMemoryUsage().getMax() >> 20);
        m.put("samples", samples);
        m.put("seconds", (System.nanoTime() - t0) / 1e9);
        return m;
    }

    /** Ingests n events round-robin over the soak users (each user's events in time order). */
    private void ingestSpread(PersonaEngine engine, List<String> known, long n, int base) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                fs.add(pool.submit(() -> {
                    SplittableRandom r = new SplittableRandom(seed * 31 + base + thread);
                    for (long i = thread; i < n; i += threads) {
                        long g = base + i;
                        String user = "s" + (g % soakUsers);
                        engine.ingest(BehaviorEvent.of(user, known.get(r.nextInt(known.size())), EventType.VIEW,
                                1_767_571_200_000L + g));
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** One kind of call alone (a warm-up or a sequential phase). */
    private Lat run(PersonaEngine engine, List<String> known, int ingests, int recs, long s, double rate) throws Exception {
        Lat[] both = run(engine, known, ingests, recs, s, rate, rate);
        return ingests > 0 ? both[0] : both[1];
    }

    /**
     * One measured run of ingest and recommend calls at once: each kind has its own {@code threads}
     * client threads (an event stream's consumers and a web tier's request threads), all started
     * together. Open loop (rate {@code > 0}): thread t's i-th call of its kind is scheduled at
     * {@code start + i * threads / rate} (threads offset evenly), the thread waits for that time, and
     * a call's latency runs from its scheduled time, so a stall also counts against the calls it
     * delayed. Closed loop (rate {@code <= 0}): each thread calls back to back and a call's latency is
     * its own duration.
     *
     * @return the ingest figures and the recommend figures
     */
    private Lat[] run(PersonaEngine engine, List<String> known, int ingests, int recs, long s, double ingestRate,
                      double recRate) throws Exception {
        int[] count = {ingests, recs};
        double[] rates = {ingestRate, recRate};
        long[] interval = new long[2];
        for (int kind = 0; kind < 2; kind++) {
            interval[kind] = rates[kind] > 0 ? Math.max(1, Math.round(threads * 1e9 / rates[kind])) : 0;
        }
        long[][][] lat = new long[2][threads][];
        long[][][] svc = new long[2][threads][];
        long[][][] done = new long[2][threads][];
        long[][] alloc = new long[2][threads];
        ExecutorService pool = Executors.newFixedThreadPool(2 * threads);
        long t0 = System.nanoTime() + (interval[0] > 0 || interval[1] > 0 ? 10_000_000L : 0L);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int kind = 0; kind < 2; kind++) {
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    int k = kind;
                    int mine = count[kind] / threads + (thread < count[kind] % threads ? 1 : 0);
                    lat[kind][t] = new long[mine];
                    svc[kind][t] = new long[mine];
                    done[kind][t] = new long[mine];
                    if (mine == 0) {
                        continue;
                    }
                    fs.add(pool.submit(() -> clientThread(engine, known, k, thread, mine, s, t0, interval[k],
                            lat[k][thread], svc[k][thread], done[k][thread], alloc[k])));
                }
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return new Lat[] {summarize(lat[0], svc[0], done[0], alloc[0], t0, secs),
            summarize(lat[1], svc[1], done[1], alloc[1], t0, secs)};
    }

    /** One client thread's calls of one kind (0 ingest, 1 recommend); fills its latency arrays and allocation. */
    private void clientThread(PersonaEngine engine, List<String> known, int kind, int thread, int mine, long s, long t0,
                              long interval, long[] lat, long[] svc, long[] done, long[] alloc) {
        SplittableRandom r = new SplittableRandom(s * 1_000 + kind * 500 + thread);
        EventType[] types = {EventType.VIEW, EventType.VIEW, EventType.CLICK, EventType.ADD_TO_CART, EventType.PURCHASE};
        long start = t0 + interval * thread / threads;
        // allocation of the calls on this thread: the counter is read before the wait for the
        // call's slot and after its end, outside the timed span (the reads themselves allocate
        // nothing; the overhead of a pair of reads is measured and taken off)
        boolean counting = ALLOCATION != null;
        long overhead = 0;
        if (counting) {
            overhead = Long.MAX_VALUE;
            for (int k = 0; k < 16; k++) {
                long x = allocated();
                overhead = Math.min(overhead, allocated() - x);
            }
        }
        long bytes = 0;
        for (int i = 0; i < mine; i++) {
            String user = "u" + r.nextInt(users);
            long m0 = counting ? allocated() : 0;
            long a;
            if (interval > 0) {
                a = start + i * interval;
                long wait;
                while ((wait = a - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
            } else {
                a = System.nanoTime();
            }
            long began = System.nanoTime();
            if (kind == 0) {
                engine.ingest(BehaviorEvent.builder(user, known.get(r.nextInt(known.size())),
                        types[r.nextInt(types.length)], 1_767_571_200_000L + i).session("b" + thread).build());
            } else {
                engine.recommend(RecommendationRequest.builder(20).user(user).build());
            }
            long end = System.nanoTime();
            if (counting) {
                bytes += allocated() - m0 - overhead;
            }
            lat[i] = end - a;
            svc[i] = end - began;
            done[i] = end;
        }
        alloc[thread] = counting ? bytes : -1;
    }

    /** The figures of one kind of call from its per-thread latencies, service times and completion times. */
    private Lat summarize(long[][] lat, long[][] svc, long[][] done, long[] alloc, long t0, double secs) {
        long[] all = Arrays.stream(lat).flatMapToLong(Arrays::stream).sorted().toArray();
        // p99 of each tenth of the run (calls in schedule order): shows whether the tail is spread
        // over the run (contention) or bunched (a collection, a compilation, a resize)
        double[] tenths = new double[10];
        for (int k = 0; k < 10; k++) {
            List<Long> part = new ArrayList<>();
            for (long[] l : lat) {
                for (int i = l.length * k / 10; i < l.length * (k + 1) / 10; i++) {
                    part.add(l[i]);
                }
            }
            long[] p = part.stream().mapToLong(Long::longValue).sorted().toArray();
            tenths[k] = p.length == 0 ? 0 : p[(int) Math.min(p.length - 1, Math.floor(0.99 * p.length))] / 1e6;
        }
        long[] service = Arrays.stream(svc).flatMapToLong(Arrays::stream).sorted().toArray();
        long allocated = 0;
        for (long b : alloc) {
            allocated = b < 0 || allocated < 0 ? -1 : allocated + b;
        }
        // HdrHistograms of the same calls for the report: the whole run, and per interval by completion time
        long step = reportIntervalMs * 1_000_000L;
        Histogram hLat = new Histogram(3);
        Histogram hSvc = new Histogram(3);
        List<Histogram> iLat = new ArrayList<>();
        List<Histogram> iSvc = new ArrayList<>();
        for (int t = 0; t < lat.length; t++) {
            for (int i = 0; i < lat[t].length; i++) {
                hLat.recordValue(lat[t][i]);
                hSvc.recordValue(svc[t][i]);
                int k = (int) (Math.max(0, done[t][i] - t0) / step);
                while (iLat.size() <= k) {
                    iLat.add(new Histogram(3));
                    iSvc.add(new Histogram(3));
                }
                iLat.get(k).recordValue(lat[t][i]);
                iSvc.get(k).recordValue(svc[t][i]);
            }
        }
        return new Lat(all, secs, tenths, service, allocated, hLat, hSvc, iLat, iSvc);
    }

    /**
     * Latency figures of one run.
     *
     * @param sorted latencies from each call's scheduled start (open loop) or actual start, sorted
     * @param service each call's own duration, from the moment it was issued (the client thread's
     *     wake-up delay excluded), sorted; equal to {@code sorted} in a closed loop
     * @param allocatedBytes bytes the calling threads allocated in the calls (-1: not measured)
     * @param histogram {@code sorted} as an HdrHistogram (ns, 3 significant digits)
     * @param serviceHistogram {@code service} as an HdrHistogram
     * @param intervals per report interval (by completion time) the latencies from schedule
     * @param serviceIntervals per report interval the service times
     */
    record Lat(long[] sorted, double seconds, double[] p99ByTenth, long[] service, long allocatedBytes, Histogram histogram,
               Histogram serviceHistogram, List<Histogram> intervals, List<Histogram> serviceIntervals) {
        /** Bytes allocated per call on the calling threads; NaN when not measured. */
        double bytesPerCall() {
            return allocatedBytes < 0 || sorted.length == 0 ? Double.NaN : (double) allocatedBytes / sorted.length;
        }

        LatencyReport.Phase phase(String name, String heading) {
            return new LatencyReport.Phase(name, heading, new LatencyReport.Measure("from schedule", histogram, intervals),
                    new LatencyReport.Measure("service time", serviceHistogram, serviceIntervals));
        }

        double servicePct(double q) {
            return service.length == 0 ? 0 : service[(int) Math.min(service.length - 1, Math.floor(q * service.length))] / 1e6;
        }

        double pct(double q) {
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("calls", sorted.length);
            m.put("p50_ms", pct(0.50));
            m.put("p99_ms", pct(0.99));
            m.put("p999_ms", pct(0.999));
            m.put("max_ms", sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
            m.put("calls_per_second", sorted.length / seconds);
            m.put("p99_ms_by_tenth", p99ByTenth);
            m.put("service_p50_ms", servicePct(0.50));
            m.put("service_p99_ms", servicePct(0.99));
            m.put("service_p999_ms", servicePct(0.999));
            return m;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d calls: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.1f ms, %,.0f calls/s"
                    + " (service time p50 %.3f, p99 %.3f ms)",
                    sorted.length, pct(0.5), pct(0.99), pct(0.999), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6,
                    sorted.length / seconds, servicePct(0.5), servicePct(0.99));
        }
    }

    /**
     * The trained model with extra catalogue items: the model's own items keep their trained
     * embeddings, the extra ones ("filler") get seeded random vectors of the same dimension: by default
     * Gaussian, sd 0.1 per value, or with {@code variants} a random trained item's embedding plus
     * Gaussian noise of a tenth of the trained values' spread. The filler sets the catalogue's size;
     * the Gaussian kind is also the hardest data for an approximate index (independent, structureless
     * vectors), so recall is reported with it.
     */
    static final class ExpandedModel implements ProfileModel {
        private final ProfileModel inner;
        final List<String> ids;
        private final Map<String, float[]> extra = new java.util.HashMap<>();

        ExpandedModel(DeepProfileModel inner, int items, long seed, boolean variants) {
            this.inner = inner;
            List<String> all = new ArrayList<>(inner.itemIds());
            SplittableRandom r = new SplittableRandom(seed);
            int d = inner.embeddingSize();
            List<float[]> trained = new ArrayList<>();
            double sd = 0;
            if (variants) {
                double sum = 0;
                double sq = 0;
                for (String id : inner.itemIds()) {
                    float[] v = inner.itemEmbedding(id).orElse(null);
                    if (v != null && v.length == d) {
                        trained.add(v);
                        for (float x : v) {
                            sum += x;
                            sq += (double) x * x;
                        }
                    }
                }
                long n = (long) trained.size() * d;
                sd = n == 0 ? 0.1 : Math.sqrt(Math.max(0, sq / n - (sum / n) * (sum / n)));
            }
            for (int i = 0; all.size() < items; i++) {
                String id = "x" + i;
                float[] v = new float[d];
                if (variants && !trained.isEmpty()) {
                    float[] base = trained.get(r.nextInt(trained.size()));
                    for (int j = 0; j < d; j++) {
                        v[j] = (float) (base[j] + r.nextGaussian() * 0.1 * sd);
                    }
                } else {
                    for (int j = 0; j < d; j++) {
                        v[j] = (float) (r.nextGaussian() * 0.1);
                    }
                }
                extra.put(id, v);
                all.add(id);
            }
            this.ids = List.copyOf(all);
        }

        /** @param itemId an item id @return whether it is a filler item (not one of the model's) */
        boolean isFiller(String itemId) {
            return extra.containsKey(itemId);
        }

        @Override
        public String version() {
            return inner.version();
        }

        @Override
        public int embeddingSize() {
            return inner.embeddingSize();
        }

        @Override
        public UserState newState(String userId) {
            return inner.newState(userId);
        }

        @Override
        public UserState update(UserState state, BehaviorEvent event) {
            return inner.update(state, event);
        }

        @Override
        public UserState updateOwned(UserState state, BehaviorEvent event) {
            return inner.updateOwned(state, event);
        }

        @Override
        public UserProfile profile(UserState state) {
            return inner.profile(state);
        }

        @Override
        public UserProfile profile(UserState state, long asOfMillis) {
            return inner.profile(state, asOfMillis);
        }

        @Override
        public UserProfile profile(String userId, List<BehaviorEvent> history) {
            return inner.profile(userId, history);
        }

        @Override
        public UserProfile profile(String userId, List<BehaviorEvent> history, long asOfMillis) {
            return inner.profile(userId, history, asOfMillis);
        }

        @Override
        public Optional<float[]> itemEmbedding(String itemId) {
            float[] v = extra.get(itemId);
            return v != null ? Optional.of(v.clone()) : inner.itemEmbedding(itemId);
        }

        @Override
        public void close() {
        }
    }
}
