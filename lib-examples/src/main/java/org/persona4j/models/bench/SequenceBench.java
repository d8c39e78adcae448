package org.persona4j.models.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
import org.persona4j.eval.Metrics;
import org.persona4j.models.backend.BackendInfo;
import org.persona4j.models.nn.LeanLstmModel;
import org.persona4j.models.nn.LstmState;
import org.persona4j.models.train.fused.FusedLstmConfig;
import org.persona4j.models.train.fused.FusedLstmTrainer;
import org.persona4j.models.train.fused.FusedLstmWeights;

/**
 * Trains and evaluates the reference next-item LSTM the way {@code torch_reference.py} does.
 *
 * <p>Model: {@code EmbeddingSequenceLayer(nItems+1, emb) -> LSTM(hidden, tanh/sigmoid) ->
 * RnnOutputLayer(softmax, sparse cross-entropy)}, FLOAT data type and workspaces set on the
 * network configuration, Adam. Data: the training sequence of a user is its items without the last
 * two, of which the last {@code maxLen+1} are kept; inputs are that sequence without its last item,
 * targets the same shifted by one. Mini-batches are padded to their longest sequence; padding is
 * masked out of the loss. Test: input = items without the last (last {@code maxLen} kept), target
 * = the last item, every item ranked by its output score, items of the user's history other than
 * the target excluded, ties counted against the target.
 *
 * <p>Not thread-safe; one run at a time per instance. Nothing global of ND4J is changed.
 */
public final class SequenceBench {
    private final BenchConfig config;
    private final Consumer<String> log;

    /** @param log receives progress lines (may be {@code s -> {}}) */
    public SequenceBench(BenchConfig config, Consumer<String> log) {
        this.config = config;
        this.log = log;
    }

    /** Runs training, evaluation and the lean-inference measurements on the given sequences. */
    public BenchReport run(SequenceFile data) {
        return run(data, true);
    }

    /**
     * Runs training and, when {@code evaluate}, the test ranking and lean-inference measurements.
     */
    public BenchReport run(SequenceFile data, boolean evaluate) {
        final int nItems = data.maxItemId() + 1; // id 0 = padding
        final int maxLen = config.maxLen();
        List<int[]> users = data.sequences();

        // ---- training sequences, exactly as the torch script
        List<int[]> train = new ArrayList<>();
        long positions = 0;
        for (int[] s : users) {
            int end = s.length - 2;
            if (end < 2) {
                continue;
            }
            int start = Math.max(0, end - (maxLen + 1));
            int[] tr = Arrays.copyOfRange(s, start, end);
            train.add(tr);
            positions += tr.length - 1;
        }
        int nSeq = train.size();
        log.accept("users " + users.size() + ", items " + (nItems - 1) + ", training sequences " + nSeq
                + ", positions " + positions);
        if (nSeq == 0) {
            throw new IllegalArgumentException("no user has the 4 items needed for a training sequence");
        }

        MultiLayerNetwork net = new MultiLayerNetwork(networkConfig(nItems));
        net.init();

        Random rng = new Random(config.seed());
        TrainStats st = config.engine() == BenchEngine.FUSED
                ? trainFused(net, train, rng, nItems)
                : trainDl4j(net, train, rng);
        long t0 = st.startNanos;
        double trainSeconds = (st.endNanos - t0) / 1e9;
        long trainedPositions = positions * config.epochs();

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("peer", "persona4j-dl4j-lstm");
        out.put("engine", config.engine().name().toLowerCase(java.util.Locale.ROOT));
        out.put("backend", BackendInfo.current().toMap());
        Map<String, Object> ds = new LinkedHashMap<>();
        ds.put("users", users.size());
        ds.put("items", nItems - 1);
        ds.put("events", data.events());
        out.put("dataset", ds);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("emb", config.emb());
        cfg.put("hidden", config.hidden());
        cfg.put("max_len", maxLen);
        cfg.put("batch", config.batch());
        cfg.put("epochs", config.epochs());
        cfg.put("lr", config.lr());
        cfg.put("seed", config.seed());
        cfg.put("bucket_window", config.bucketWindow());
        out.put("config", cfg);
        out.put("train_sequences", nSeq);
        out.put("train_positions", trainedPositions);
        out.put("train_seconds", trainSeconds);
        out.put("train_positions_per_second", trainedPositions / trainSeconds);
        out.put("padded_positions", st.paddedPositions);
        out.put("computed_positions", st.computedPositions);
        Map<String, Object> prof = new LinkedHashMap<>();
        prof.put("batch_prep_seconds", st.prepNanos / 1e9);
        prof.put("fit_seconds", st.fitNanos / 1e9);
        prof.put("batches", st.batches);
        if (st.phases != null) {
            prof.put("phases_seconds", st.phases);
        }
        out.put("train_profile", prof);
        out.put("last_batch_loss", st.lastLoss);

        long b0 = System.nanoTime();
        LeanLstmModel lean = extract(net);
        out.put("lean_model_build_ms", (System.nanoTime() - b0) / 1e6);

        if (evaluate) {
            long e0 = System.nanoTime();
            Map<String, Object> metrics = new LinkedHashMap<>();
            int nTest = evaluate(net, users, metrics, lean, out);
            out.put("eval_seconds", (System.nanoTime() - e0) / 1e9);
            out.put("metrics", metrics);
            out.put("test_users", nTest);
            measureLean(lean, users, out);
        }
        net.close();
        return new BenchReport(out);
    }

