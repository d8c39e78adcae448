package org.persona4j.cli;

import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.persona4j.core.BadInputException;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.Recommender;
import org.persona4j.engine.ItemSimilarity;
import org.persona4j.engine.JournalDurability;
import org.persona4j.engine.PersonaEngine;
import org.persona4j.engine.ProfileReranker;
import org.persona4j.examples.serve.EngineHttpServer;
import org.persona4j.io.DataFormat;
import org.persona4j.io.Dataset;
import org.persona4j.io.Datasets;
import org.persona4j.io.ReadOptions;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.profile.artifact.ArtifactKey;
import org.persona4j.recommend.EmbeddingRetrievalRecommender;
import org.persona4j.recommend.ItemKnnRecommender;
import org.persona4j.recommend.PopularityRecommender;
import org.persona4j.store.UserDataStore;
import org.persona4j.store.rocksdb.Durability;
import org.persona4j.store.rocksdb.RocksDbProfileStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j serve}: the example HTTP service on loopback, over an engine with the trained
 * profile model, a RocksDB store and, when training data is given, popularity and item-kNN for
 * cold starts and search re-ranking.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve profiles and recommendations over HTTP/JSON, on loopback unless --bind says otherwise (see docs/integration.md).")
public final class ServeCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}, loopback; "
            + "0.0.0.0 = every interface: use --token-file then, see docs/integration.md).")
    String bind;

    @Option(names = "--token-file", description = "File holding a bearer token (>= 16 characters): every request must send "
            + "'Authorization: Bearer <token>' (401 otherwise).")
    Path tokenFile;

    @Option(names = "--allow-origin", description = "A browser origin (scheme://host[:port]) allowed besides this server's own "
            + "and loopback ones; repeatable. Other Origin headers get 403.")
    List<String> allowOrigins = new ArrayList<>();

    @Option(names = "--read-timeout", defaultValue = "10", description = "Seconds a client may take to send a request "
            + "(headers and body) before its connection is dropped (default ${DEFAULT-VALUE}).")
    int readTimeoutSeconds;

    @Option(names = "--sign-key-file", description = "HMAC key file: the model artifact must be signed with it "
            + "(`train --sign-key-file`); unsigned or altered artifacts are refused.")
    Path signKeyFile;

    @Option(names = "--model", required = true, description = "Model artifact written by `train`.")
    Path model;

    @Option(names = "--store", required = true, description = "Folder of the embedded RocksDB profile store (created if missing).")
    Path store;

    @Option(names = "--format", description = "Format of --input (e.g. events-csv); with --input, fits popularity and item-kNN.")
    String format;

    @Option(names = "--input", description = "Training events (and side files such as items.csv) for the catalogue and the cold-start paths.")
    Path input;

    @Option(names = "--threads", defaultValue = "8", description = "HTTP worker threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--buffered", description = "Acknowledge events once they are written to the OS, without fsync: "
            + "they survive kill -9 but not a power cut (see docs/reliability.md). Default: fsync before the answer "
            + "(group commit).")
    boolean buffered;

    @Option(names = "--journal", description = "Folder of the write-ahead event journal (default: the store folder's "
            + "name + '.journal', beside it). Every event answered 202 is in it before the answer.")
    Path journal;

    @Option(names = "--no-journal", description = "No event journal: events reach the store only through the "
            + "write-behind, and those of the last moments are lost on a crash.")
    boolean noJournal;

    @Option(names = "--ann", description = "Retrieve with an approximate index (--index) instead of exact search (large catalogues).")
    boolean ann;

    @Option(names = "--index", defaultValue = "ivf", description = "The approximate index with --ann: ivf (inverted file) or hnsw"
            + " (Lucene's graph) (default ${DEFAULT-VALUE}).")
    String index;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (readTimeoutSeconds < 1) {
            throw new BadInputException("option '--read-timeout': expected seconds >= 1, was " + readTimeoutSeconds);
        }
        if (!index.equals("ivf") && !index.equals("hnsw")) {
            throw new BadInputException("option '--index': expected ivf or hnsw, was '" + index + "'");
        }
        // the JDK server otherwise leaves Nagle's algorithm on: small JSON answers then wait ~40 ms
        // for the client's delayed ACK (read once, when the server class initialises)
        System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
        // clients stalling in the request headers are dropped by the JDK server after this (seconds)
        System.setProperty("sun.net.httpserver.maxReqTime",
                System.getProperty("sun.net.httpserver.maxReqTime", String.valueOf(readTimeoutSeconds)));
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (java.net.UnknownHostException e) {
            throw new BadInputException("option '--bind': '" + bind + "' is not an address of this host: " + e.getMessage());
        }
        EngineHttpServer.Options opts = new EngineHttpServer.Options().bind(address).port(port).threads(threads)
                .readTimeout(Duration.ofSeconds(readTimeoutSeconds));
        if (tokenFile != null) {
            opts.tokenFile(tokenFile);
        }
        for (String o : allowOrigins) {
            opts.allowOrigin(o);
        }
        // refuse a taken port before loading anything (the bind below still reports a race the same way)
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address, port));
        } catch (BindException e) {
            err.println(portInUse(address, e));
            err.flush();
            return 1;
        }
        ArtifactKey key = signKeyFile == null ? null : ArtifactKey.fromFile(signKeyFile);
        Args.requireFile("--model", model);
        Args.requireExisting("--input", input);
        if (input != null && format != null) {
            DataFormat.parse(format); // an unknown format fails here, before the model is read
        }
        DeepProfileModel m = DeepProfileModel.load(model, key);
        InMemoryCatalog catalog = new InMemoryCatalog();
        Dataset data = null;
        if (input != null) {
            data = Datasets.load(DataFormat.parse(format == null ? "events-csv" : format), input, ReadOptions.strict());
            for (Item it : data.catalog().items()) {
                catalog.put(it);
            }
        }
        EmbeddingRetrievalRecommender.Builder eb = EmbeddingRetrievalRecommender.builder(m, m.itemIds()).catalog(catalog);
        if (ann) {
            eb.ann(switch (index) {
                case "ivf" -> org.persona4j.recommend.IvfVectorIndex.Params.defaults();
                case "hnsw" -> org.persona4j.recommend.HnswVectorIndex.Params.defaults();
                default -> throw new org.persona4j.core.BadInputException("--index: expected ivf or hnsw, was '" + index + "'");
            });
        }
        EmbeddingRetrievalRecommender retrieval = eb.build();
        // with the journal, the store's own writes need no fsync each: the engine syncs the store
        // before it drops the journal segments those writes cover
        UserDataStore db = RocksDbProfileStore.open(store, buffered || !noJournal ? Durability.BUFFERED : Durability.SYNC);
        PersonaEngine.Builder b = PersonaEngine.builder(m).catalog(catalog).store(db).recommender(retrieval)
                .flushInterval(Duration.ofMillis(200));
        if (!noJournal) {
            Path j = journal != null ? journal : journalBeside(store);
            b.journal(j).journalDurability(buffered ? JournalDurability.BUFFERED : JournalDurability.SYNC);
        }
        if (data != null) {
            Recommender pop = PopularityRecommender.global(data.events(), catalog);
            ItemKnnRecommender knn = ItemKnnRecommender.fit(data.events(), catalog, ItemKnnRecommender.Config.defaults(), 2);
            b.fallback(pop).reranker(ProfileReranker.withDefaults(catalog, ItemSimilarity.ofNeighbours(knn::neighbours)));
        }
        PersonaEngine engine = b.build();
        EngineHttpServer server;
        try {
            server = new EngineHttpServer(engine, opts);
        } catch (BindException e) {
            engine.close();
            retrieval.close();
            err.println(portInUse(address, e));
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            engine.close();
            retrieval.close();
            stopped.countDown();
        }, "persona4j-serve-shutdown"));
        out.printf("serving model %s (%d items) on http://%s:%d  (store %s)%n", m.version(), m.itemIds().size(),
                hostText(address), server.port(), store.toAbsolutePath());
        out.println(noJournal ? "event journal: off (events of the last moments are lost on a crash)"
                : "event journal: " + (journal != null ? journal : journalBeside(store)).toAbsolutePath() + " ("
                + (buffered ? "BUFFERED: survives kill -9, not a power cut" : "SYNC: fsynced before each answer, group commit") + ")");
        if (!address.isLoopbackAddress() && tokenFile == null) {
            err.println("warning: listening on " + hostText(address) + " without --token-file: anyone who can reach this port "
                    + "can read and change profiles (see docs/integration.md, Security and exposure)");
            err.flush();
        }
        out.println("routes: POST /events, GET /users/{id}/profile, GET /users/{id}/recommendations?k=20, "
                + "POST /users/{id}/rerank, DELETE /users/{id}, GET /health   (Ctrl-C stops)");
        out.flush();
        stopped.await();
        return 0;
    }

    /** @return the default journal folder: beside the store, named after it */
    static Path journalBeside(Path store) {
        Path abs = store.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + ".journal");
    }

    private String portInUse(InetAddress address, BindException e) {
        String m = String.valueOf(e.getMessage());
        if (!m.toLowerCase(java.util.Locale.ROOT).contains("in use")) {
            return "error: cannot listen on " + hostText(address) + ":" + port + " (" + m
                    + "): pass --bind with an address of this host (default 127.0.0.1)";
        }
        return "error: port " + port + " on " + hostText(address) + " is already in use: stop the other process or pass "
                + "--port N (0 = any free port)";
    }

    private static String hostText(InetAddress a) {
        String h = a.getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    static List<String> routes() {
        return List.of("/events", "/users/", "/health");
    }
}
