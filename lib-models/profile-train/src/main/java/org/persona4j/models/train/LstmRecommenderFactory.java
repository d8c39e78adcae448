package org.persona4j.models.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.Recommender;
import org.persona4j.eval.FitContext;
import org.persona4j.eval.RecommenderFactory;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.recommend.AbstractScoringRecommender;
import org.persona4j.recommend.EmbeddingRetrievalRecommender;
import org.persona4j.recommend.ItemIndex;
import org.persona4j.recommend.ItemScorer;

/**
 * {@code lstm} for the evaluation harness: trains a {@link DeepProfileModel} on the split's
 * training events (leave-one-out validation inside the training events for early stopping) and
 * recommends by exact user-embedding · item-embedding retrieval. With no options it races the
 * evaluation preset {@link #preset()} against the preset with {@value #DEFAULT_CANDIDATES} on the
 * validation split and continues the winner. The preset: the library defaults with learning rate 0.005, dropout 0.5,
 * 8 training windows per user, two reduce-on-plateau decays, a 3-epoch refit, the residual user
 * vector and tied item embeddings, up to {@value #VALIDATION_USERS} validation users, and the
 * training budget of at most {@value #EPOCHS} epochs and early stopping after {@value #PATIENCE}
 * epochs without a better validation NDCG@10. Training is bounded by epochs and early stopping
 * only, so the same command gives the same figures on a fast or a slow machine; a wall-clock
 * budget applies only when named. Options: every hyper-parameter of {@link ProfileOptions} by name
 * ({@code emb=32}, {@code lr-decays=0}, ...), {@code time-budget} in seconds (none by default;
 * a result cut by it depends on the machine), {@code search-trials} and {@code search-epochs} (a
 * {@link HyperparameterSearch} on the validation split before training; off by default),
 * {@code search-candidates} (a race of the configuration against given settings,
 * {@link ProfileTrainer#race}; by default {@value #DEFAULT_CANDIDATES} from {@value #RACE_EPOCHS}
 * epochs on the validation split, the winner continued; {@code search-candidates=none} trains the
 * configuration alone), or {@code model=FILE} to load an
 * artifact trained beforehand on the same split (for example {@code persona4j train --eval-loo}
 * for the leave-one-out protocol) instead of training, with {@code sign-key-file=KEY} to require
 * that artifact to be signed with the key ({@link org.persona4j.models.profile.artifact.ArtifactKey}). {@code residual} stays on by default only
 * when {@code emb == proj}, {@code tie} only when also {@code negatives} is 0 (the shapes they need).
 */
public final class LstmRecommenderFactory implements RecommenderFactory {
    /** Most epochs of the evaluation budget. */
    public static final int EPOCHS = 100;
    /** Epochs without a better validation metric before training stops. */
    public static final int PATIENCE = 4;
    /** The first rung's epochs of a race between given candidates ({@code search-candidates}). */
    public static final int RACE_EPOCHS = 12;
    /**
     * The race run when no {@code search-candidates} and no {@code search-trials} are named: the
     * preset against the next two items as targets with the seen items masked out of the softmax.
     * Chosen on the validation splits: from {@value #RACE_EPOCHS} epochs the race keeps the later
     * validation winner on MovieLens 100K, Diginetica and Beauty at three seeds each (docs/benchmarks.md).
     */
    public static final String DEFAULT_CANDIDATES = "next-items=2,mask-seen=true";
    /** Most validation users ranked after each epoch. */
    public static final int VALIDATION_USERS = 20_000;
    /** Service constructor. */
    public LstmRecommenderFactory() {
    }

    @Override
    public String name() {
        return "lstm";
    }

    @Override
    public String description() {
        return "deep profile model (embeddings + LSTM, next-item softmax), embedding retrieval; options "
                + ProfileOptions.describe(preset().build()) + ", time-budget (seconds; none by default), search-trials (a"
                + " hyper-parameter search on the validation split before training: trials; 0 = none, the default),"
                + " search-epochs (the epochs of its first successive-halving rung, default 3, or 12 in a race),"
                + " search-candidates (a race on the validation split of the configuration as given against these"
                + " settings, candidates separated by ';'; default " + DEFAULT_CANDIDATES + " where it applies, none ="
                + " no race), model (an artifact"
                + " to load instead of training), sign-key-file (with model: the artifact must be signed with this key);"
                + " tie and residual stay on by default only where the shapes allow"
                + " (emb == proj; for tie also negatives == 0)";
    }

