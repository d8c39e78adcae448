package org.persona4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.persona4j.core.Evidence;
import org.persona4j.core.Tag;
import org.persona4j.core.UserProfile;
import org.persona4j.store.InMemoryProfileStore;
import org.persona4j.store.UserDataStore;
import org.persona4j.store.redis.RedisProfileStore;
import org.persona4j.store.redis.RedisStoreConfig;
import org.persona4j.store.rocksdb.Durability;
import org.persona4j.store.rocksdb.RocksDbProfileStore;
import org.persona4j.testkit.redis.LocalRedisServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j bench-store}: put and get latency (p50, p99) and throughput of the profile
 * stores under concurrent client threads: in-memory, RocksDB with SYNC and BUFFERED durability,
 * and Redis (a private {@code redis-server} on loopback, or {@code --redis host:port}).
 */
@Command(name = "bench-store", mixinStandardHelpOptions = true,
        description = "Measure put/get latency and throughput of the profile stores under concurrent threads.")
public final class BenchStoreCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--stores", split = ",", defaultValue = "in-memory,rocksdb-sync,rocksdb-buffered,redis",
            description = "Stores to measure (default ${DEFAULT-VALUE}).")
    List<String> stores;

    @Option(names = "--threads", defaultValue = "4", description = "Client threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--users", defaultValue = "10000", description = "Distinct users, all written before the timed phases (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--ops", defaultValue = "20000", description = "Timed puts, then as many timed gets, per store (default ${DEFAULT-VALUE}).")
    int ops;

    @Option(names = "--dim", defaultValue = "64", description = "Embedding size of the profiles (default ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--dir", description = "Directory for the RocksDB stores (default: a temporary directory, deleted afterwards).")
    Path dir;

    @Option(names = "--redis", description = "host:port of a Redis server to use instead of starting redis-server on loopback.")
    String redis;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Also write the figures here as JSON.")
    Path json;

    /** One measured phase. */
    record Figures(String store, String op, int threads, long ops, double opsPerSecond, double p50Micros, double p99Micros) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (threads < 1 || users < 1 || ops < threads || dim < 0) {
            err.println("bench-store: expected --threads >= 1, --users >= 1, --ops >= --threads, --dim >= 0; got threads=" + threads
                    + ", users=" + users + ", ops=" + ops + ", dim=" + dim);
            return 2;
        }
        UserProfile[] profiles = new UserProfile[users];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < users; i++) {
            profiles[i] = profile("user-" + i, r);
        }
        boolean tempDir = dir == null;
        Path base = tempDir ? Files.createTempDirectory("p4j-bench-store") : Files.createDirectories(dir);
        List<Figures> all = new ArrayList<>();
        LocalRedisServer server = null;
        try {
            out.printf(Locale.ROOT, "bench-store: %d threads, %d users, %d timed puts and gets per store, embedding %d, seed %d%n",
                    threads, users, ops, dim, seed);
            out.printf(Locale.ROOT, "%-18s %-4s %12s %10s %10s%n", "store", "op", "ops/s", "p50 us", "p99 us");
            for (String name : stores) {
                UserDataStore store;
                switch (name.trim()) {
                    case "in-memory" -> store = new InMemoryProfileStore();
                    case "rocksdb-sync" -> store = RocksDbProfileStore.open(base.resolve("rocksdb-sync"), Durability.SYNC);
                    case "rocksdb-buffered" -> store = RocksDbProfileStore.open(base.resolve("rocksdb-buffered"), Durability.BUFFERED);
                    case "redis" -> {
                        RedisStoreConfig c;
                        if (redis != null) {
                            String[] hp = redis.split(":");
                            c = RedisStoreConfig.of(hp[0], Integer.parseInt(hp[1]));
                        } else {
                            Optional<Path> bin = LocalRedisServer.findBinary();
                            if (bin.isEmpty()) {
                                err.println("bench-store: redis-server not installed and no --redis given; skipping redis");
                                continue;
                            }
                            Path rd = Files.createDirectories(base.resolve("redis"));
                            server = LocalRedisServer.start(bin.get(), rd);
                            c = RedisStoreConfig.of(server.host(), server.port());
                        }
                        store = new RedisProfileStore(c.withKeyPrefix("bench:").withMaxConnections(Math.max(threads, 4)));
                    }
                    default -> {
                        err.println("bench-store: unknown store '" + name + "', expected in-memory, rocksdb-sync, rocksdb-buffered or redis");
                        return 2;
                    }
                }
                try (UserDataStore s = store) {
                    // untimed load so every get hits
                    run(s, profiles, users, true, 0);
                    Figures put = measure(name, "put", s, profiles, true);
                    Figures get = measure(name, "get", s, profiles, false);
                    for (Figures f : List.of(put, get)) {
                        out.printf(Locale.ROOT, "%-18s %-4s %12.0f %10.1f %10.1f%n", f.store(), f.op(), f.opsPerSecond(), f.p50Micros(),
                                f.p99Micros());
                        out.flush();
                        all.add(f);
                    }
                    if (s instanceof RedisProfileStore) {
                        for (UserProfile p : profiles) {
                            s.delete(p.userId());
                        }
                    }
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (tempDir) {
                deleteTree(base);
            }
        }
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("threads", threads);
            doc.put("users", users);
            doc.put("ops", ops);
            doc.put("dim", dim);
            doc.put("seed", seed);
            doc.put("java", System.getProperty("java.version"));
            doc.put("cores", Runtime.getRuntime().availableProcessors());
            doc.put("results", all);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
        }
        return 0;
    }

    private UserProfile profile(String id, SplittableRandom r) {
        float[] e = new float[dim];
        for (int i = 0; i < dim; i++) {
            e[i] = (float) (r.nextDouble() * 2 - 1);
        }
        Map<String, Double> interests = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            interests.put("category-" + r.nextInt(200), r.nextDouble());
        }
        return new UserProfile(id, e, interests, Map.of("purchase", r.nextDouble(), "churn", r.nextDouble()),
                Map.of("recency.days", (double) r.nextInt(365), "frequency", (double) r.nextInt(50), "monetary", r.nextDouble() * 1000),
                List.of(new Tag("category-preference", "prefers category-" + r.nextInt(200), 0.7, Evidence.of("share", 0.62))),
                Map.of("behaviour", "kmeans-" + r.nextInt(8)), r.nextInt(1000), Instant.ofEpochSecond(1_700_000_000L + r.nextInt(1_000_000)),
                "bench");
    }

    private Figures measure(String name, String op, UserDataStore s, UserProfile[] profiles, boolean put) throws Exception {
        long start = System.nanoTime();
        long[] lat = run(s, profiles, ops, put, seed + (put ? 1 : 2));
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(lat);
        return new Figures(name, op, threads, lat.length, lat.length / seconds, lat[(int) (lat.length * 0.50)] / 1000.0,
                lat[Math.min(lat.length - 1, (int) (lat.length * 0.99))] / 1000.0);
    }

    /** Runs n operations split over the threads on random users; returns every latency in ns. */
    private long[] run(UserDataStore s, UserProfile[] profiles, int n, boolean put, long runSeed) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread t = new Thread(task, "bench-store-client");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<long[]>> fs = new ArrayList<>();
            int per = n / threads;
            for (int t = 0; t < threads; t++) {
                int tt = t;
                int count = t == threads - 1 ? n - per * (threads - 1) : per;
                Callable<long[]> c = () -> {
                    SplittableRandom r = new SplittableRandom(runSeed * 31 + tt);
                    long[] lat = new long[count];
                    for (int i = 0; i < count; i++) {
                        // the untimed load (runSeed 0) writes every user once, in order
                        UserProfile p = runSeed == 0 ? profiles[tt * per + i] : profiles[r.nextInt(profiles.length)];
                        long t0 = System.nanoTime();
                        if (put) {
                            s.save(p);
                        } else if (s.load(p.userId()).isEmpty()) {
                            throw new IllegalStateException("bench-store: " + p.userId() + " missing from " + s);
                        }
                        lat[i] = System.nanoTime() - t0;
                    }
                    return lat;
                };
                fs.add(pool.submit(c));
            }
            long[] all = new long[n];
            int off = 0;
            for (Future<long[]> f : fs) {
                long[] l = f.get();
                System.arraycopy(l, 0, all, off, l.length);
                off += l.length;
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> w = Files.walk(p)) {
            for (Path f : (Iterable<Path>) w.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }
}
