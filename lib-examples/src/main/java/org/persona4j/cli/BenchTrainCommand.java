package org.persona4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.persona4j.models.bench.BenchConfig;
import org.persona4j.models.bench.BenchEngine;
import org.persona4j.models.bench.BenchReport;
import org.persona4j.models.bench.SequenceBench;
import org.persona4j.models.bench.SequenceFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j bench-train}: trains the reference next-item LSTM of
 * {@code shared/bench/torch_reference.py} on an S3-Rec sequence file and writes speed, ranking
 * metrics and lean-inference latency as JSON. The command is the host process, so it applies
 * {@code --threads} to ND4J's OpenMP pool and to the BLAS library before training (the library
 * code in {@code lib-models} itself never changes these globals).
 *
 * <p>Also as the host, and unless {@code --omp-spin} is given or the variable is already set, it
 * sets {@code OMP_WAIT_POLICY=PASSIVE} in its own process environment before ND4J's native
 * library (and with it the OpenMP runtime) loads: with the default active policy, libnd4j's OpenMP
 * worker spins after every op and competes with OpenBLAS's own worker threads for the cores, which
 * makes the many small ops of the LSTM recurrence two to three times slower on a 2-core machine.
 */
@Command(name = "bench-train", mixinStandardHelpOptions = true,
        description = "Train the reference LSTM on an S3-Rec file and report speed and full-ranking metrics.")
public final class BenchTrainCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--format", defaultValue = "s3rec", description = "Input format; only s3rec (one user a line: user item1 item2 ...).")
    String format;

    @Option(names = "--input", required = true, description = "The sequence file.")
    Path input;

    @Option(names = "--emb", defaultValue = "64", description = "Item embedding size (default ${DEFAULT-VALUE}).")
    int emb;

    @Option(names = "--hidden", defaultValue = "128", description = "LSTM size (default ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--max-len", defaultValue = "50", description = "Longest input sequence (default ${DEFAULT-VALUE}).")
    int maxLen;

    @Option(names = "--batch", defaultValue = "128", description = "Mini-batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--threads", defaultValue = "2", description = "ND4J (OpenMP and BLAS) threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bucket", defaultValue = "0",
            description = "0: plain shuffled batches (default). w>0: sort each window of w shuffled batches by length.")
    int bucket;

    @Option(names = "--engine", defaultValue = "fused",
            description = "fused (default): the fused ND4J training path; dl4j: DL4J's MultiLayerNetwork.fit. Same model.")
    String engine;

    @Option(names = "--latency-updates", defaultValue = "10000", description = "Timed one-event updates (default ${DEFAULT-VALUE}).")
    int latencyUpdates;

    @Option(names = "--no-eval", description = "Skip the test ranking and the lean-inference measurements.")
    boolean noEval;

    @Option(names = "--omp-spin",
            description = "Leave OMP_WAIT_POLICY as the environment has it (default: set it to PASSIVE when unset).")
    boolean ompSpin;

    @Option(names = "--json", description = "Write the figures here as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!"s3rec".equalsIgnoreCase(format)) {
            err.println("bench-train: --format must be s3rec, was '" + format + "'");
            return 2;
        }
        if (threads <= 0) {
            err.println("bench-train: --threads must be > 0, was " + threads);
            return 2;
        }
        // The CLI is the host: it sets the native thread counts and the OpenMP wait policy before ND4J loads.
        // normally already done by Main before anything loaded ND4J; repeated for Main.run (tests, embedding)
        String ompPolicy = OpenMpWaits.select(ompSpin);
        System.setProperty("org.bytedeco.openblas.nthreads", Integer.toString(threads));
        System.setProperty("org.bytedeco.openblas.num_threads", Integer.toString(threads));
        applyThreads(threads);
        BenchEngine eng;
        try {
            eng = BenchEngine.parse(engine);
        } catch (IllegalArgumentException e) {
            err.println("bench-train: --" + e.getMessage());
            return 2;
        }
        BenchConfig cfg = new BenchConfig(emb, hidden, maxLen, batch, epochs, lr, seed, bucket, latencyUpdates, eng);
        SequenceFile data = SequenceFile.read(input);
        BenchReport report = new SequenceBench(cfg, line -> {
            err.println(line);
            err.flush();
        }).run(data, !noEval);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>(report.fields());
        fields.put("omp_wait_policy", ompPolicy == null ? "default" : ompPolicy);
        fields.put("openblas_coretype", Main.blasKernels());
        String text = mapper.writeValueAsString(fields);
        out.println(text);
        out.flush();
        if (json != null) {
            mapper.writeValue(json.toFile(), fields);
        }
        return 0;
    }

    /** The C library's {@code setenv}, through JNA (which ND4J's dependencies bring). */
    interface CLib extends com.sun.jna.Library {
        int setenv(String name, String value, int overwrite);
    }

    /** Host-side thread configuration of the native backend (this process is the host). */
    private static void applyThreads(int n) {
        org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxMasterThreads(n);
        org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(n);
        org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(n);
    }
}