    /** What a training loop measured. */
    private static final class TrainStats {
        long startNanos;
        long endNanos;
        long paddedPositions;
        long computedPositions;
        long prepNanos;
        long fitNanos;
        int batches;
        double lastLoss = Double.NaN;
        Map<String, Double> phases;
    }

    /** DL4J: {@code MultiLayerNetwork.fit} on padded batches with a mask. */
    private TrainStats trainDl4j(MultiLayerNetwork net, List<int[]> train, Random rng) {
        TrainStats st = new TrainStats();
        st.startNanos = System.nanoTime();
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            List<int[]> batches = batches(train, rng);
            for (int[] idx : batches) {
                long p0 = System.nanoTime();
                int mb = idx.length;
                int t = 0;
                for (int i : idx) {
                    t = Math.max(t, train.get(i).length - 1);
                }
                float[] x = new float[mb * t];
                float[] y = new float[mb * t];
                float[] mask = new float[mb * t];
                for (int r = 0; r < mb; r++) {
                    int[] s = train.get(idx[r]);
                    for (int k = 0; k < s.length - 1; k++) {
                        x[r * t + k] = s[k];
                        y[r * t + k] = s[k + 1];
                        mask[r * t + k] = 1f;
                    }
                }
                st.paddedPositions += (long) mb * t;
                st.computedPositions += (long) mb * t;
                INDArray fx = Nd4j.create(x, new long[] {mb, t}, 'c');
                INDArray fy = Nd4j.create(y, new long[] {mb, 1, t}, 'c');
                INDArray fm = Nd4j.create(mask, new long[] {mb, t}, 'c');
                long p1 = System.nanoTime();
                net.fit(fx, fy, fm, fm);
                long p2 = System.nanoTime();
                st.prepNanos += p1 - p0;
                st.fitNanos += p2 - p1;
                st.batches++;
                progress(st, batches.size(), p2, net.score());
            }
            st.lastLoss = net.score();
        }
        st.endNanos = System.nanoTime();
        return st;
    }

    /**
     * The fused ND4J path, from the DL4J network's initial parameters (the same model, initialised
     * identically); the trained parameters are copied back into {@code net} for the evaluation.
     */
    private TrainStats trainFused(MultiLayerNetwork net, List<int[]> train, Random rng, int nItems) {
        int longest = 0;
        for (int[] s : train) {
            longest = Math.max(longest, s.length - 1);
        }
        FusedLstmConfig fc = FusedLstmConfig.of(nItems, config.emb(), config.hidden(), config.batch(),
                Math.max(1, longest), config.lr());
        TrainStats st = new TrainStats();
        try (FusedLstmTrainer trainer = new FusedLstmTrainer(fc, weightsOf(net))) {
            st.startNanos = System.nanoTime();
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                List<int[]> batches = batches(train, rng);
                for (int[] idx : batches) {
                    long p0 = System.nanoTime();
                    List<int[]> seqs = new ArrayList<>(idx.length);
                    int t = 0;
                    for (int i : idx) {
                        int[] s = train.get(i);
                        seqs.add(s);
                        t = Math.max(t, s.length - 1);
                        st.computedPositions += s.length - 1;
                    }
                    st.paddedPositions += (long) idx.length * t;
                    long p1 = System.nanoTime();
                    st.lastLoss = trainer.fit(seqs);
                    long p2 = System.nanoTime();
                    st.prepNanos += p1 - p0;
                    st.fitNanos += p2 - p1;
                    st.batches++;
                    progress(st, batches.size(), p2, st.lastLoss);
                }
            }
            st.endNanos = System.nanoTime();
            st.phases = trainer.phaseSeconds();
            copyInto(trainer.weights(), net);
        }
        return st;
    }

    private void progress(TrainStats st, int batchesPerEpoch, long now, double loss) {
        if (st.batches % 50 == 0) {
            log.accept(String.format(java.util.Locale.ROOT, "batch %d/%d  %.1f s  loss %.4f", st.batches,
                    batchesPerEpoch * config.epochs(), (now - st.startNanos) / 1e9, loss));
        }
    }

    /** The parameters of the bench network as plain arrays (DL4J layout). */
    static FusedLstmWeights weightsOf(MultiLayerNetwork net) {
        Layer lstm = net.getLayer(1);
        Layer head = net.getLayer(2);
        return new FusedLstmWeights(net.getLayer(0).getParam("W").toFloatMatrix(), lstm.getParam("W").toFloatMatrix(),
                lstm.getParam("RW").toFloatMatrix(), lstm.getParam("b").toFloatVector(),
                head.getParam("W").toFloatMatrix(), head.getParam("b").toFloatVector());
    }

    /** Writes plain-array parameters into the bench network. */
    static void copyInto(FusedLstmWeights w, MultiLayerNetwork net) {
        net.getLayer(0).getParam("W").assign(Nd4j.createFromArray(w.embedding()));
        net.getLayer(1).getParam("W").assign(Nd4j.createFromArray(w.inputWeights()));
        net.getLayer(1).getParam("RW").assign(Nd4j.createFromArray(w.recurrentWeights()));
        net.getLayer(1).getParam("b").assign(Nd4j.createFromArray(new float[][] {w.bias()}));
        net.getLayer(2).getParam("W").assign(Nd4j.createFromArray(w.outputWeights()));
        net.getLayer(2).getParam("b").assign(Nd4j.createFromArray(new float[][] {w.outputBias()}));
    }

    private MultiLayerConfiguration networkConfig(int nItems) {
        return new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(DataType.FLOAT)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .updater(new Adam(config.lr()))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(nItems).nOut(config.emb()).hasBias(false)
                        .inferInputLength(true).outputDataFormat(RNNFormat.NCW).build())
                .layer(new LSTM.Builder().nIn(config.emb()).nOut(config.hidden())
                        .activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID).build())
                .layer(new RnnOutputLayer.Builder(new LossSparseMCXENT()).nIn(config.hidden()).nOut(nItems)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build())
                .build();
    }

    /** One epoch's mini-batches: a shuffle, optionally length-sorted within windows. */
    private List<int[]> batches(List<int[]> train, Random rng) {
        int n = train.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        int b = config.batch();
        List<int[]> out = new ArrayList<>();
        if (config.bucketWindow() == 0) {
            for (int s = 0; s < n; s += b) {
                out.add(Arrays.copyOfRange(order, s, Math.min(n, s + b)));
            }
            return out;
        }
        int window = b * config.bucketWindow();
        for (int w = 0; w < n; w += window) {
            Integer[] win = new Integer[Math.min(n, w + window) - w];
            for (int i = 0; i < win.length; i++) {
                win[i] = order[w + i];
            }
            Arrays.sort(win, (p, q) -> Integer.compare(train.get(p).length, train.get(q).length));
            for (int s = 0; s < win.length; s += b) {
                int[] batch = new int[Math.min(win.length, s + b) - s];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = win[s + i];
                }
                out.add(batch);
            }
        }
        java.util.Collections.shuffle(out, rng);
        return out;
    }

    /** Copies the trained weights into the lean model (DL4J layout, see {@link LeanLstmModel}). */
    static LeanLstmModel extract(MultiLayerNetwork net) {
        Layer embL = net.getLayer(0);
        Layer lstmL = net.getLayer(1);
        Layer outL = net.getLayer(2);
        return LeanLstmModel.of(
                embL.getParam("W").toFloatMatrix(),
                lstmL.getParam("W").toFloatMatrix(),
                lstmL.getParam("RW").toFloatMatrix(),
                lstmL.getParam("b").toFloatVector(),
                outL.getParam("W").toFloatMatrix(),
                outL.getParam("b").toFloatVector());
    }

    private int evaluate(MultiLayerNetwork net, List<int[]> users, Map<String, Object> metrics, LeanLstmModel lean,
                         Map<String, Object> out) {
        int maxLen = config.maxLen();
        Metrics.RankSums sums = new Metrics.RankSums(10, 20);
        int nTest = 0;
        float maxDiff = 0f;
        INDArray wOut = net.getLayer(2).getParam("W");
        INDArray bOut = net.getLayer(2).getParam("b");
        for (int b0 = 0; b0 < users.size(); b0 += 512) {
            List<int[]> chunk = new ArrayList<>();
            for (int[] s : users.subList(b0, Math.min(users.size(), b0 + 512))) {
                if (s.length >= 2) {
                    chunk.add(s);
                }
            }
            if (chunk.isEmpty()) {
                continue;
            }
            int mb = chunk.size();
            int t = 0;
            int[][] inputs = new int[mb][];
            for (int i = 0; i < mb; i++) {
                int[] s = chunk.get(i);
                int end = s.length - 1;
                inputs[i] = Arrays.copyOfRange(s, Math.max(0, end - maxLen), end);
                t = Math.max(t, inputs[i].length);
            }
            float[] x = new float[mb * t];
            for (int i = 0; i < mb; i++) {
                for (int k = 0; k < inputs[i].length; k++) {
                    x[i * t + k] = inputs[i][k];
                }
            }
            INDArray fx = Nd4j.create(x, new long[] {mb, t}, 'c');
            INDArray h = net.feedForwardToLayer(1, fx, false).get(2); // [mb, hidden, t]
            float[][] last = new float[mb][];
            for (int i = 0; i < mb; i++) {
                last[i] = h.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i),
                        org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(inputs[i].length - 1)).toFloatVector();
            }
            if (b0 == 0) {
                for (int i = 0; i < Math.min(mb, 64); i++) {
                    float[] lh = lean.encode(inputs[i]).h();
                    for (int j = 0; j < lh.length; j++) {
                        maxDiff = Math.max(maxDiff, Math.abs(lh[j] - last[i][j]));
                    }
                }
            }
            float[][] scores = Nd4j.createFromArray(last).mmul(wOut).addiRowVector(bOut).toFloatMatrix();
            for (int i = 0; i < mb; i++) {
                int[] s = chunk.get(i);
                int target = s[s.length - 1];
                // every item but the padding id 0, the user's other history items excluded, ties against
                sums.add(Metrics.rank(scores[i], target, 1, Arrays.copyOf(s, s.length - 1)));
                nTest++;
            }
        }
        metrics.put("hr@10", sums.hitRateSum(10) / nTest);
        metrics.put("hr@20", sums.hitRateSum(20) / nTest);
        metrics.put("ndcg@10", sums.ndcgSum(10) / nTest);
        metrics.put("ndcg@20", sums.ndcgSum(20) / nTest);
        metrics.put("mrr@20", sums.mrrSum(20) / nTest);
        out.put("lean_vs_dl4j_max_abs_diff", (double) maxDiff);
        return nTest;
    }

    /** Latency of the one-event update and throughput of whole-sequence encoding, lean model. */
    private void measureLean(LeanLstmModel lean, List<int[]> users, Map<String, Object> out) {
        int maxLen = config.maxLen();
        Random rng = new Random(config.seed() + 1);
        int nStates = Math.min(users.size(), 1000);
        LstmState[] states = new LstmState[nStates];
        long e0 = System.nanoTime();
        int encoded = 0;
        List<int[]> inputs = new ArrayList<>();
        for (int[] s : users) {
            if (s.length >= 2) {
                inputs.add(Arrays.copyOfRange(s, Math.max(0, s.length - 1 - maxLen), s.length - 1));
            }
        }
        for (int[] in : inputs) {
            LstmState st = lean.encode(in);
            if (encoded < nStates) {
                states[encoded] = st;
            }
            encoded++;
        }
        double encSeconds = (System.nanoTime() - e0) / 1e9;
        Map<String, Object> enc = new LinkedHashMap<>();
        enc.put("users", encoded);
        enc.put("seconds", encSeconds);
        enc.put("users_per_second", encoded / encSeconds);
        enc.put("threads", 1);
        out.put("lean_embedding_throughput", enc);

        int n = config.latencyUpdates();
        if (n == 0 || encoded == 0) {
            return;
        }
        int filled = Math.min(encoded, nStates);
        int vocab = lean.vocabularySize();
        for (int i = 0; i < Math.min(n, 2000); i++) { // warm-up
            int u = rng.nextInt(filled);
            states[u] = lean.step(states[u], 1 + rng.nextInt(vocab - 1));
        }
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) {
            int u = rng.nextInt(filled);
            int item = 1 + rng.nextInt(vocab - 1);
            long a = System.nanoTime();
            states[u] = lean.step(states[u], item);
            lat[i] = System.nanoTime() - a;
        }
        Arrays.sort(lat);
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("updates", n);
        l.put("p50", lat[(int) Math.floor(0.50 * (n - 1))] / 1e6);
        l.put("p99", lat[(int) Math.floor(0.99 * (n - 1))] / 1e6);
        l.put("max", lat[n - 1] / 1e6);
        double sum = 0;
        for (long v : lat) {
            sum += v;
        }
        l.put("mean", sum / n / 1e6);
        l.put("what", "lean LstmState step for one item event (no ND4J), single thread");
        out.put("update_latency_ms", l);
    }
}