    @Override
    public Recommender fit(FitContext c) {
        DeepProfileModel model = model(c);
        EmbeddingRetrievalRecommender r = ModelRecommender.retrieval(model, c, "lstm");
        return new ModelRecommender(r, r, model);
    }

    /**
     * The evaluation preset: the {@link ProfileModelConfig} defaults with learning rate 0.005,
     * dropout 0.5, 8 training windows per user, two reduce-on-plateau decays of 0.2, a refit of
     * 3 epochs at 0.001 on the validation events too, the residual user vector and tied item embeddings
     * ({@link ProfileModelConfig#itemResidual()}, {@link ProfileModelConfig#tieItemEmbeddings()}), at most
     * {@value #EPOCHS} epochs, patience {@value #PATIENCE} and up to {@value #VALIDATION_USERS}
     * validation users, and no purchase or churn loss (a recommender does not use those heads, and
     * training them costs next-item accuracy: HR@10 0.37 instead of 0.51 after 3 epochs on the
     * quickstart-sized generated shop at the library's weights 5 and 2).
     *
     * @return a builder with the preset, to change further
     */
    public static ProfileModelConfig.Builder preset() {
        return ProfileModelConfig.builder().learningRate(0.005).dropout(0.5).windows(8)
                .plateauDecays(2).plateauDecay(0.2).refitEpochs(3).refitLearningRate(0.001).epochs(EPOCHS).patience(PATIENCE)
                .itemResidual(true).tieItemEmbeddings(true).validationUsers(VALIDATION_USERS)
                .lossWeights(1.0, 0.0, ProfileModelConfig.builder().build().categoryWeight()).churnWeight(0);
    }

    /**
     * The model configuration for a split: the {@link #preset()} with the context's seed and its
     * {@link ProfileOptions} on top (other option keys are ignored). The residual user vector and
     * the tied embeddings stay on by default only where their shapes allow (item embedding size
     * equal to the projection; for the tie also the full softmax), so that {@code emb=32} or
     * {@code negatives=500} alone still train; naming {@code tie=true} or {@code residual=true}
     * with shapes that do not fit fails with the configuration's error.
     *
     * @param c the fit context
     * @return the configuration
     */
    static ProfileModelConfig config(FitContext c) {
        ProfileModelConfig.Builder b = preset().seed(c.seed());
        Set<String> named = ProfileOptions.apply(b, c.options());
        ProfileModelConfig.Architecture a = b.architecture();
        if (!named.contains("tie")) {
            b.tieItemEmbeddings(a.tieItemEmbeddings() && a.tieAllowed());
        }
        if (!named.contains("residual")) {
            b.itemResidual(a.itemResidual() && a.residualAllowed());
        }
        return b.build();
    }

    /**
     * Trains the model for a split, or loads the artifact named by the {@code model} option.
     *
     * @param c the fit context
     * @return the model (the caller closes it)
     */
    static DeepProfileModel model(FitContext c) {
        return model(c, null);
    }

