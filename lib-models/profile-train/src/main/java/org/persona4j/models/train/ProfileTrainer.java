package org.persona4j.models.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.SchemaMismatchException;
import org.persona4j.features.sequence.EncodedSequence;
import org.persona4j.features.sequence.EventTypeIndex;
import org.persona4j.features.sequence.IdVocabulary;
import org.persona4j.features.sequence.SequenceEncoder;
import org.persona4j.models.backend.BackendInfo;
import org.persona4j.models.nn.LeanProfileNetwork;
import org.persona4j.models.nn.ProfileNetState;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.profile.UserFeatureSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link DeepProfileModel} on events.
 *
 * <p>Data: events are grouped by user (time order, stable). The validation split
 * ({@link ProfileModelConfig#validation()}) holds out each user's last event (leave-one-out) or
 * the events after a time cut; the rest is the training history. A user's training sequence is the
 * last {@code maxLen + 1} events of its training history (with {@link ProfileModelConfig#windows()}
 * above 1, earlier windows of a long history too): inputs are all but the last, the
 * next-item target of every step is the following item (out-of-vocabulary targets are masked), and
 * the last-step heads learn whether the event after the input is a purchase and its category.
 * Mini-batches are length-bucketed ({@link ProfileModelConfig#bucketWindow()}): each epoch is one
 * seeded permutation, sorted by length within windows of batches, then the batches are shuffled.
 *
 * <p>Optimisation: Adam with per-layer L2 gradient clipping; loss weights and the purchase class
 * weight are applied through label masks. After each epoch the validation users are ranked against
 * all items (history excluded, ties counted against) through the lean inference path, and
 * training stops when {@link ProfileModelConfig#earlyStoppingMetric()} has not improved for
 * {@link ProfileModelConfig#patience()} epochs (or, while {@link ProfileModelConfig#plateauDecays()}
 * allows, goes on from the current weights at the learning rate times
 * {@link ProfileModelConfig#plateauDecay()} with a fresh patience); the best epoch's weights are
 * kept. A NaN or
 * infinite loss raises {@link ModelTrainingException} naming the epoch and batch. With a checkpoint
 * folder, the network with its updater state is saved after each epoch and a new trainer on the
 * same folder resumes after the last finished epoch.
 *
 * <p>Deterministic: the same events, configuration and ND4J thread count give identical weights
 * (batch order comes from per-epoch seeded generators; DL4J initialisation from the seed). One
 * trainer runs one training at a time; nothing global of ND4J is changed.
 */
public final class ProfileTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileTrainer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The SDK version recorded in artifacts. */
    public static final String SDK_VERSION = "0.1.0-SNAPSHOT";

    private final ProfileModelConfig config;
    private TrainingListener listener = TrainingListener.NONE;
    private UserFeatureSource features;
    private Path checkpointDir;
    private long timeBudgetNanos;
    private String dataDescription = "unspecified";
    private final List<EpochSummary> history = new ArrayList<>();

    /** @param config the hyper-parameters, not null */
    private boolean keepNetwork;
    private ComputationGraph lastNetwork;

    public ProfileTrainer(ProfileModelConfig config) {
        if (config == null) {
            throw new BadInputException("trainer: config is required, was null");
        }
        this.config = config;
    }

    /** @param l receives batch and epoch progress @return this */
    public ProfileTrainer listener(TrainingListener l) {
        this.listener = l == null ? TrainingListener.NONE : l;
        return this;
    }

    /** @param f static user features joined before the heads, or null for none @return this */
    public ProfileTrainer userFeatures(UserFeatureSource f) {
        this.features = f;
        return this;
    }

    /**
     * Stops training once this much wall-clock time has been spent in the training loop: the batch
     * running when the budget runs out is finished, then that epoch is validated (and checkpointed)
     * as usual, marked {@code truncated} in the log, and no further epoch starts.
     *
     * @param budget the budget, or null for none (the default: only epochs and early stopping end training)
     * @return this
     */
    public ProfileTrainer timeBudget(java.time.Duration budget) {
        if (budget != null && (budget.isNegative() || budget.isZero())) {
            throw new BadInputException("trainer: timeBudget must be positive, was " + budget);
        }
        this.timeBudgetNanos = budget == null ? 0 : budget.toNanos();
        return this;
    }

    /** @param dir folder for per-epoch checkpoints (resumed when present), or null @return this */
    public ProfileTrainer checkpoints(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /** @param d a description of the training data, recorded in the provenance @return this */
    public ProfileTrainer dataDescription(String d) {
        this.dataDescription = d == null ? "unspecified" : d;
        return this;
    }

    /** @return the summaries of the epochs of the last {@link #fit} (resumed epochs included) */
    public List<EpochSummary> history() {
        return Collections.unmodifiableList(history);
    }

    /** A held-out validation case. */
    private record Case(String userId, List<BehaviorEvent> input, String target) {
    }

    /** One encoded training sequence. */
    private record Seq(int[] item, int[] type, int[] cat, int[] gap, String userId) {
        int len() {
            return item.length;
        }
    }

    /**
     * Trains a model.
     *
     * @param events the training events (any order; grouped by user and sorted by time here)
     * @param catalog item categories, or null
     * @return the trained model (close it when done)
     * @throws ModelTrainingException on a NaN/Inf loss or when no user has two events
     * @throws IOException when a checkpoint cannot be written or read
     */
    public DeepProfileModel fit(List<BehaviorEvent> events, Catalog catalog) throws IOException {
        if (events == null) {
            throw new BadInputException("trainer: events are required, was null");
        }
        history.clear();
        long tStart = System.nanoTime();
        Map<String, List<BehaviorEvent>> byUser = new LinkedHashMap<>();
        for (BehaviorEvent e : events) {
            byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
        }
        for (List<BehaviorEvent> l : byUser.values()) {
            l.sort((a, b) -> Long.compare(a.timestampMillis(), b.timestampMillis()));
        }
        Map<String, List<BehaviorEvent>> train = new LinkedHashMap<>();
        List<Case> cases = new ArrayList<>();
        split(byUser, train, cases);

        List<BehaviorEvent> trainEvents = new ArrayList<>();
        train.values().forEach(trainEvents::addAll);
        SequenceEncoder enc = SequenceEncoder.builder().maxLen(config.maxLen()).minItemCount(config.minItemCount())
                .categoryLevel(config.categoryLevel()).fit(trainEvents, catalog);
        List<Seq> seqs = sequences(train, enc);
        long positions = positions(seqs);
        if (seqs.isEmpty()) {
            throw new ModelTrainingException("no user has the two training events a sequence needs ("
                    + byUser.size() + " users, " + events.size() + " events)");
        }
        // validation sample: a seeded choice of at most validationUsers cases
        if (config.validationUsers() > 0 && cases.size() > config.validationUsers()) {
            Collections.shuffle(cases, new Random(config.seed() ^ 0x5DEECE66DL));
            cases = new ArrayList<>(cases.subList(0, config.validationUsers()));
        }
        int staticSize = features == null ? 0 : features.dimension();
        LOG.info("profile model: {} users, {} training sequences, {} positions, {} items, {} categories, {} validation users",
                byUser.size(), seqs.size(), positions, enc.items().knownIds(), enc.categories().knownIds(), cases.size());

        ComputationGraph net = null;
        INDArray best = null;
        double bestMetric = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        int bad = 0;
        int decays = 0;
        double lr = config.learningRate();
        int startEpoch = 1;
        String schemaHash = enc.schema().hash();
        if (checkpointDir != null && Files.exists(checkpointDir.resolve("state.json"))) {
            ObjectNode st = (ObjectNode) JSON.readTree(Files.readString(checkpointDir.resolve("state.json")));
            if (!schemaHash.equals(st.path("featureSchemaHash").asText())) {
                throw new SchemaMismatchException("checkpoint " + checkpointDir + ": feature schema hash",
                        st.path("featureSchemaHash").asText(), schemaHash);
            }
            net = Dl4jArchives.read(checkpointDir.resolve("checkpoint.zip"), true);
            startEpoch = st.path("epoch").asInt() + 1;
            bestMetric = st.path("bestMetric").asDouble(Double.NEGATIVE_INFINITY);
            bestEpoch = st.path("bestEpoch").asInt();
            bad = st.path("badEpochs").asInt();
            decays = Math.min(st.path("plateauDecays").asInt(0), config.plateauDecays());
            lr = config.learningRate() * Math.pow(config.plateauDecay(), decays);
            if (Files.exists(checkpointDir.resolve("best.zip"))) {
                ComputationGraph b = Dl4jArchives.read(checkpointDir.resolve("best.zip"), false);
                best = b.params().dup();
                b.close();
            }
            for (com.fasterxml.jackson.databind.JsonNode h : st.path("history")) {
                Map<String, Double> m = new LinkedHashMap<>();
                h.path("validation").fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asDouble()));
                history.add(new EpochSummary(h.path("epoch").asInt(), h.path("meanLoss").asDouble(), m,
                        h.path("seconds").asDouble(), h.path("improved").asBoolean()));
            }
            LOG.info("resuming from checkpoint {} after epoch {}", checkpointDir, startEpoch - 1);
            double saved = net.getLearningRate("lstm0");
            if (saved != lr) {
                // a resumed run may lower the rate (for example after a plateau); Adam's moments are kept
                LOG.info("learning rate {} of the checkpoint replaced by {}", saved, lr);
                net.setLearningRate(lr);
            }
        }
        if (net == null) {
            net = ProfileNetworks.build(config, enc, staticSize);
        }
        if (config.tieItemEmbeddings()) {
            net.setListeners(new TiedItemEmbeddings());
        }
        boolean stop = bad >= config.patience() && config.validation() != ValidationSplit.NONE && !cases.isEmpty();
        long trained = 0;
        long trainNanos = 0;
        boolean budgetSpent = false;
        int epochs = config.epochs();
        for (int epoch = startEpoch; epoch <= epochs && !stop; epoch++) {
            long e0 = System.nanoTime();
            boolean truncated = false;
            long epochPositions = 0;
            Random epochRng = new Random(config.seed() * 1_000_003L + epoch);
            List<int[]> batches = batches(seqs, epochRng);
            double lossSum = 0;
            int b = 0;
            for (int[] idx : batches) {
                b++;
                final int ep = epoch;
                final int bn = b;
                final double rateNow = lr;
                double loss = fitChecked(net, batch(seqs, idx, enc, staticSize, epochRng), "training", () -> String.format(Locale.ROOT,
                        "epoch %d, batch %d of %d (learning rate %s, gradient clip %s)",
                        ep, bn, batches.size(), rateNow, config.gradientClip()));
                lossSum += loss;
                for (int i : idx) {
                    trained += seqs.get(i).len() - 1;
                    epochPositions += seqs.get(i).len() - 1;
                }
                long now = System.nanoTime();
                double rate = trained / ((trainNanos + now - e0) / 1e9);
                double left = (double) (epochs - epoch) * positions + positions * (1.0 - (double) b / batches.size());
                listener.onBatch(new TrainingProgress(epoch, epochs, b, batches.size(), loss, rate, left / Math.max(rate, 1e-9)));
                if (timeBudgetNanos > 0 && trainNanos + now - e0 >= timeBudgetNanos) {
                    truncated = b < batches.size();
                    budgetSpent = true;
                    LOG.info("training time budget of {} s spent after epoch {}, batch {} of {}", timeBudgetNanos / 1e9,
                            epoch, b, batches.size());
                    break;
                }
            }
            double secs = (System.nanoTime() - e0) / 1e9;
            trainNanos += System.nanoTime() - e0;
            Map<String, Double> metrics = Map.of();
            boolean improved = false;
            if (config.validation() != ValidationSplit.NONE && !cases.isEmpty()) {
                metrics = validate(ProfileNetworks.extract(net, staticSize), enc, cases);
                double m = metrics.get(config.earlyStoppingMetric());
                if (m > bestMetric) {
                    bestMetric = m;
                    bestEpoch = epoch;
                    best = net.params().dup();
                    bad = 0;
                    improved = true;
                } else {
                    bad++;
                    if (bad >= config.patience() && decays < config.plateauDecays()) {
                        // reduce on plateau: go on from the current weights (and Adam moments) at a lower rate
                        decays++;
                        lr *= config.plateauDecay();
                        net.setLearningRate(lr);
                        bad = 0;
                        LOG.info("no better validation {} for {} epochs: learning rate lowered to {} (decay {} of {})",
                                config.earlyStoppingMetric(), config.patience(), lr, decays, config.plateauDecays());
                    }
                    stop = bad >= config.patience();
                }
            }
            EpochSummary s = new EpochSummary(epoch, lossSum / Math.max(1, b), metrics, secs, improved);
            history.add(s);
            LOG.info(String.format(Locale.ROOT, "epoch %d/%d: loss %.4f, %.1f s, %.0f positions/s, validation %s%s",
                    epoch, epochs, s.meanLoss(), secs, epochPositions / secs, metrics, improved ? " (best)" : "")
                    + (truncated ? " (truncated by the time budget)" : ""));
            listener.onEpoch(s);
            if (checkpointDir != null) {
                checkpoint(net, improved, epoch, bestMetric, bestEpoch, bad, decays, schemaHash);
            }
            if (budgetSpent) {
                break;
            }
        }
        if (best != null) {
            net.setParams(best);
        }
        int refitted = 0;
        if (config.refitEpochs() > 0 && !cases.isEmpty()) {
            long r0 = System.nanoTime();
            refit(net, byUser, enc, staticSize, history.isEmpty() ? 1 : history.get(history.size() - 1).epoch() + 1);
            trainNanos += System.nanoTime() - r0;
            refitted = config.refitEpochs();
        }
        ObjectNode manifest = manifest(enc, byUser.size(), events.size(), seqs.size(), positions, staticSize,
                (System.nanoTime() - tStart) / 1e9, trainNanos / 1e9, bestEpoch, refitted);
        DeepProfileModel model = ProfileArtifacts.serving(enc, net, manifest, features);
        if (keepNetwork) {
            lastNetwork = net;
        } else {
            net.close();
        }
        return model;
    }

    /**
     * Tests: keep the trained DL4J network after {@link #fit} (the caller closes it) instead of
     * releasing it.
     */
    ProfileTrainer keepNetwork() {
        this.keepNetwork = true;
        return this;
    }

    /** The network the last {@link #fit} trained, when {@link #keepNetwork()} was asked for. */
    ComputationGraph network() {
        return lastNetwork;
    }

    /**
     * One optimisation step; a NaN or infinite loss closes the network and raises
     * {@link ModelTrainingException} saying which phase diverged and where.
     */
    private static double fitChecked(ComputationGraph net, MultiDataSet ds, String phase, java.util.function.Supplier<String> where) {
        net.fit(ds);
        double loss = net.score();
        if (!Double.isFinite(loss)) {
            net.close();
            throw new ModelTrainingException(phase + " diverged: loss is " + loss + " at " + where.get());
        }
        return loss;
    }

    /** Training sequences of the histories: per user the newest window, then up to {@code windows - 1} earlier ones. */
    private List<Seq> sequences(Map<String, List<BehaviorEvent>> histories, SequenceEncoder enc) {
        List<Seq> seqs = new ArrayList<>();
        for (Map.Entry<String, List<BehaviorEvent>> u : histories.entrySet()) {
            List<BehaviorEvent> h = u.getValue();
            // newest window first; each earlier one ends at the first event of the next
            int end = h.size();
            for (int w = 0; w < config.windows() && end >= 2; w++) {
                EncodedSequence es = enc.encode(end == h.size() ? h : h.subList(0, end), config.maxLen() + 1, false);
                if (es.length() < 2) {
                    break;
                }
                seqs.add(new Seq(es.items(), es.types(), es.categories(), es.gaps(), u.getKey()));
                end -= config.maxLen();
            }
        }
        return seqs;
    }

    private static long positions(List<Seq> seqs) {
        long p = 0;
        for (Seq s : seqs) {
            p += s.len() - 1;
        }
        return p;
    }

    /**
     * The refit phase: {@link ProfileModelConfig#refitEpochs()} epochs from the best weights on every
     * user's whole input (validation events included), at the refit learning rate.
     */
    private void refit(ComputationGraph net, Map<String, List<BehaviorEvent>> byUser, SequenceEncoder enc, int staticSize,
                       int firstEpoch) {
        List<Seq> seqs = sequences(byUser, enc);
        long positions = positions(seqs);
        net.setLearningRate(config.refitLearningRate());
        int last = firstEpoch + config.refitEpochs() - 1;
        LOG.info("refit: {} epochs at learning rate {} on {} sequences, {} positions (validation events included)",
                config.refitEpochs(), config.refitLearningRate(), seqs.size(), positions);
        long trained = 0;
        long t0 = System.nanoTime();
        for (int epoch = firstEpoch; epoch <= last; epoch++) {
            long e0 = System.nanoTime();
            Random epochRng = new Random(config.seed() * 1_000_003L + epoch);
            List<int[]> batches = batches(seqs, epochRng);
            double lossSum = 0;
            int b = 0;
            for (int[] idx : batches) {
                b++;
                final int ep = epoch;
                final int bn = b;
                double loss = fitChecked(net, batch(seqs, idx, enc, staticSize, epochRng), "refit", () -> String.format(Locale.ROOT,
                        "refit epoch %d, batch %d of %d (refit learning rate %s)", ep, bn, batches.size(), config.refitLearningRate()));
                lossSum += loss;
                for (int i : idx) {
                    trained += seqs.get(i).len() - 1;
                }
                double rate = trained / ((System.nanoTime() - t0) / 1e9);
                double left = (double) (last - epoch) * positions + positions * (1.0 - (double) b / batches.size());
                listener.onBatch(new TrainingProgress(epoch, last, b, batches.size(), loss, rate, left / Math.max(rate, 1e-9)));
            }
            double secs = (System.nanoTime() - e0) / 1e9;
            EpochSummary s = new EpochSummary(epoch, lossSum / Math.max(1, b), Map.of(), secs, false);
            history.add(s);
            LOG.info(String.format(Locale.ROOT, "refit epoch %d/%d: loss %.4f, %.1f s", epoch, last, s.meanLoss(), secs));
            listener.onEpoch(s);
        }
    }

    private void split(Map<String, List<BehaviorEvent>> byUser, Map<String, List<BehaviorEvent>> train, List<Case> cases) {
        ValidationSplit v = config.validation();
        if (v == ValidationSplit.TEMPORAL) {
            long[] ts = byUser.values().stream().flatMap(List::stream).mapToLong(BehaviorEvent::timestampMillis).sorted().toArray();
            long cut = ts.length == 0 ? 0 : ts[(int) Math.min(ts.length - 1, Math.floor(ts.length * (1 - config.validationFraction())))];
            for (Map.Entry<String, List<BehaviorEvent>> u : byUser.entrySet()) {
                List<BehaviorEvent> before = new ArrayList<>();
                BehaviorEvent after = null;
                for (BehaviorEvent e : u.getValue()) {
                    if (e.timestampMillis() < cut) {
                        before.add(e);
                    } else if (after == null && e.itemId() != null) {
                        after = e;
                    }
                }
                train.put(u.getKey(), before);
                if (after != null && !before.isEmpty()) {
                    cases.add(new Case(u.getKey(), before, after.itemId()));
                }
            }
            return;
        }
        for (Map.Entry<String, List<BehaviorEvent>> u : byUser.entrySet()) {
            List<BehaviorEvent> h = u.getValue();
            BehaviorEvent last = h.get(h.size() - 1);
            if (v == ValidationSplit.LEAVE_ONE_OUT && h.size() >= 3 && last.itemId() != null) {
                List<BehaviorEvent> in = h.subList(0, h.size() - 1);
                train.put(u.getKey(), in);
                cases.add(new Case(u.getKey(), in, last.itemId()));
            } else {
                train.put(u.getKey(), h);
            }
        }
    }

    /** One epoch's mini-batches: a seeded shuffle, length-sorted within windows, batches shuffled. */
    private List<int[]> batches(List<Seq> seqs, Random rng) {
        int n = seqs.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int bs = config.batchSize();
        List<int[]> out = new ArrayList<>();
        int window = config.bucketWindow() == 0 ? bs : bs * config.bucketWindow();
        for (int w = 0; w < n; w += window) {
            Integer[] win = new Integer[Math.min(n, w + window) - w];
            for (int i = 0; i < win.length; i++) {
                win[i] = order[w + i];
            }
            if (config.bucketWindow() > 0) {
                Arrays.sort(win, (p, q) -> Integer.compare(seqs.get(p).len(), seqs.get(q).len()));
            }
            for (int s = 0; s < win.length; s += bs) {
                int[] batch = new int[Math.min(win.length, s + bs) - s];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = win[s + i];
                }
                out.add(batch);
            }
        }
        Collections.shuffle(out, rng);
        return out;
    }

    private MultiDataSet batch(List<Seq> seqs, int[] idx, SequenceEncoder enc, int staticSize, Random rng) {
        int mb = idx.length;
        int t = 0;
        for (int i : idx) {
            t = Math.max(t, seqs.get(i).len() - 1);
        }
        int nCat = enc.categories().size();
        float[][] x = new float[4][mb * t];
        float[] mask = new float[mb * t];
        float[] next = new float[mb * t];
        float[] nextW = new float[mb * t];
        float[] purchase = new float[mb];
        float[] purchaseW = new float[mb];
        float[] cat = new float[mb * nCat];
        float[] catW = new float[mb];
        float[] stat = staticSize > 0 ? new float[mb * staticSize] : null;
        int purchaseIdx = EventTypeIndex.index(EventType.PURCHASE);
        float wNext = (float) config.nextItemWeight();
        for (int r = 0; r < mb; r++) {
            Seq s = seqs.get(idx[r]);
            int len = s.len() - 1;
            for (int k = 0; k < len; k++) {
                int o = r * t + k;
                x[0][o] = s.item[k];
                x[1][o] = s.type[k];
                x[2][o] = s.cat[k];
                x[3][o] = s.gap[k];
                mask[o] = 1f;
                int target = s.item[k + 1];
                if (target >= IdVocabulary.FIRST_ID) {
                    next[o] = target;
                    nextW[o] = wNext;
                }
            }
            boolean bought = s.type[len] == purchaseIdx;
            purchase[r] = bought ? 1f : 0f;
            purchaseW[r] = (float) (config.purchaseWeight() * (bought ? config.purchaseClassWeight() : 1.0));
            int c = s.cat[len];
            if (c >= IdVocabulary.FIRST_ID) {
                cat[r * nCat + c] = 1f;
                catW[r] = (float) config.categoryWeight();
            }
            if (stat != null) {
                float[] f = features.features(s.userId);
                if (f != null) {
                    if (f.length != staticSize) {
                        throw new BadInputException("user features of '" + s.userId + "' have length " + f.length + ", expected " + staticSize);
                    }
                    System.arraycopy(f, 0, stat, r * staticSize, staticSize);
                }
            }
        }
        INDArray fm = Nd4j.create(mask, new long[] {mb, t}, 'c');
        INDArray[] f = new INDArray[staticSize > 0 ? 5 : 4];
        INDArray[] fms = new INDArray[f.length];
        for (int k = 0; k < 4; k++) {
            f[k] = Nd4j.create(x[k], new long[] {mb, t}, 'c');
            fms[k] = fm;
        }
        if (staticSize > 0) {
            f[4] = Nd4j.create(stat, new long[] {mb, staticSize}, 'c');
        }
        INDArray nextLabels;
        INDArray nextMask;
        int neg = config.sampledNegatives();
        if (neg > 0) {
            // sampled softmax: [rows, 2 + neg] = target, weight, and in row 0 the shared negatives
            int cols = 2 + neg;
            // rows in the order of DL4J's RNN-to-feed-forward reshape: row = step * batch + sequence
            float[] lab = new float[mb * t * cols];
            for (int r = 0; r < mb; r++) {
                for (int k = 0; k < t; k++) {
                    int row = k * mb + r;
                    lab[row * cols] = next[r * t + k];
                    lab[row * cols + 1] = nextW[r * t + k];
                }
            }
            int range = enc.items().size() - IdVocabulary.FIRST_ID;
            for (int k = 0; k < neg; k++) {
                lab[2 + k] = IdVocabulary.FIRST_ID + rng.nextInt(range);
            }
            nextLabels = Nd4j.create(lab, new long[] {(long) mb * t, cols}, 'c');
            nextMask = null;
        } else {
            nextLabels = Nd4j.create(next, new long[] {mb, 1, t}, 'c');
            nextMask = Nd4j.create(nextW, new long[] {mb, t}, 'c');
        }
        INDArray purchaseL = Nd4j.create(purchase, new long[] {mb, 1}, 'c');
        INDArray purchaseM = Nd4j.create(purchaseW, new long[] {mb, 1}, 'c');
        INDArray catL = Nd4j.create(cat, new long[] {mb, nCat}, 'c');
        INDArray catM = Nd4j.create(catW, new long[] {mb, 1}, 'c');
        // output order of ProfileNetworks.build: the sampled head is not first, so that DL4J takes the
        // mini-batch size (gradient scaling, reshapes) from a per-sequence label array
        INDArray[] l = neg > 0 ? new INDArray[] {purchaseL, nextLabels, catL} : new INDArray[] {nextLabels, purchaseL, catL};
        INDArray[] lm = neg > 0 ? new INDArray[] {purchaseM, nextMask, catM} : new INDArray[] {nextMask, purchaseM, catM};
        return new MultiDataSet(f, l, fms, lm);
    }

    /** Full-ranking HR/NDCG/MRR of the validation cases through the lean path. */
    private Map<String, Double> validate(LeanProfileNetwork lean, SequenceEncoder enc, List<Case> cases) {
        int threads = config.threads();
        double[][] acc = new double[threads][5];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, "persona4j-validation");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                final double[] a = acc[w];
                fs.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < cases.size()) {
                        rankCase(lean, enc, cases.get(i), a);
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("validation interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("validation failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        double[] s = new double[5];
        for (double[] a : acc) {
            for (int k = 0; k < 5; k++) {
                s[k] += a[k];
            }
        }
        int n = cases.size();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("hr@10", s[0] / n);
        m.put("ndcg@10", s[1] / n);
        m.put("hr@20", s[2] / n);
        m.put("ndcg@20", s[3] / n);
        m.put("mrr@20", s[4] / n);
        return m;
    }

    /** Rank of {@code target} among all items (history excluded, ties against), or -1 when unknown. */
    static int rank(float[] scores, int target, int[] exclude) {
        if (target < IdVocabulary.FIRST_ID) {
            return -1;
        }
        float tv = scores[target];
        boolean[] skip = new boolean[scores.length];
        for (int e : exclude) {
            if (e != target) {
                skip[e] = true;
            }
        }
        int above = 0;
        for (int i = IdVocabulary.FIRST_ID; i < scores.length; i++) {
            if (i != target && !skip[i] && scores[i] >= tv) {
                above++;
            }
        }
        return above;
    }

    private static void rankCase(LeanProfileNetwork lean, SequenceEncoder enc, Case c, double[] a) {
        ProfileNetState st = lean.initialState();
        long prev = -1;
        int[] hist = new int[c.input().size()];
        int i = 0;
        for (BehaviorEvent e : c.input()) {
            var s = enc.encodeStep(e, prev);
            st = lean.step(st, s.item(), s.type(), s.category(), s.gap());
            prev = e.timestampMillis();
            hist[i++] = s.item();
        }
        int r = rank(lean.scores(lean.userVector(st)), enc.items().index(c.target()), hist);
        if (r < 0) {
            return;
        }
        if (r < 10) {
            a[0] += 1;
            a[1] += 1 / (Math.log(r + 2) / Math.log(2));
        }
        if (r < 20) {
            a[2] += 1;
            a[3] += 1 / (Math.log(r + 2) / Math.log(2));
            a[4] += 1.0 / (r + 1);
        }
    }

    private void checkpoint(ComputationGraph net, boolean improved, int epoch, double bestMetric, int bestEpoch, int bad,
                            int decays, String schemaHash) throws IOException {
        Files.createDirectories(checkpointDir);
        writeAtomically(checkpointDir.resolve("checkpoint.zip"), p -> ModelSerializer.writeModel(net, p.toFile(), true));
        if (improved) {
            writeAtomically(checkpointDir.resolve("best.zip"), p -> ModelSerializer.writeModel(net, p.toFile(), false));
        }
        ObjectNode st = JSON.createObjectNode();
        st.put("epoch", epoch);
        st.put("bestMetric", bestMetric);
        st.put("bestEpoch", bestEpoch);
        st.put("badEpochs", bad);
        st.put("plateauDecays", decays);
        st.put("featureSchemaHash", schemaHash);
        ArrayNode h = st.putArray("history");
        for (EpochSummary s : history) {
            ObjectNode o = h.addObject();
            o.put("epoch", s.epoch());
            o.put("meanLoss", s.meanLoss());
            o.put("seconds", s.seconds());
            o.put("improved", s.improved());
            ObjectNode v = o.putObject("validation");
            s.validation().forEach(v::put);
        }
        writeAtomically(checkpointDir.resolve("state.json"),
                p -> Files.writeString(p, st.toPrettyString(), StandardCharsets.UTF_8));
    }

    private interface Writer {
        void write(Path p) throws IOException;
    }

    private static void writeAtomically(Path target, Writer w) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            w.write(tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private ObjectNode manifest(SequenceEncoder enc, int users, int events, int seqs, long positions, int staticSize,
                                double totalSeconds, double trainSeconds, int bestEpoch, int refitEpochs) {
        ObjectNode m = JSON.createObjectNode();
        m.put("sdkVersion", SDK_VERSION);
        m.put("featureSchemaHash", enc.schema().hash());
        m.set("hyperParameters", JSON.valueToTree(config.toMap()));
        ObjectNode sf = m.putObject("staticFeatures");
        sf.put("dimension", staticSize);
        sf.put("schemaHash", features == null ? "" : features.schemaHash());
        ObjectNode p = m.putObject("provenance");
        p.put("data", dataDescription);
        p.put("users", users);
        p.put("events", events);
        p.put("trainingSequences", seqs);
        p.put("trainingPositions", positions);
        p.put("items", enc.items().knownIds());
        p.put("categories", enc.categories().knownIds());
        p.put("seed", config.seed());
        p.put("javaVersion", System.getProperty("java.version"));
        p.put("javaVendor", System.getProperty("java.vendor"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        p.put("dl4jVersion", org.deeplearning4j.nn.conf.NeuralNetConfiguration.class.getPackage().getImplementationVersion());
        p.set("backend", JSON.valueToTree(BackendInfo.current().toMap()));
        p.put("createdAt", Instant.now().toString());
        p.put("epochsTrained", history.size());
        p.put("bestEpoch", bestEpoch);
        p.put("refitEpochs", refitEpochs);
        p.put("trainSeconds", trainSeconds);
        p.put("totalSeconds", totalSeconds);
        if (!history.isEmpty()) {
            EpochSummary b = history.stream().filter(s -> s.epoch() == bestEpoch).findFirst().orElse(history.get(history.size() - 1));
            p.set("validation", JSON.valueToTree(b.validation()));
        }
        return m;
    }
}
