package org.persona4j.models.train;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.features.sequence.SequenceEncoder;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.profile.UserFeatureSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link DeepProfileModel} on events.
 *
 * <p>Data ({@link TrainingData}): events are grouped by user (time order, stable). The validation
 * split ({@link ProfileModelConfig#validation()}) holds out each user's last event (leave-one-out)
 * or the events after a time cut; the rest is the training history. A user's training sequence is
 * the last {@code maxLen + 1} events of its training history (with
 * {@link ProfileModelConfig#windows()} above 1, earlier windows of a long history too): inputs are
 * all but the last, the next-item target of every step is the following item (out-of-vocabulary
 * targets are masked), the last-step category head learns the category of the event after the
 * input, and the purchase and churn heads learn at every step whether the user buys within the
 * purchase horizon and stays idle for the churn period after it, censored cuts masked
 * ({@link PropensityLabels}, {@link BatchAssembler}). A seeded share of users keeps its purchase and
 * churn labels out of training; the heads are validated on them after each epoch (ROC-AUC, Brier)
 * and calibrated on them (Platt scaling, stored in the artifact) after training
 * ({@link PropensityValidation}). Mini-batches are length-bucketed
 * ({@link ProfileModelConfig#bucketWindow()}): each epoch is one seeded permutation, sorted by
 * length within windows of batches, then the batches are shuffled.
 *
 * <p>Optimisation: Adam with per-layer L2 gradient clipping; loss weights and the purchase class
 * weight are applied through label masks. After each epoch the validation users are ranked against
 * all items (history excluded, ties counted against) through the lean inference path, and
 * training stops when {@link ProfileModelConfig#earlyStoppingMetric()} has not improved for
 * {@link ProfileModelConfig#patience()} epochs (or, while {@link ProfileModelConfig#plateauDecays()}
 * allows, goes on from the current weights at the learning rate times
 * {@link ProfileModelConfig#plateauDecay()} with a fresh patience; {@link StoppingState}); the best
 * epoch's weights are kept, and {@link ProfileModelConfig#refitEpochs()} more epochs then train on
 * the whole input. A NaN or infinite loss raises {@link ModelTrainingException} naming the epoch
 * and batch. With a checkpoint folder, the network with its updater state is saved after each epoch
 * and a new trainer on the same folder resumes after the last finished epoch ({@link Checkpoints}).
 *
 * <p>After training, unless turned off ({@link #blend}), the trainer learns the default
 * recommender's blend on the validation cases and writes it into the artifact
 * ({@link org.persona4j.recommend.DefaultRecommender}). With {@link #dataParallel} the epochs'
 * steps run on workers by parameter averaging ({@link DataParallel}); everything else stays here.
 *
 * <p>Deterministic: the same events, configuration and ND4J thread count give identical weights
 * (batch order comes from per-epoch seeded generators; DL4J initialisation from the seed; the
 * validation figures do not depend on {@link #threads(int)}). One trainer runs one training at a
 * time; nothing global of ND4J is changed.
 */
public final class ProfileTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileTrainer.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper BLEND_JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    /** The SDK version recorded in artifacts, this build's version. */
    public static final String SDK_VERSION = Provenance.SDK_VERSION;

    private final ProfileModelConfig config;
    private TrainingListener listener = TrainingListener.NONE;
    private UserFeatureSource features;
    private Path checkpointDir;
    private long timeBudgetNanos;
    private String dataDescription = "unspecified";
    private int threads = 1;
    private final List<EpochSummary> history = new ArrayList<>();
    private boolean keepNetwork;
    private ComputationGraph lastNetwork;
    private DataParallel.Workers workers;
    private int stepsPerRound;
    /** The current fit's data-parallel context, null on one machine. */
    private Parallel parallel;
    private boolean learnBlend = true;
    private int blendShortHistory = org.persona4j.recommend.LearnedBlend.SHORT_HISTORY;
    private int blendCases = org.persona4j.recommend.LearnedBlend.MAX_CASES;
    /** The blend the last {@link #fit} learned, or null. */
    private org.persona4j.recommend.LearnedBlend lastBlend;
    /** Receives the model of the best epoch's weights before the refit, or null. */
    private java.util.function.Consumer<DeepProfileModel> beforeRefit;
    /** The hyper-parameter search's budget, or null for none. */
    private HyperparameterSearch.Budget searchBudget;
    /** A race's trials (the configuration as given, then the candidates), or null when the search draws its trials. */
    private List<Map<String, String>> raceTrials;
    /** The search the last {@link #fit} ran, or null. */
    private HyperparameterSearch.Result lastSearch;
    /** A search trial: trains and validates only (no calibration). */
    private boolean searchTrial;
    /** The search that chose this trainer's configuration, written into the provenance, or null. */
    private Map<String, Object> searchRecord;
    private Engine engine = Engine.FUSED;
    /** Adam's moments of the fused path, beside the checkpoint (the graph's own updater state is DL4J's). */
    private static final String FUSED_OPTIMIZER = "fused-optimizer.bin";
    /** The current fit's fused steps, null on the DL4J path. */
    private FusedSteps fusedSteps;
    private Map<String, Double> lastPhaseSeconds = Map.of();

    /**
     * @return where the last {@link #fit}'s optimisation steps spent their time on the fused path
     *     (seconds per phase of {@link org.persona4j.models.train.fused.FusedProfileTrainer#PHASES}); empty on the DL4J path
     */
    public Map<String, Double> phaseSeconds() {
        return lastPhaseSeconds;
    }

    /**
     * How the optimisation steps are computed. Both train the same model (same parameters,
     * gradients, clipping, Adam and weight decay; see {@link org.persona4j.models.train.fused.FusedProfileTrainer});
     * they differ in speed and in the random dropout masks.
     */
    public enum Engine {
        /**
         * The fused ND4J path (the default): packed sequences, no padded steps, buffers allocated
         * once. Used where it applies (a full-softmax head on one machine); elsewhere training falls
         * back to {@link #DL4J}.
         */
        FUSED,
        /** DL4J's {@code ComputationGraph.fit} on padded, masked batches. */
        DL4J
    }

    /**
     * @param e the engine of the optimisation steps, not null (default {@link Engine#FUSED})
     * @return this
     */
    public ProfileTrainer engine(Engine e) {
        if (e == null) {
            throw new BadInputException("trainer: engine is required, was null");
        }
        this.engine = e;
        return this;
    }

    /** @param config the hyper-parameters, not null */
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

    /**
     * Threads that rank the validation users after each epoch (a runtime setting: the figures and
     * the trained weights do not depend on it; ND4J's own threads are set by the host).
     *
     * @param n threads, {@code >= 1} (default 1)
     * @return this
     */
    public ProfileTrainer threads(int n) {
        if (n < 1) {
            throw new BadInputException("trainer: threads must be >= 1, was " + n);
        }
        this.threads = n;
        return this;
    }

    /**
     * Trains data-parallel: the epochs' optimisation steps run on {@code workers}, each on its shard
     * of the training sequences, with their weights and Adam moments averaged every
     * {@code stepsPerRound} steps ({@link DataParallel}); data preparation, validation, early
     * stopping, checkpoints and calibration stay here. Not combined with {@link #userFeatures}.
     *
     * @param workers where the rounds run (the caller closes it), or null to train in this JVM
     * @param stepsPerRound the most steps a worker takes between two averages, {@code >= 1}
     * @return this
     */
    public ProfileTrainer dataParallel(DataParallel.Workers workers, int stepsPerRound) {
        if (workers != null && (workers.size() < 1 || stepsPerRound < 1)) {
            throw new BadInputException("trainer: data-parallel training needs at least 1 worker and stepsPerRound >= 1, was "
                    + workers.size() + " workers and " + stepsPerRound + " steps");
        }
        this.workers = workers;
        this.stepsPerRound = stepsPerRound;
        return this;
    }

    /**
     * Whether to learn the default recommender's blend after training (on by default): the weights
     * of the model's retrieval, item-kNN and session-kNN ({@link org.persona4j.recommend.DefaultRecommender})
     * learned on the validation cases with the best epoch's weights before the refit and with both
     * kNNs fitted on the events without the validation targets ({@link org.persona4j.recommend.LearnedBlend}),
     * written to the artifact's manifest under {@code "blend"}. Needs a validation split.
     *
     * @param learn whether to learn it
     * @param shortHistory the most events of a short history (weights apart), {@code >= 0}
     * @param maxCases the most validation cases used (a seeded sample), {@code >= 1}
     * @return this
     */
    public ProfileTrainer blend(boolean learn, int shortHistory, int maxCases) {
        if (shortHistory < 0 || maxCases < 1) {
            throw new BadInputException("trainer: blend needs shortHistory >= 0 and maxCases >= 1, were " + shortHistory + " and "
                    + maxCases);
        }
        this.learnBlend = learn;
        this.blendShortHistory = shortHistory;
        this.blendCases = maxCases;
        return this;
    }

    /**
     * Runs a bounded, seeded hyper-parameter search on the validation split before training
     * ({@link HyperparameterSearch}): {@code budget.trials()} configurations (the first is this
     * trainer's), each trained for at most {@code budget.epochsPerTrial()} epochs and scored by the
     * best validation value of the early-stopping metric; the best one is then trained with the full
     * schedule (refit, blend and calibration as usual), and every trial is written into the
     * artifact's provenance under {@code search}. Needs a validation split. Checkpoints and a time
     * budget apply to the final training only.
     *
     * @param budget trials and epochs per trial, or null for no search (the default)
     * @return this
     */
    public ProfileTrainer search(HyperparameterSearch.Budget budget) {
        this.searchBudget = budget;
        this.raceTrials = null;
        return this;
    }

    /**
     * A race between the configuration as given and the caller's candidates, by the same
     * successive halving as {@link #search(HyperparameterSearch.Budget)}, instead of drawn trials:
     * for example the next-items loss with the seen-item mask against the plain next-item loss,
     * which the validation curves rank from about 12 epochs on (docs/benchmarks.md).
     *
     * @param epochs the epochs of the first rung, {@code >= 1}
     * @param candidates option settings by {@link ProfileOptions} name, one map per candidate; those
     *     that leave the configuration as it is are left out, and with none left there is no race
     * @return this
     * @throws org.persona4j.core.BadInputException on no candidate or a bad option
     */
    public ProfileTrainer race(int epochs, List<Map<String, String>> candidates) {
        List<Map<String, String>> trials = HyperparameterSearch.race(config, candidates);
        if (trials.size() < 2) {
            LOG.info("race: every candidate {} is the configuration as given; training it without a race", candidates);
            this.raceTrials = null;
            this.searchBudget = null;
            return this;
        }
        this.raceTrials = trials;
        this.searchBudget = new HyperparameterSearch.Budget(raceTrials.size(), epochs);
        return this;
    }

    /** @return the search the last {@link #fit} ran, or null (none) */
    public HyperparameterSearch.Result lastSearch() {
        return lastSearch;
    }

    /** @return the blend the last {@link #fit} learned, or null (none learned) */
    public org.persona4j.recommend.LearnedBlend learnedBlend() {
        return lastBlend;
    }

    /** @return the summaries of the epochs of the last {@link #fit} (resumed epochs included) */
    public List<EpochSummary> history() {
        return Collections.unmodifiableList(history);
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
        lastSearch = null;
        lastPhaseSeconds = Map.of();
        if (searchBudget != null) {
            return fitWithSearch(events, catalog);
        }
        try {
            return fitOnce(events, catalog);
        } finally {
            releaseFusedSteps();
        }
    }

    /** Records the fused path's phase times and frees its buffers (parameters, gradients, Adam's moments). */
    private void releaseFusedSteps() {
        if (fusedSteps != null) {
            lastPhaseSeconds = fusedSteps.phaseSeconds();
            LOG.info("fused training phases, seconds: {}", lastPhaseSeconds);
            fusedSteps.close();
            fusedSteps = null;
        }
    }

    private DeepProfileModel fitOnce(List<BehaviorEvent> events, Catalog catalog) throws IOException {
        long tStart = System.nanoTime();
        TrainingData data = TrainingData.split(events, config);
        SequenceEncoder enc = SequenceEncoder.builder().maxLen(config.maxLen()).minItemCount(config.minItemCount())
                .categoryLevel(config.categoryLevel()).fit(data.trainingEvents(), catalog);
        PropensityLabels labels = data.labels(config.targets(), false);
        List<TrainingData.Seq> seqs = TrainingData.sequences(data.train(), enc, config.maxLen(), config.windows(), labels);
        long positions = TrainingData.positions(seqs);
        if (seqs.isEmpty()) {
            throw new ModelTrainingException("no user has the two training events a sequence needs ("
                    + data.byUser().size() + " users, " + events.size() + " events)");
        }
        List<ProfileModelEvaluation.Case> cases = data.cases();
        boolean validating = config.validation() != ValidationSplit.NONE && !cases.isEmpty();
        int staticSize = features == null ? 0 : features.dimension();
        double[] purchaseRate = positiveRate(seqs, true);
        double[] churnRate = positiveRate(seqs, false);
        double purchaseClassWeight = classWeight(config.purchaseClassWeight(), purchaseRate);
        double churnClassWeight = classWeight(config.churnClassWeight(), churnRate);
        boolean churnTrained = churnRate[0] > 0 && config.churnWeight() > 0;
        BatchAssembler assembler = new BatchAssembler(config, enc, features, staticSize, purchaseClassWeight, churnClassWeight);
        parallel = null;
        if (workers != null) {
            if (features != null) {
                throw new BadInputException("trainer: data-parallel training does not take static user features"
                        + " (userFeatures); train without them or on one machine");
            }
            parallel = new Parallel(DataParallel.configJson(config), enc.toJson(), purchaseClassWeight, churnClassWeight);
            parallel.load("training", DataParallel.deal(seqs, workers.size(), config.seed()));
        }
        List<TrainingData.HeadCase> headCases = data.headCases(config.targets());
        LOG.info(String.format(Locale.ROOT, "propensity targets (%s): purchase %s: %.0f labelled cut points, positive rate %.4f,"
                + " class weight %.3f; churn %s: %.0f labelled, positive rate %.4f, class weight %.3f%s",
                labels.timed() ? "timed" : "no usable timestamps: event-count fallback",
                labels.timed() ? "within " + config.purchaseHorizonDays() + " d" : "within " + config.horizonEvents() + " events",
                purchaseRate[0], purchaseRate[1], purchaseClassWeight,
                "after " + config.churnHorizonDays() + " d idle", churnRate[0], churnRate[1], churnClassWeight,
                churnTrained ? "" : " (churn head not trained: no labelled cut point)")
                + ", " + headCases.size() + " users hold their labels out to validate and calibrate these heads");
        LOG.info("profile model: {} users, {} training sequences, {} positions, {} items, {} categories, {} validation users",
                data.byUser().size(), seqs.size(), positions, enc.items().knownIds(), enc.categories().knownIds(), cases.size());

        String schemaHash = enc.schema().hash();
        Checkpoints checkpoints = checkpointDir == null ? null : new Checkpoints(checkpointDir);
        ComputationGraph net;
        INDArray best = null;
        StoppingState state = StoppingState.start(config);
        if (checkpoints != null && checkpoints.exists()) {
            Checkpoints.Restored r = checkpoints.restore(schemaHash);
            net = r.network();
            best = r.best();
            state = r.state().resumedWith(config);
            history.addAll(r.history());
            LOG.info("resuming from checkpoint {} after epoch {}", checkpointDir, state.epoch());
            double saved = net.getLearningRate("lstm0");
            if (saved != state.learningRate()) {
                // a resumed run may lower the rate (for example after a plateau); Adam's moments are kept
                LOG.info("learning rate {} of the checkpoint replaced by {}", saved, state.learningRate());
                net.setLearningRate(state.learningRate());
            }
        } else {
            net = ProfileNetworks.build(config, enc, staticSize);
        }
        if (config.tieItemEmbeddings()) {
            net.setListeners(new TiedItemEmbeddings());
        }
        if (engine == Engine.FUSED && parallel == null && FusedSteps.supports(net)) {
            fusedSteps = new FusedSteps(net, config, enc, staticSize, assembler);
            if (checkpoints != null && fusedSteps.loadOptimizer(checkpointDir.resolve(FUSED_OPTIMIZER))) {
                LOG.info("fused optimizer state restored from {}", checkpointDir.resolve(FUSED_OPTIMIZER));
            }
        }
        if (parallel != null && engine == Engine.FUSED && FusedSteps.supports(net)) {
            // the workers take fused steps; their Adam moments live here between rounds, in the fused trainer's layout
            parallel.fused = true;
            if (checkpoints != null) {
                parallel.moments = FusedSteps.readMoments(checkpointDir.resolve(FUSED_OPTIMIZER));
                if (parallel.moments != null) {
                    LOG.info("fused optimizer state restored from {}", checkpointDir.resolve(FUSED_OPTIMIZER));
                }
            }
        }
        if ((config.nextItems() > 1 || config.maskSeen()) && fusedSteps == null && !(parallel != null && parallel.fused)) {
            throw new BadInputException("profile model config: " + (config.nextItems() > 1 ? "nextItems " + config.nextItems()
                    : "maskSeen") + " needs the fused engine,"
                    + " but this run takes DL4J's steps (engine " + engine + (FusedSteps.supports(net) ? ""
                    : ", a checkpoint of a network the fused engine cannot train") + "); leave it out or use the fused engine");
        }
        LOG.info("optimisation steps: {}", fusedSteps != null ? "fused" : parallel != null && parallel.fused
                ? "fused, on the data-parallel workers" : "DL4J");
        boolean stop = validating && state.exhausted(config);
        Phase training = new Phase(config.epochs(), positions, timeBudgetNanos);
        for (int epoch = state.epoch() + 1; epoch <= config.epochs() && !stop; epoch++) {
            double lr = state.learningRate();
            int ep = epoch;
            EpochRun run = runEpoch(net, training, epoch, seqs, assembler, "training", (b, n) -> String.format(Locale.ROOT,
                    "epoch %d, batch %d of %d (learning rate %s, gradient clip %s)", ep, b, n, lr, config.gradientClip()));
            Map<String, Double> metrics = Map.of();
            StoppingState before = state;
            if (validating) {
                org.persona4j.models.nn.LeanProfileNetwork lean = ProfileNetworks.extract(net, staticSize, churnTrained);
                metrics = new java.util.LinkedHashMap<>(ProfileModelEvaluation.validate(lean, enc, cases, threads));
                metrics.putAll(PropensityValidation.metrics(PropensityValidation.raw(lean, enc, headCases, features, threads)));
                state = state.validated(epoch, metrics.get(config.earlyStoppingMetric()), config);
                if (state.improved()) {
                    best = net.params().dup();
                }
                if (state.decayedSince(before)) {
                    net.setLearningRate(state.learningRate());
                    LOG.info("no better validation {} for {} epochs: learning rate lowered to {} (decay {} of {})",
                            config.earlyStoppingMetric(), config.patience(), state.learningRate(), state.plateauDecays(),
                            config.plateauDecays());
                }
                stop = state.exhausted(config);
            } else {
                state = state.unvalidated(epoch);
            }
            boolean improved = validating && state.improved();
            EpochSummary s = new EpochSummary(epoch, run.meanLoss(), metrics, run.seconds(), improved);
            history.add(s);
            LOG.info(String.format(Locale.ROOT, "epoch %d/%d: loss %.4f, %.1f s, %.0f positions/s, validation %s%s",
                    epoch, config.epochs(), s.meanLoss(), run.seconds(), run.positions() / run.seconds(), metrics,
                    improved ? " (best)" : "") + (run.truncated() ? " (truncated by the time budget)" : ""));
            listener.onEpoch(s);
            if (checkpoints != null) {
                checkpoints.save(net, improved, state, schemaHash, history);
                if (fusedSteps != null) {
                    fusedSteps.saveOptimizer(checkpointDir.resolve(FUSED_OPTIMIZER));
                } else if (parallel != null && parallel.fused && parallel.moments != null) {
                    FusedSteps.writeMoments(checkpointDir.resolve(FUSED_OPTIMIZER), parallel.moments);
                }
            }
            if (run.budgetSpent()) {
                break;
            }
        }
        if (best != null) {
            net.setParams(best);
        }
        long trainNanos = training.nanos;
        lastBlend = null;
        if (searchTrial) {
            // a search trial ends here: fitWithSearch reads only its history, so no serving model is built
            net.close();
            return null;
        }
        if (beforeRefit != null || (learnBlend && validating)) {
            Provenance pre = new Provenance(dataDescription, data.byUser().size(), events.size(), seqs.size(), positions,
                    state.bestEpoch(), 0, trainNanos / 1e9, (System.nanoTime() - tStart) / 1e9);
            ObjectNode preManifest = pre.manifest(config, enc, features, staticSize, history);
            if (learnBlend && validating) {
                try (DeepProfileModel preRefit = ProfileArtifacts.serving(enc, net, ProfileNetworks.extract(net, staticSize, churnTrained),
                        preManifest, null, features)) {
                    lastBlend = learnBlend(preRefit, data, cases, catalog);
                }
            }
            if (beforeRefit != null) {
                beforeRefit.accept(ProfileArtifacts.serving(enc, net, ProfileNetworks.extract(net, staticSize, churnTrained),
                        preManifest, null, features));
            }
        }
        int refitted = 0;
        if (config.refitEpochs() > 0 && !cases.isEmpty()) {
            long r0 = System.nanoTime();
            refit(net, data, enc, assembler, history.isEmpty() ? 1 : history.get(history.size() - 1).epoch() + 1);
            trainNanos += System.nanoTime() - r0;
            refitted = config.refitEpochs();
        }
        // the optimisation steps are over: free the fused trainer's copy of the parameters and Adam's moments before the
        // serving model is built (at a million items they are about 2 GB)
        releaseFusedSteps();
        org.persona4j.models.nn.LeanProfileNetwork lean = ProfileNetworks.extract(net, staticSize, churnTrained);
        ObjectNode calibration = null;
        if (!headCases.isEmpty()) {
            double[][][] raw = PropensityValidation.raw(lean, enc, headCases, features, threads);
            Map<String, Double> fin = PropensityValidation.metrics(raw);
            calibration = PropensityValidation.calibrate(raw, fin);
            if (data.timed()) {
                TimeCuts.Examples[] ex = TimeCuts.examples(lean, enc, headCases, features, data.dataEnd(), config.targets(),
                        config.seed(), threads);
                Map<String, Double> atT = new java.util.LinkedHashMap<>();
                ObjectNode timeAware = TimeCuts.calibrate(ex, atT);
                LOG.info("propensities at random times T on the validation users (two-fold cross-fitted ROC-AUC: served = network"
                        + " + counters, counters alone, network alone): {}", atT);
                if (timeAware != null) {
                    // a head without enough examples at T keeps its Platt scaling
                    if (calibration != null) {
                        calibration.fields().forEachRemaining(f -> {
                            if (f.getValue().isObject() && !timeAware.has(f.getKey())) {
                                ObjectNode h = ((ObjectNode) f.getValue()).deepCopy();
                                h.put("method", "platt");
                                timeAware.set(f.getKey(), h);
                            }
                        });
                    }
                    calibration = timeAware;
                }
                fin.putAll(atT);
            }
            LOG.info("propensity heads on their {} validation users (final weights): {}; calibration {}", headCases.size(), fin,
                    calibration == null ? "none (too few labelled cuts of both classes)" : calibration);
        }
        Provenance provenance = new Provenance(dataDescription, data.byUser().size(), events.size(), seqs.size(), positions,
                state.bestEpoch(), refitted, trainNanos / 1e9, (System.nanoTime() - tStart) / 1e9);
        ObjectNode manifest = provenance.manifest(config, enc, features, staticSize, history);
        if (searchRecord != null) {
            ((ObjectNode) manifest.get("provenance")).set("search", BLEND_JSON.valueToTree(searchRecord));
        }
        if (lastBlend != null) {
            manifest.set(org.persona4j.recommend.DefaultRecommender.MANIFEST_KEY, BLEND_JSON.valueToTree(lastBlend.toMap()));
        }
        DeepProfileModel model = ProfileArtifacts.serving(enc, net, lean, manifest, calibration, features);
        if (keepNetwork) {
            lastNetwork = net;
        } else {
            net.close();
        }
        return model;
    }

    /**
     * {@link #fit} with the hyper-parameter search: the trials race by successive halving, each in
     * its own checkpoint folder, and the final training (by a trainer with this one's settings)
     * continues the winner from its folder.
     */
    private DeepProfileModel fitWithSearch(List<BehaviorEvent> events, Catalog catalog) throws IOException {
        if (config.validation() == ValidationSplit.NONE) {
            throw new BadInputException("trainer: the hyper-parameter search needs a validation split (validation loo or temporal),"
                    + " was none");
        }
        HyperparameterSearch.Budget budget = searchBudget;
        String metric = config.earlyStoppingMetric();
        List<Map<String, String>> draws = raceTrials != null ? raceTrials : HyperparameterSearch.draw(config, budget.trials());
        List<Map<String, String>> candidates = raceTrials != null ? raceTrials.subList(1, raceTrials.size()) : null;
        LOG.info("hyper-parameter search: {} trials by successive halving from {} epochs (the losers cost at most {} epochs;"
                + " the winner's training is continued) on the validation split, scored by validation {}; searched: {}",
                draws.size(), budget.epochsPerTrial(), new HyperparameterSearch.Budget(draws.size(), budget.epochsPerTrial())
                        .epochs(config.epochs()), metric, candidates != null ? "the configuration as given against "
                        + candidates : HyperparameterSearch.SPACE.keySet());
        int n = draws.size();
        double[] score = new double[n];
        int[] bestEpoch = new int[n];
        int[] epochs = new int[n];
        double[] seconds = new double[n];
        int[] rungs = new int[n];
        java.util.Arrays.fill(score, Double.NEGATIVE_INFINITY);
        Path root = java.nio.file.Files.createTempDirectory("persona4j-search-");
        try {
            List<Integer> alive = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                alive.add(i);
            }
            for (int rung = 0; ; rung++) {
                int target = budget.rungEpochs(rung, config.epochs());
                for (int i : alive) {
                    ProfileTrainer t = settingsCopy(HyperparameterSearch.trialConfig(config, draws.get(i), target));
                    t.searchTrial = true;
                    t.checkpointDir = root.resolve("trial-" + (i + 1));
                    t.timeBudgetNanos = 0;
                    t.keepNetwork = false;
                    long t0 = System.nanoTime();
                    t.fit(events, catalog); // a trial returns no model, only its history (resumed epochs included)
                    seconds[i] += (System.nanoTime() - t0) / 1e9;
                    rungs[i] = rung + 1;
                    epochs[i] = t.history().size();
                    for (EpochSummary e : t.history()) {
                        Double v = e.validation().get(metric);
                        if (v != null && v > score[i]) {
                            score[i] = v;
                            bestEpoch[i] = e.epoch();
                        }
                    }
                    LOG.info(String.format(Locale.ROOT, "search rung %d, trial %d/%d: %s -> validation %s %.4f (epoch %d of %d,"
                            + " %.0f s)", rung + 1, i + 1, n, draws.get(i), metric, score[i], bestEpoch[i], epochs[i], seconds[i]));
                }
                if (alive.size() == 1) {
                    break;
                }
                // the better half goes on (the lower trial number on a tie)
                alive.sort((x, y) -> score[x] != score[y] ? Double.compare(score[y], score[x]) : Integer.compare(x, y));
                alive = new ArrayList<>(alive.subList(0, (alive.size() + 1) / 2));
                alive.sort(null);
                if (alive.size() == 1) {
                    break;
                }
            }
            int chosen = alive.get(0) + 1;
            List<HyperparameterSearch.Trial> trials = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                trials.add(new HyperparameterSearch.Trial(i + 1, draws.get(i), score[i], bestEpoch[i], epochs[i], seconds[i],
                        rungs[i]));
            }
            HyperparameterSearch.Result result = new HyperparameterSearch.Result(budget, metric, trials, chosen, candidates);
            LOG.info("hyper-parameter search chose {}; its training goes on with the full schedule", result);
            ProfileTrainer fin = settingsCopy(HyperparameterSearch.apply(config, draws.get(chosen - 1)));
            fin.searchRecord = result.toMap();
            Path won = root.resolve("trial-" + chosen);
            if (checkpointDir == null) {
                fin.checkpointDir = won;
            } else if (!new Checkpoints(checkpointDir).exists()) {
                copyFolder(won, checkpointDir);
            } // else: the caller's folder holds this search's final training from an earlier run, which goes on
            DeepProfileModel model = fin.fit(events, catalog);
            history.addAll(fin.history());
            lastBlend = fin.lastBlend;
            lastNetwork = fin.lastNetwork;
            lastSearch = result;
            return model;
        } finally {
            deleteFolder(root);
        }
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        java.nio.file.Files.createDirectories(to);
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (java.nio.file.Files.isRegularFile(p)) {
                    java.nio.file.Files.copy(p, to.resolve(p.getFileName().toString()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteFolder(Path dir) {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
            List<Path> all = new ArrayList<>();
            files.forEach(all::add);
            Collections.reverse(all);
            for (Path p : all) {
                java.nio.file.Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete the search's trial folder {}: {}", dir, e.toString());
        }
    }

    /** A trainer of {@code cfg} with this trainer's settings (listener, features, checkpoints, threads, workers, blend). */
    private ProfileTrainer settingsCopy(ProfileModelConfig cfg) {
        ProfileTrainer t = new ProfileTrainer(cfg);
        t.listener = listener;
        t.features = features;
        t.checkpointDir = checkpointDir;
        t.timeBudgetNanos = timeBudgetNanos;
        t.dataDescription = dataDescription;
        t.threads = threads;
        t.keepNetwork = keepNetwork;
        t.workers = workers;
        t.stepsPerRound = stepsPerRound;
        t.learnBlend = learnBlend;
        t.blendShortHistory = blendShortHistory;
        t.blendCases = blendCases;
        t.beforeRefit = beforeRefit;
        t.engine = engine;
        return t;
    }

    /**
     * Learns the default recommender's blend on the validation cases: the model of the best epoch
     * before the refit, item-kNN and session-kNN fitted on the training events without the
     * validation targets.
     */
    private org.persona4j.recommend.LearnedBlend learnBlend(DeepProfileModel preRefit, TrainingData data,
                                                            List<ProfileModelEvaluation.Case> cases, Catalog catalog) {
        Catalog cat = catalog == null ? new org.persona4j.core.InMemoryCatalog() : catalog;
        List<BehaviorEvent> trainEvents = data.trainingEvents();
        List<org.persona4j.recommend.LearnedBlend.Case> vcases = new ArrayList<>(cases.size());
        for (ProfileModelEvaluation.Case c : cases) {
            vcases.add(new org.persona4j.recommend.LearnedBlend.Case(c.input(), c.targetItemId()));
        }
        return learnBlend(preRefit, cat,
                org.persona4j.recommend.ItemKnnRecommender.fit(trainEvents, cat, org.persona4j.recommend.ItemKnnRecommender.Config.defaults(),
                        threads),
                org.persona4j.recommend.SessionKnnRecommender.fit(trainEvents, cat,
                        org.persona4j.recommend.SessionKnnRecommender.Config.defaults()),
                vcases, blendShortHistory, this.blendCases, config.seed());
    }

    /**
     * Learns the default recommender's blend of {@code model}'s retrieval, {@code itemKnn} and
     * {@code sessionKnn} on validation cases the three have not seen, and logs it (the trainer's
     * blend and the {@code default} factory's fallback).
     */
    static org.persona4j.recommend.LearnedBlend learnBlend(DeepProfileModel model, Catalog catalog,
                                                           org.persona4j.recommend.ItemScorer itemKnn,
                                                           org.persona4j.recommend.ItemScorer sessionKnn,
                                                           List<org.persona4j.recommend.LearnedBlend.Case> cases, int shortHistory,
                                                           int maxCases, long seed) {
        long t0 = System.nanoTime();
        try (org.persona4j.recommend.EmbeddingRetrievalRecommender lstm = org.persona4j.recommend.EmbeddingRetrievalRecommender
                .builder(model, model.itemIds()).catalog(catalog).name("lstm").build()) {
            org.persona4j.recommend.LearnedBlend b = org.persona4j.recommend.LearnedBlend.learn(
                    org.persona4j.recommend.DefaultRecommender.PARTS, List.of(lstm, itemKnn, sessionKnn), cases, shortHistory, maxCases,
                    seed);
            LOG.info(String.format(Locale.ROOT, "default recommender blend learned in %.1f s: %s", (System.nanoTime() - t0) / 1e9, b));
            return b;
        }
    }

    /**
     * The labelled cut points of the purchase ({@code purchase}) or churn head among the steps that
     * train it, and their positive rate.
     *
     * @return {@code [labelled, positive rate]}
     */
    private double[] positiveRate(List<TrainingData.Seq> seqs, boolean purchase) {
        long n = 0;
        long pos = 0;
        for (TrainingData.Seq s : seqs) {
            float[] l = purchase ? s.purchase() : s.churn();
            if (l == null) {
                continue;
            }
            int inputs = s.len() - 1;
            for (int k = 0; k < inputs; k++) {
                if (BatchAssembler.isCut(k, inputs, config.propensityCuts()) && l[k] != PropensityLabels.CENSORED) {
                    n++;
                    pos += l[k] > 0 ? 1 : 0;
                }
            }
        }
        return new double[] {n, n == 0 ? 0 : (double) pos / n};
    }

    /**
     * The weight of a positive example: the configured one, or for 0 {@code sqrt((1 - p) / p)} of the
     * training positive rate {@code p}, at least 1 (1 when {@code p} is 0 or 1): between no weight and
     * the balanced {@code (1 - p) / p}, which over-weights a rare class's few examples; the served
     * probabilities are calibrated afterwards either way (docs/models.md).
     */
    static double classWeight(double configured, double[] rate) {
        if (configured > 0) {
            return configured;
        }
        double p = rate[1];
        return p <= 0 || p >= 1 ? 1.0 : Math.max(1.0, Math.sqrt((1 - p) / p));
    }

    /**
     * Tests: keep the trained DL4J network after {@link #fit} (the caller closes it) instead of
     * releasing it.
     */
    ProfileTrainer keepNetwork() {
        this.keepNetwork = true;
        return this;
    }

    /**
     * Hands the serving model of the best epoch's weights (trained without the validation events)
     * to {@code c} before the refit phase, or the final model's twin when there is no refit; the
     * receiver closes it. For choices made on the validation cases (the default blend).
     */
    ProfileTrainer beforeRefit(java.util.function.Consumer<DeepProfileModel> c) {
        this.beforeRefit = c;
        return this;
    }

    /** The network the last {@link #fit} trained, when {@link #keepNetwork()} was asked for. */
    ComputationGraph network() {
        return lastNetwork;
    }

    /**
     * The refit phase: {@link ProfileModelConfig#refitEpochs()} epochs from the best weights on every
     * user's whole input (validation events included), at the refit learning rate.
     */
    private void refit(ComputationGraph net, TrainingData data, SequenceEncoder enc, BatchAssembler assembler, int firstEpoch) {
        List<TrainingData.Seq> seqs = TrainingData.sequences(data.byUser(), enc, config.maxLen(), config.windows(),
                data.labels(config.targets(), true));
        long positions = TrainingData.positions(seqs);
        net.setLearningRate(config.refitLearningRate());
        if (parallel != null) {
            parallel.load("refit", DataParallel.deal(seqs, workers.size(), config.seed() + 1));
        }
        int last = firstEpoch + config.refitEpochs() - 1;
        LOG.info("refit: {} epochs at learning rate {} on {} sequences, {} positions (validation events included)",
                config.refitEpochs(), config.refitLearningRate(), seqs.size(), positions);
        Phase refit = new Phase(last, positions, 0);
        for (int epoch = firstEpoch; epoch <= last; epoch++) {
            int ep = epoch;
            EpochRun run = runEpoch(net, refit, epoch, seqs, assembler, "refit", (b, n) -> String.format(Locale.ROOT,
                    "refit epoch %d, batch %d of %d (refit learning rate %s)", ep, b, n, config.refitLearningRate()));
            EpochSummary s = new EpochSummary(epoch, run.meanLoss(), Map.of(), run.seconds(), false);
            history.add(s);
            LOG.info(String.format(Locale.ROOT, "refit epoch %d/%d: loss %.4f, %.1f s", epoch, last, s.meanLoss(), run.seconds()));
            listener.onEpoch(s);
        }
    }

    /**
     * Progress bookkeeping of one phase (training or refit) across its epochs.
     */
    private static final class Phase {
        /** The last epoch planned, for progress and its estimate. */
        final int lastEpoch;
        /** Training positions per epoch. */
        final long positionsPerEpoch;
        /** The time budget of the phase in nanoseconds, 0 for none. */
        final long budgetNanos;
        /** Positions trained so far in this phase. */
        long trained;
        /** Nanoseconds spent in this phase's finished epochs. */
        long nanos;

        Phase(int lastEpoch, long positionsPerEpoch, long budgetNanos) {
            this.lastEpoch = lastEpoch;
            this.positionsPerEpoch = positionsPerEpoch;
            this.budgetNanos = budgetNanos;
        }
    }

    /** Where a diverging batch is, for the error message. */
    @FunctionalInterface
    private interface Where {
        String at(int batch, int batches);
    }

    /**
     * What one epoch did.
     *
     * @param meanLoss the mean batch loss
     * @param seconds the epoch's training seconds
     * @param positions positions trained
     * @param truncated whether the time budget ended it before its last batch
     * @param budgetSpent whether the time budget is spent (no further epoch starts)
     */
    private record EpochRun(double meanLoss, double seconds, long positions, boolean truncated, boolean budgetSpent) {
    }

    /**
     * One epoch of mini-batch steps, shared by training and refit: the epoch's seeded batch order,
     * one optimisation step per batch with progress reported to the listener, and a stop after the
     * batch that spends the phase's time budget.
     */
    private EpochRun runEpoch(ComputationGraph net, Phase phase, int epoch, List<TrainingData.Seq> seqs, BatchAssembler assembler,
                              String phaseName, Where where) {
        if (parallel != null) {
            return parallel.epoch(net, phase, epoch, phaseName);
        }
        if (fusedSteps != null) {
            // the graph is the model of record between epochs (validation, checkpoints, best weights, the refit's start);
            // a diverged step closes it, and nothing is copied back
            fusedSteps.startEpoch(net, epoch);
            EpochRun run = stepEpoch(net, phase, epoch, seqs, assembler, phaseName, where);
            fusedSteps.push(net);
            return run;
        }
        return stepEpoch(net, phase, epoch, seqs, assembler, phaseName, where);
    }

    private EpochRun stepEpoch(ComputationGraph net, Phase phase, int epoch, List<TrainingData.Seq> seqs, BatchAssembler assembler,
                               String phaseName, Where where) {
        long e0 = System.nanoTime();
        Random epochRng = TrainingData.epochRandom(config.seed(), epoch);
        List<int[]> batches = TrainingData.batches(seqs, config.batchSize(), config.bucketWindow(), epochRng);
        double lossSum = 0;
        long epochPositions = 0;
        boolean truncated = false;
        boolean budgetSpent = false;
        int b = 0;
        for (int[] idx : batches) {
            b++;
            int bn = b;
            double loss = fusedSteps != null
                    ? checked(net, fusedSteps.step(net, seqs, idx, epochRng), phaseName, () -> where.at(bn, batches.size()))
                    : fitChecked(net, assembler.assemble(seqs, idx, epochRng), phaseName, () -> where.at(bn, batches.size()));
            lossSum += loss;
            for (int i : idx) {
                phase.trained += seqs.get(i).len() - 1;
                epochPositions += seqs.get(i).len() - 1;
            }
            long now = System.nanoTime();
            double rate = phase.trained / ((phase.nanos + now - e0) / 1e9);
            double left = (double) (phase.lastEpoch - epoch) * phase.positionsPerEpoch
                    + phase.positionsPerEpoch * (1.0 - (double) b / batches.size());
            listener.onBatch(new TrainingProgress(epoch, phase.lastEpoch, b, batches.size(), loss, rate, left / Math.max(rate, 1e-9)));
            if (phase.budgetNanos > 0 && phase.nanos + now - e0 >= phase.budgetNanos) {
                truncated = b < batches.size();
                budgetSpent = true;
                LOG.info("training time budget of {} s spent after epoch {}, batch {} of {}", phase.budgetNanos / 1e9,
                        epoch, b, batches.size());
                break;
            }
        }
        double secs = (System.nanoTime() - e0) / 1e9;
        phase.nanos += System.nanoTime() - e0;
        return new EpochRun(lossSum / Math.max(1, b), secs, epochPositions, truncated, budgetSpent);
    }

    /**
     * One optimisation step; a NaN or infinite loss closes the network and raises
     * {@link ModelTrainingException} saying which phase diverged and where.
     */
    private static double fitChecked(ComputationGraph net, MultiDataSet ds, String phase, java.util.function.Supplier<String> where) {
        net.fit(ds);
        return checked(net, net.score(), phase, where);
    }

    /** The loss of a step; a NaN or infinite one closes the network and raises {@link ModelTrainingException}. */
    private static double checked(ComputationGraph net, double loss, String phase, java.util.function.Supplier<String> where) {
        if (!Double.isFinite(loss)) {
            net.close();
            throw new ModelTrainingException(phase + " diverged: loss is " + loss + " at " + where.get());
        }
        return loss;
    }

    /**
     * One fit's data-parallel rounds: what every task carries besides the weights, and the shards
     * of the current phase.
     */
    private final class Parallel {
        final String configJson;
        final String encoderJson;
        final double purchaseClassWeight;
        final double churnClassWeight;
        List<DataParallel.Shard> shards;
        /** Whether the workers take fused steps. */
        boolean fused;
        /** With fused workers: Adam's moments {@code {first, second}} between rounds, null before the first. */
        float[][] moments;

        Parallel(String configJson, String encoderJson, double purchaseClassWeight, double churnClassWeight) {
            this.configJson = configJson;
            this.encoderJson = encoderJson;
            this.purchaseClassWeight = purchaseClassWeight;
            this.churnClassWeight = churnClassWeight;
        }

        void load(String phaseName, List<DataParallel.Shard> s) {
            this.shards = s;
            workers.load(phaseName, s);
            StringBuilder b = new StringBuilder();
            for (DataParallel.Shard sh : s) {
                b.append(b.length() == 0 ? "" : ", ").append(sh.sequences()).append(" sequences/").append(sh.positions())
                        .append(" positions");
            }
            LOG.info("data-parallel {}: {} workers ({}), weights averaged every {} steps of batch {}", phaseName, s.size(), b,
                    stepsPerRound, config.batchSize());
        }

        /** One epoch as rounds of worker steps, each followed by the step-weighted average. */
        EpochRun epoch(ComputationGraph net, Phase phase, int epoch, String phaseName) {
            long e0 = System.nanoTime();
            int rounds = DataParallel.rounds(shards, config.batchSize(), stepsPerRound);
            double lossSum = 0;
            long steps = 0;
            long epochPositions = 0;
            boolean truncated = false;
            boolean budgetSpent = false;
            double lr = net.getLearningRate("lstm0");
            for (int r = 0; r < rounds; r++) {
                int iteration = net.getConfiguration().getIterationCount();
                // fused workers carry the fused trainer's moments (none before the first round), DL4J workers the updater's
                float[] updater = !fused ? net.getUpdater().getStateViewArray().toFloatVector()
                        : moments == null ? null : FusedSteps.joinMoments(moments);
                DataParallel.Task task = new DataParallel.Task(configJson, encoderJson, purchaseClassWeight, churnClassWeight,
                        phaseName, epoch, r, rounds, lr, iteration, net.params().toFloatVector(), updater, fused,
                        fused && moments != null ? moments[0].length : 0);
                List<DataParallel.Result> results = workers.round(task);
                if (results == null || results.size() != shards.size()) {
                    throw new ModelTrainingException("data-parallel " + phaseName + ": epoch " + epoch + ", round " + r + " returned "
                            + (results == null ? 0 : results.size()) + " results for " + shards.size() + " workers");
                }
                float[][] avg = DataParallel.average(results);
                if (fused) {
                    DataParallel.load(net, avg[0], null);
                    moments = FusedSteps.splitMoments(avg[1], results.get(0).firstMoments);
                } else {
                    DataParallel.load(net, avg[0], avg[1]);
                }
                int maxSteps = 0;
                for (DataParallel.Result res : results) {
                    maxSteps = Math.max(maxSteps, res.steps());
                    lossSum += res.lossSum;
                    steps += res.steps();
                    epochPositions += res.positions();
                    phase.trained += res.positions();
                }
                net.getConfiguration().setIterationCount(iteration + maxSteps);
                long now = System.nanoTime();
                double rate = phase.trained / ((phase.nanos + now - e0) / 1e9);
                double left = (double) (phase.lastEpoch - epoch) * phase.positionsPerEpoch
                        + phase.positionsPerEpoch * (1.0 - (double) (r + 1) / rounds);
                listener.onBatch(new TrainingProgress(epoch, phase.lastEpoch, r + 1, rounds, steps == 0 ? 0 : lossSum / steps, rate,
                        left / Math.max(rate, 1e-9)));
                if (phase.budgetNanos > 0 && phase.nanos + now - e0 >= phase.budgetNanos) {
                    truncated = r + 1 < rounds;
                    budgetSpent = true;
                    LOG.info("training time budget of {} s spent after epoch {}, round {} of {}", phase.budgetNanos / 1e9, epoch, r + 1,
                            rounds);
                    break;
                }
            }
            double secs = (System.nanoTime() - e0) / 1e9;
            phase.nanos += System.nanoTime() - e0;
            return new EpochRun(lossSum / Math.max(1, steps), secs, epochPositions, truncated, budgetSpent);
        }
    }
}