    /**
     * As {@link #model(FitContext)}, handing the model of the best epoch before the refit to
     * {@code beforeRefit} when training (not when loading; the receiver closes it).
     */
    static DeepProfileModel model(FitContext c, java.util.function.Consumer<DeepProfileModel> beforeRefit) {
        String file = c.options().get("model");
        String keyFile = c.options().get("sign-key-file");
        if (keyFile != null && !keyFile.isBlank() && (file == null || file.isBlank())) {
            throw new org.persona4j.core.BadInputException("lstm: option 'sign-key-file' needs option 'model' (the artifact to check)");
        }
        if (file != null && !file.isBlank()) {
            try {
                org.persona4j.models.profile.artifact.ArtifactKey key = keyFile == null || keyFile.isBlank() ? null
                        : org.persona4j.models.profile.artifact.ArtifactKey.fromFile(java.nio.file.Path.of(keyFile));
                return DeepProfileModel.load(java.nio.file.Path.of(file), key);
            } catch (IOException e) {
                throw new UncheckedIOException("lstm: cannot load model=" + file, e);
            }
        }
        ProfileModelConfig cfg = config(c);
        double budget = c.doubleOption("time-budget", 0);
        int shortHistory = c.intOption("short-history", org.persona4j.recommend.LearnedBlend.SHORT_HISTORY);
        int blendCases = c.intOption("blend-cases", org.persona4j.recommend.LearnedBlend.MAX_CASES);
        int searchTrials = c.intOption("search-trials", 0);
        List<Map<String, String>> candidates = candidates(c, cfg, searchTrials);
        // a race sizes its own budget from the candidates that change the configuration (ProfileTrainer.race)
        int raceEpochs = c.intOption("search-epochs", RACE_EPOCHS);
        HyperparameterSearch.Budget search = candidates == null && searchTrials > 0
                ? new HyperparameterSearch.Budget(searchTrials, c.intOption("search-epochs", 3)) : null;
        // lstm, lstm-hybrid and default train the same model for the same split and options: the
        // last one trained is kept (as an artifact) and loaded again instead of training it twice
        String key = cfg.toMap() + "|short-history=" + shortHistory + "|blend-cases=" + blendCases
                + (search == null ? "" : "|search=" + search)
                + (candidates == null ? "" : "|race=" + raceEpochs + " epochs, " + candidates);
        boolean cacheable = budget <= 0 && beforeRefit == null;
        if (cacheable) {
            DeepProfileModel cached = TrainedModelCache.load(c.split(), key);
            if (cached != null) {
                return cached;
            }
        }
        try {
            ProfileTrainer trainer = new ProfileTrainer(cfg);
            if (candidates != null) {
                trainer.race(raceEpochs, candidates);
            } else {
                trainer.search(search);
            }
            DeepProfileModel m = trainer.beforeRefit(beforeRefit).threads(c.threads())
                    .blend(true, shortHistory, blendCases)
                    .listener(TrainingListener.progress(c.progress()))
                    .timeBudget(budget > 0 ? java.time.Duration.ofMillis((long) (budget * 1000)) : null)
                    .dataDescription("evaluation split").fit(c.train(), c.catalog());
            if (cacheable) {
                TrainedModelCache.keep(c.split(), key, m);
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The race's candidates for a split: those of the {@code search-candidates} option, none for
     * {@code search-candidates=none} or with a drawn search ({@code search-trials}), else
     * {@link #DEFAULT_CANDIDATES} where they apply to the configuration (the full softmax and a
     * validation split; not where the options already set them).
     *
     * @return the candidates, or null for no race
     */
    static List<Map<String, String>> candidates(FitContext c, ProfileModelConfig cfg, int searchTrials) {
        String named = c.options().get("search-candidates");
        if (named != null) {
            return named.isBlank() || named.trim().equalsIgnoreCase("none") ? null : HyperparameterSearch.parseCandidates(named);
        }
        if (searchTrials > 0 || cfg.validation() == ValidationSplit.NONE) {
            return null; // a race needs the validation split
        }
        List<Map<String, String>> byDefault = HyperparameterSearch.parseCandidates(DEFAULT_CANDIDATES);
        try {
            return HyperparameterSearch.race(cfg, byDefault).size() > 1 ? byDefault : null;
        } catch (org.persona4j.core.BadInputException e) {
            return null; // e.g. a sampled head (negatives > 0), which the next-items loss does not train
        }
    }

    /**
     * A scoring recommender built on a profile model, closing the model's retrieval index and the
     * model itself when closed (the evaluator closes what it fitted).
     */
    static final class ModelRecommender implements Recommender, ItemScorer, AutoCloseable {
        private final AbstractScoringRecommender inner;
        private final EmbeddingRetrievalRecommender retrieval;
        private final DeepProfileModel model;

        /**
         * @param inner answers the calls: the retrieval itself, or a hybrid that includes it (closed too
         *     when it is {@link AutoCloseable})
         * @param retrieval the model's retrieval to close, or null when {@code inner} closes it
         */
        ModelRecommender(AbstractScoringRecommender inner, EmbeddingRetrievalRecommender retrieval, DeepProfileModel model) {
            this.inner = inner;
            this.retrieval = retrieval;
            this.model = model;
        }

        /** @return embedding retrieval over every item of the model */
        static EmbeddingRetrievalRecommender retrieval(DeepProfileModel model, FitContext c, String name) {
            return EmbeddingRetrievalRecommender.builder(model, model.itemIds()).catalog(c.catalog()).name(name).build();
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public List<Recommendation> recommend(RecommendationRequest request) {
            return inner.recommend(request);
        }

        @Override
        public ItemIndex itemIndex() {
            return inner.itemIndex();
        }

        @Override
        public void scoreAll(RecommendationRequest request, float[] out) {
            inner.scoreAll(request, out);
        }

        @Override
        public void close() {
            if (retrieval != null) {
                retrieval.close();
            }
            if (inner != retrieval && inner instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing " + inner.name() + " failed", e);
                }
            }
            model.close();
        }
    }
}
