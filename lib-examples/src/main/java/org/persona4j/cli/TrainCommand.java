package org.persona4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.UserState;
import org.persona4j.io.DataFormat;
import org.persona4j.io.Dataset;
import org.persona4j.io.Datasets;
import org.persona4j.io.ReadOptions;
import org.persona4j.models.backend.BackendInfo;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.train.EpochSummary;
import org.persona4j.models.train.ProfileModelConfig;
import org.persona4j.models.train.ProfileModelEvaluation;
import org.persona4j.models.train.ProfileOptions;
import org.persona4j.models.train.ProfileTrainer;
import org.persona4j.models.train.TrainingListener;
import org.persona4j.models.train.TrainingProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j train}: trains the default deep profile model on any readable format and writes
 * the model artifact. Every hyper-parameter is a flag made from {@link ProfileOptions} (the table
 * the {@code lstm} recommender's options come from too), with its description and the
 * {@link ProfileModelConfig} default: {@code --emb 64}, {@code --lr 0.002}, {@code --tie-embeddings},
 * {@code --validation temporal} and so on. With {@code --eval-loo} each user's last event is held
 * out first and the trained model is scored on it (leave-one-out, full ranking); with
 * {@code --measure} the one-event update latency, batched embedding throughput and model load time
 * are measured. The command is the host process and applies {@code --threads} to ND4J's native
 * thread pools.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the deep profile model and write MODEL.zip.")
public final class TrainCommand implements CliCommand {
    CommandSpec spec;

    /**
     * Receives the command's model while picocli builds it, before any parsing, and adds the
     * hyper-parameter flags to it.
     *
     * @param spec this command's model
     */
    @Spec
    void spec(CommandSpec spec) {
        this.spec = spec;
        addHyperParameterFlags(spec);
    }

    @Option(names = "--format", required = true, description = "Input format: events-csv, taobao, retailrocket, movielens, recbole, s3rec, sessions.")
    String format;

    @Option(names = "--input", required = true, description = "The input file.")
    Path input;

    @Option(names = "--out", required = true, description = "The model artifact to write (zip).")
    Path out;

    @Option(names = "--sign-key-file", description = "Sign the artifact with HMAC-SHA256 under the key in this file "
            + "(>= 16 bytes; trailing line breaks ignored); load it with `serve --sign-key-file` or "
            + "DeepProfileModel.load(path, ArtifactKey).")
    Path signKeyFile;

    @Option(names = "--time-budget", defaultValue = "0", description = "Stop training after this many seconds of"
            + " training (the running epoch is finished at the current batch and validated); 0 = no budget (default ${DEFAULT-VALUE}).")
    double timeBudget;

    @Option(names = "--threads", defaultValue = "2", description = "ND4J and validation/evaluation threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--engine", defaultValue = "fused", description = "How the optimisation steps run: fused (default; the"
            + " fused ND4J path, packed sequences) or dl4j (DL4J's ComputationGraph.fit on padded batches). A sampled-softmax"
            + " head trains on dl4j.")
    String engine;

    @Option(names = "--search-trials", defaultValue = "0", description = "Hyper-parameter search on the validation split"
            + " before training: this many configurations (the first is the one given; the others are seeded draws of"
            + " emb, windows, residual, tie and next-items; the learning rate and dropout stay as given) race by successive halving from"
            + " --search-epochs epochs (the better half goes on to twice the epochs, until one is left), and the winner's"
            + " training goes on with the full schedule; every trial is written into the artifact's provenance;"
            + " 0 = no search (default ${DEFAULT-VALUE}).")
    int searchTrials;

    @Option(names = "--search-epochs", defaultValue = "3", description = "The epochs of the search's first rung; the"
            + " log prints the most epochs the losing trials can cost (default ${DEFAULT-VALUE}).")
    int searchEpochs;

    @Option(names = "--search-candidates", description = "A race on the validation split between the configuration"
            + " given and these settings (profile option names, e.g. next-items=2,mask-seen=true; candidates separated by"
            + " ';'), by successive halving from --search-epochs epochs (12 when --search-epochs is not given); the"
            + " winner's training goes on and the race is written into the artifact's provenance. None by default.")
    String searchCandidates;

    @Option(names = "--checkpoints", description = "Folder for per-epoch checkpoints; training resumes from it.")
    Path checkpoints;

    @Option(names = "--eval-loo", description = "Hold out each user's last event, train on the rest, report full-ranking HR/NDCG/MRR.")
    boolean evalLoo;

    @Option(names = "--measure", description = "Measure update latency (10,000 updates), embedding throughput and load time.")
    boolean measure;

    @Option(names = "--lenient", description = "Skip and count bad input rows instead of failing.")
    boolean lenient;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Option(names = "--report", description = "Write an HTML page with the loss and validation curves per epoch (PNG) into this folder.")
    Path reportDir;

    @Option(names = "--json", description = "Write the figures here as JSON.")
    Path json;

    /**
     * Adds one flag per {@link ProfileOptions} entry (its name and aliases with {@code --}, the
     * description with the library default); boolean options are flags that take an optional
     * {@code true}/{@code false}.
     */
    private static void addHyperParameterFlags(CommandSpec spec) {
        ProfileModelConfig defaults = ProfileModelConfig.builder().build();
        for (ProfileOptions.Option o : ProfileOptions.all()) {
            if (spec.findOption("--" + o.name()) != null) {
                continue;
            }
            String[] names = o.names().stream().map(n -> "--" + n).toArray(String[]::new);
            OptionSpec.Builder b = OptionSpec.builder(names).type(String.class).paramLabel(o.valueLabel())
                    .description(o.description() + " (default " + o.value(defaults) + ").");
            if (o.kind() == ProfileOptions.Kind.BOOLEAN) {
                b.arity("0..1").fallbackValue("true");
            } else {
                b.arity("1");
            }
            spec.addOption(b.build());
        }
    }

    /** @return the configuration: the library defaults with the hyper-parameter flags given on the command line */
    private ProfileModelConfig config() {
        ParseResult parsed = spec.commandLine().getParseResult();
        ProfileModelConfig.Builder b = ProfileModelConfig.builder();
        for (ProfileOptions.Option o : ProfileOptions.all()) {
            OptionSpec given = parsed.matchedOption("--" + o.name());
            if (given != null) {
                o.apply(b, given.getValue());
            }
        }
        return b.build();
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // the epoch lines below replace the trainer's own per-epoch log lines (one line per epoch)
        System.setProperty("org.slf4j.simpleLogger.log.org.persona4j.models.train.ProfileTrainer",
                System.getProperty("org.slf4j.simpleLogger.log.org.persona4j.models.train.ProfileTrainer", "warn"));
        if (threads <= 0) {
            err.println("train: --threads must be > 0, was " + threads);
            return 2;
        }
        ProfileModelConfig config = config();
        DataFormat fmt = DataFormat.parse(format);
        Args.requireExisting("--input", input); // before ND4J starts
        System.setProperty("org.bytedeco.openblas.nthreads", Integer.toString(threads));
        applyThreads(threads);
        long l0 = System.nanoTime();
        Dataset data = Datasets.load(fmt, input, lenient ? ReadOptions.lenient() : ReadOptions.strict());
        err.printf(Locale.ROOT, "read %,d events in %.1f s%n", data.events().size(), (System.nanoTime() - l0) / 1e9);
        List<BehaviorEvent> training = data.events();
        List<ProfileModelEvaluation.Case> cases = List.of();
        if (evalLoo) {
            training = new ArrayList<>();
            cases = ProfileModelEvaluation.leaveLastOut(data.events(), 3, training);
        }
        ConsoleProgress bar = new ConsoleProgress(quiet);
        TrainingListener progress = TrainingListener.progress(bar);
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onBatch(TrainingProgress p) {
                progress.onBatch(p);
            }

            @Override
            public void onEpoch(EpochSummary s) {
                progress.onEpoch(s);
                err.printf(Locale.ROOT, "%nepoch %d: loss %.4g, %.1f s%s%n", s.epoch(), s.meanLoss(), s.seconds(), metrics(s.validation(), ", validation "));
                err.flush();
            }
        };
        ProfileTrainer.Engine eng = switch (engine.toLowerCase(Locale.ROOT)) {
            case "fused" -> ProfileTrainer.Engine.FUSED;
            case "dl4j" -> ProfileTrainer.Engine.DL4J;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--engine: expected fused or dl4j, was '" + engine + "'");
        };
        if (searchCandidates != null && searchTrials > 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--search-candidates and --search-trials: expected one of them, was both");
        }
        ProfileTrainer trainer = new ProfileTrainer(config).engine(eng).threads(threads).listener(listener).checkpoints(checkpoints)
                .timeBudget(timeBudget > 0 ? java.time.Duration.ofMillis((long) (timeBudget * 1000)) : null)
                .search(searchTrials > 0 ? new org.persona4j.models.train.HyperparameterSearch.Budget(searchTrials, searchEpochs) : null);
        if (searchCandidates != null) {
            boolean epochsGiven = spec.commandLine().getParseResult().hasMatchedOption("--search-epochs");
            trainer.race(epochsGiven ? searchEpochs : org.persona4j.models.train.LstmRecommenderFactory.RACE_EPOCHS,
                    org.persona4j.models.train.HyperparameterSearch.parseCandidates(searchCandidates));
        }
        trainer.dataDescription(fmt.cliName() + ":" + input.getFileName() + (evalLoo ? " (last event of each user held out)" : ""));
        Map<String, Object> report = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        org.persona4j.models.profile.artifact.ArtifactKey key = signKeyFile == null ? null
                : org.persona4j.models.profile.artifact.ArtifactKey.fromFile(signKeyFile);
        try (DeepProfileModel model = trainer.fit(training, data.catalog())) {
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            model.save(out, key);
            if (key != null) {
                report.put("signed", org.persona4j.models.profile.artifact.ArtifactKey.ALGORITHM);
            }
            report.put("model", out.toString());
            report.put("version", model.version());
            report.put("config", config.toMap());
            if (trainer.lastSearch() != null) {
                report.put("search", trainer.lastSearch().toMap());
                report.put("trained_config", new ObjectMapper().readTree(model.manifestJson()).get("hyperParameters"));
            }
            report.put("threads", threads);
            report.put("engine", eng.name().toLowerCase(Locale.ROOT));
            report.put("openblas_coretype", Main.blasKernels());
            report.put("omp_wait_policy", OpenMpWaits.inForce());
            report.put("phase_seconds", trainer.phaseSeconds());
            report.put("backend", BackendInfo.current().toMap());
            Map<String, Object> ds = new LinkedHashMap<>();
            ds.put("events", data.events().size());
            ds.put("items", data.catalog().size());
            report.put("dataset", ds);
            report.put("train_seconds", trainSeconds);
            report.put("epochs", trainer.history().stream().map(EpochSummary::toMap).toList());
            if (evalLoo) {
                long e0 = System.nanoTime();
                report.put("test_metrics", ProfileModelEvaluation.evaluate(model, cases, threads));
                report.put("eval_seconds", (System.nanoTime() - e0) / 1e9);
                report.put("protocol", "leave-one-out: each user's last event is the test target (users with >= 3 events), "
                        + "the one before is the validation target; all items ranked, input items excluded, ties against");
            }
            if (measure) {
                measure(model, cases.isEmpty() ? null : cases, data.events(), config.seed(), report);
            }
        }
        o.println(summary(report));
        if (reportDir != null) {
            o.println("report written to " + trainingReport(report, reportDir));
        }
        o.flush();
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
            o.println("figures written to " + json);
            o.flush();
        }
        return 0;
    }

    /** "saved M.zip (6.1 MB, version ...) after 3 epochs in 41.2 s", then the best validation and any test figures. */
    private String summary(Map<String, Object> report) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "saved %s (%.1f MB, version %s) after %d epoch%s in %.1f s", out,
                java.nio.file.Files.size(out) / 1e6, report.get("version"), ((List<?>) report.get("epochs")).size(),
                ((List<?>) report.get("epochs")).size() == 1 ? "" : "s", (Double) report.get("train_seconds")));
        Object test = report.get("test_metrics");
        if (test instanceof Map<?, ?> m) {
            b.append(metrics(m, "\ntest (leave-one-out): "));
        }
        if (json == null) {
            b.append("\n(--json FILE writes the configuration, every epoch and the test figures)");
        }
        return b.toString();
    }

    /** The loss and validation curves of every epoch, with a table, through the segment report's machinery. */
    private Path trainingReport(Map<String, Object> report, Path dir) {
        List<?> epochs = (List<?>) report.get("epochs");
        double[] x = new double[epochs.size()];
        double[] loss = new double[epochs.size()];
        Map<String, double[]> validation = new LinkedHashMap<>();
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < epochs.size(); i++) {
            Map<?, ?> e = (Map<?, ?>) epochs.get(i);
            x[i] = ((Number) e.get("epoch")).doubleValue();
            loss[i] = ((Number) e.get("loss")).doubleValue();
            Map<?, ?> v = (Map<?, ?>) e.get("validation");
            if (v != null) {
                for (Map.Entry<?, ?> m : v.entrySet()) {
                    double[] ys = validation.computeIfAbsent(String.valueOf(m.getKey()), k -> {
                        double[] a = new double[epochs.size()];
                        java.util.Arrays.fill(a, Double.NaN);
                        return a;
                    });
                    ys[i] = ((Number) m.getValue()).doubleValue();
                }
            }
            rows.add(List.of(String.valueOf(e.get("epoch")), String.format(Locale.ROOT, "%.4g", loss[i]),
                    String.format(Locale.ROOT, "%.1f", ((Number) e.get("seconds")).doubleValue()), metrics(v, "")));
        }
        org.persona4j.segment.ReportPage page = org.persona4j.segment.ReportPage.titled("Training " + out.getFileName())
                .note(String.format(Locale.ROOT, "%s, version %s; %d epochs in %.1f s on %d threads", out, report.get("version"),
                        epochs.size(), (Double) report.get("train_seconds"), threads))
                .lineChart("loss", "Training loss per epoch", "epoch", "mean loss", x, Map.of("loss", loss));
        if (!validation.isEmpty()) {
            page.lineChart("validation", "Validation metrics per epoch", "epoch", "value", x, validation);
        }
        page.table("Epochs", List.of("epoch", "loss", "seconds", "validation"), rows);
        Object test = report.get("test_metrics");
        if (test instanceof Map<?, ?> m) {
            page.table("Test (leave-one-out)", List.of("metrics"), List.of(List.of(metrics(m, ""))));
        }
        return page.write(dir);
    }

    /** Metrics with 4 significant digits, e.g. "hr@10 0.8500, ndcg@10 0.3969"; "" when there are none. */
    static String metrics(Map<?, ?> m, String prefix) {
        if (m == null || m.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(prefix);
        String sep = "";
        for (Map.Entry<?, ?> e : m.entrySet()) {
            b.append(sep).append(e.getKey()).append(' ');
            b.append(e.getValue() instanceof Number n ? String.format(Locale.ROOT, "%.4g", n.doubleValue()) : String.valueOf(e.getValue()));
            sep = ", ";
        }
        return b.toString();
    }

    private void measure(DeepProfileModel model, List<ProfileModelEvaluation.Case> cases, List<BehaviorEvent> events, long seed,
                         Map<String, Object> report) throws Exception {
        List<ProfileModelEvaluation.Case> users = cases;
        if (users == null) {
            users = ProfileModelEvaluation.leaveLastOut(events, 2, new ArrayList<>());
        }
        // batched embedding: whole histories, one thread
        long e0 = System.nanoTime();
        UserState[] states = new UserState[Math.min(1000, users.size())];
        int i = 0;
        for (ProfileModelEvaluation.Case c : users) {
            UserState s = model.encode(c.userId(), c.input());
            model.profile(s);
            if (i < states.length) {
                states[i] = s;
            }
            i++;
        }
        double secs = (System.nanoTime() - e0) / 1e9;
        report.put("embedding_users_per_second", users.size() / secs);
        Random r = new Random(seed);
        List<String> items = model.itemIds();
        int n = 10_000;
        long[] lat = new long[n];
        for (int k = -2000; k < n; k++) {
            int u = r.nextInt(states.length);
            BehaviorEvent e = BehaviorEvent.of(states[u].userId(), items.get(r.nextInt(items.size())),
                    org.persona4j.core.EventType.VIEW, Math.max(0, states[u].lastEventMillis()) + 1000);
            long a = System.nanoTime();
            states[u] = model.update(states[u], e);
            long b = System.nanoTime();
            if (k >= 0) {
                lat[k] = b - a;
            }
        }
        Arrays.sort(lat);
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("updates", n);
        l.put("p50", lat[n / 2] / 1e6);
        l.put("p99", lat[(int) (0.99 * (n - 1))] / 1e6);
        l.put("max", lat[n - 1] / 1e6);
        l.put("what", "DeepProfileModel.update, one VIEW event, lean path, single thread, after 2,000 warm-up updates");
        report.put("update_latency_ms", l);
        long s0 = System.nanoTime();
        try (DeepProfileModel back = DeepProfileModel.load(out, signKeyFile == null ? null
                : org.persona4j.models.profile.artifact.ArtifactKey.fromFile(signKeyFile))) {
            report.put("model_load_ms", (System.nanoTime() - s0) / 1e6);
            report.put("model_bytes", Files.size(out));
            back.version();
        }
    }

    private static void applyThreads(int n) {
        org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxMasterThreads(n);
        org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(n);
        org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(n);
    }
}
