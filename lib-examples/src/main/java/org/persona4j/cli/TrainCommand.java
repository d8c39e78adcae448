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
import org.persona4j.models.train.ProfileTrainer;
import org.persona4j.models.train.TrainingListener;
import org.persona4j.models.train.TrainingProgress;
import org.persona4j.models.train.ValidationSplit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j train}: trains the default deep profile model on any readable format and writes
 * the model artifact. With {@code --eval-loo} each user's last event is held out first and the
 * trained model is scored on it (leave-one-out, full ranking); with {@code --measure} the one-event
 * update latency, batched embedding throughput and model load time are measured. The command is the
 * host process and applies {@code --threads} to ND4J's native thread pools.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the deep profile model and write MODEL.zip.")
public final class TrainCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--format", required = true, description = "Input format: events-csv, taobao, retailrocket, movielens, recbole, s3rec, sessions.")
    String format;

    @Option(names = "--input", required = true, description = "The input file.")
    Path input;

    @Option(names = "--out", required = true, description = "The model artifact to write (zip).")
    Path out;

    @Option(names = "--emb", defaultValue = "64", description = "Item embedding size (default ${DEFAULT-VALUE}).")
    int emb;

    @Option(names = "--hidden", defaultValue = "128", description = "LSTM units (default ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", description = "LSTM layers (default ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--proj", defaultValue = "64", description = "User/item output embedding size (default ${DEFAULT-VALUE}).")
    int proj;

    @Option(names = "--max-len", defaultValue = "50", description = "Longest training sequence (default ${DEFAULT-VALUE}).")
    int maxLen;

    @Option(names = "--batch", defaultValue = "128", description = "Mini-batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--epochs", defaultValue = "10", description = "Most epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patience", defaultValue = "2", description = "Early-stopping patience in epochs (default ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--lr", defaultValue = "0.002", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--dropout", defaultValue = "0.2", description = "Dropout (default ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--loss-weights", defaultValue = "1,0.2,0.2", description = "next-item,purchase,category loss weights (default ${DEFAULT-VALUE}).")
    String lossWeights;

    @Option(names = "--min-item-count", defaultValue = "1", description = "Rarer items become out-of-vocabulary (default ${DEFAULT-VALUE}).")
    int minItemCount;

    @Option(names = "--validation", defaultValue = "loo", description = "loo, temporal or none (default ${DEFAULT-VALUE}).")
    String validation;

    @Option(names = "--validation-users", defaultValue = "5000", description = "Validation users per epoch, 0 = all (default ${DEFAULT-VALUE}).")
    int validationUsers;

    @Option(names = "--windows", defaultValue = "1", description = "Training windows per user: a history longer than"
            + " max-len + 1 events is cut, newest first, into up to this many sequences (default ${DEFAULT-VALUE}).")
    int windows;

    @Option(names = "--weight-decay", defaultValue = "0", description = "Decoupled weight decay of the weight matrices"
            + " (each step subtracts lr x decay x w); 0 = none (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--tie-embeddings", description = "Tie the input item embedding to the next-item output weights"
            + " (needs --emb equal to --proj and the full softmax).")
    boolean tie;

    @Option(names = "--residual", description = "Add each step's input item embedding to the user vector (a skip"
            + " connection past the LSTM; needs --emb equal to --proj).")
    boolean residual;

    @Option(names = "--lr-decays", defaultValue = "0", description = "Reduce on plateau: when --patience epochs bring no"
            + " better validation metric, multiply the learning rate by --lr-decay and go on, up to this many times;"
            + " 0 = stop at the first plateau (default ${DEFAULT-VALUE}).")
    int lrDecays;

    @Option(names = "--lr-decay", defaultValue = "0.2", description = "Learning-rate factor at a plateau (default ${DEFAULT-VALUE}).")
    double lrDecay;

    @Option(names = "--refit-epochs", defaultValue = "0", description = "Epochs trained after early stopping, from the"
            + " best weights, on the whole input including the validation events; 0 = none (default ${DEFAULT-VALUE}).")
    int refitEpochs;

    @Option(names = "--refit-lr", defaultValue = "0.001", description = "Learning rate of the refit epochs (default ${DEFAULT-VALUE}).")
    double refitLr;

    @Option(names = "--negatives", defaultValue = "0", description = "Sampled-softmax negatives per mini-batch for the"
            + " next-item head (uniform, shared by the batch); 0 = full softmax over every item (default ${DEFAULT-VALUE}).")
    int negatives;

    @Option(names = "--time-budget", defaultValue = "0", description = "Stop training after this many seconds of"
            + " training (the running epoch is finished at the current batch and validated); 0 = no budget (default ${DEFAULT-VALUE}).")
    double timeBudget;

    @Option(names = "--bucket", defaultValue = "32", description = "Length-bucketing window in batches, 0 = none (default ${DEFAULT-VALUE}).")
    int bucket;

    @Option(names = "--threads", defaultValue = "2", description = "ND4J and evaluation threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

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

    @Option(names = "--json", description = "Write the figures here as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (threads <= 0) {
            err.println("train: --threads must be > 0, was " + threads);
            return 2;
        }
        String[] w = lossWeights.split(",");
        if (w.length != 3) {
            err.println("train: --loss-weights must be three numbers next,purchase,category, was '" + lossWeights + "'");
            return 2;
        }
        ValidationSplit split;
        switch (validation.toLowerCase(Locale.ROOT)) {
            case "loo": split = ValidationSplit.LEAVE_ONE_OUT; break;
            case "temporal": split = ValidationSplit.TEMPORAL; break;
            case "none": split = ValidationSplit.NONE; break;
            default:
                err.println("train: --validation must be loo, temporal or none, was '" + validation + "'");
                return 2;
        }
        DataFormat fmt = DataFormat.parse(format);
        System.setProperty("org.bytedeco.openblas.nthreads", Integer.toString(threads));
        applyThreads(threads);
        ProfileModelConfig config = ProfileModelConfig.builder().itemEmbedding(emb).hidden(hidden).layers(layers).projection(proj)
                .maxLen(maxLen).batchSize(batch).epochs(epochs).patience(patience).learningRate(lr).dropout(dropout)
                .lossWeights(Double.parseDouble(w[0]), Double.parseDouble(w[1]), Double.parseDouble(w[2]))
                .minItemCount(minItemCount).validation(split).validationUsers(validationUsers).bucketWindow(bucket).windows(windows).weightDecay(weightDecay).sampledNegatives(negatives)
                .tieItemEmbeddings(tie).itemResidual(residual).plateauDecays(lrDecays).plateauDecay(lrDecay)
                .refitEpochs(refitEpochs).refitLearningRate(refitLr)
                .seed(seed).threads(threads).build();
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
                err.printf(Locale.ROOT, "%nepoch %d: loss %.4f, %.1f s, validation %s%n", s.epoch(), s.meanLoss(), s.seconds(), s.validation());
                err.flush();
            }
        };
        ProfileTrainer trainer = new ProfileTrainer(config).listener(listener).checkpoints(checkpoints)
                .timeBudget(timeBudget > 0 ? java.time.Duration.ofMillis((long) (timeBudget * 1000)) : null)
                .dataDescription(fmt.cliName() + ":" + input.getFileName() + (evalLoo ? " (last event of each user held out)" : ""));
        Map<String, Object> report = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        try (DeepProfileModel model = trainer.fit(training, data.catalog())) {
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            model.save(out);
            report.put("model", out.toString());
            report.put("version", model.version());
            report.put("config", config.toMap());
            report.put("backend", BackendInfo.current().toMap());
            Map<String, Object> ds = new LinkedHashMap<>();
            ds.put("events", data.events().size());
            ds.put("items", data.catalog().size());
            report.put("dataset", ds);
            report.put("train_seconds", trainSeconds);
            List<Map<String, Object>> epochs = new ArrayList<>();
            for (EpochSummary s : trainer.history()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("epoch", s.epoch());
                e.put("loss", s.meanLoss());
                e.put("seconds", s.seconds());
                e.put("validation", s.validation());
                epochs.add(e);
            }
            report.put("epochs", epochs);
            if (evalLoo) {
                long e0 = System.nanoTime();
                report.put("test_metrics", ProfileModelEvaluation.evaluate(model, cases, threads));
                report.put("eval_seconds", (System.nanoTime() - e0) / 1e9);
                report.put("protocol", "leave-one-out: each user's last event is the test target (users with >= 3 events), "
                        + "the one before is the validation target; all items ranked, input items excluded, ties against");
            }
            if (measure) {
                measure(model, cases.isEmpty() ? null : cases, data.events(), report);
            }
        }
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        o.println(mapper.writeValueAsString(report));
        o.flush();
        if (json != null) {
            mapper.writeValue(json.toFile(), report);
        }
        return 0;
    }

    private void measure(DeepProfileModel model, List<ProfileModelEvaluation.Case> cases, List<BehaviorEvent> events,
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
        try (DeepProfileModel back = DeepProfileModel.load(out)) {
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
