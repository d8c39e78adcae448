package org.persona4j.models.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.persona4j.core.BadInputException;
import org.persona4j.features.sequence.SequenceEncoder;

/**
 * Synchronous data-parallel training of the profile model by parameter averaging.
 *
 * <p>The trainer ({@link ProfileTrainer#dataParallel(Workers, int)}) prepares the data as on one
 * machine (split, encoder, labelled sequences), deals the training sequences into one
 * {@link Shard} per worker (seeded, balanced by positions) and hands them to {@link Workers} once
 * per phase. Each epoch is cut into rounds: in a round every worker starts from the same weights
 * and Adam moments ({@link Task}), takes its share of that epoch's mini-batches of its own shard
 * ({@link #run(Task, Shard)}: at most {@code stepsPerRound} steps), and returns its weights and
 * moments ({@link Result}); the trainer averages them (weighted by the steps each took) and
 * starts the next round from the average. Validation, early stopping, checkpoints, refit and
 * calibration then run on the trainer's side exactly as on one machine, so the artifact is the
 * same format.
 *
 * <p>Effective batch and learning rate: with {@code W} workers of batch {@code B} averaged every
 * {@code k} steps, one round consumes {@code W * k} batches and moves the weights by the mean of
 * {@code W} independent {@code k}-step trajectories, which for small {@code k} approximates
 * {@code k} steps of batch {@code W * B}. An epoch therefore takes about {@code 1 / W} as many
 * effective steps as on one machine; docs/spark.md gives the measured effect and the learning-rate
 * advice.
 *
 * <p>What travels is plain data (arrays, strings, numbers; Java serialization of these classes
 * only): the configuration as its {@link ProfileModelConfig#toMap()} JSON, the encoder as its JSON,
 * the weights and Adam moments as {@code float[]}. Nothing here depends on Spark; lib-spark's
 * {@code SparkTrainer} implements {@link Workers} with Spark's barrier execution mode.
 */
public final class DataParallel {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DataParallel() {
    }

    /**
     * Where the rounds run: one worker per shard, all of a round's workers at once.
     */
    public interface Workers extends AutoCloseable {
        /** @return the number of workers (shards), at least 1 */
        int size();

        /**
         * Hands a phase's shards to the workers (they keep them until the next call).
         *
         * @param phase {@code "training"} or {@code "refit"}
         * @param shards one per worker
         */
        void load(String phase, List<Shard> shards);

        /**
         * Runs one round: every worker applies {@link DataParallel#run(Task, Shard)} to its shard.
         *
         * @param task the round, the same for every worker
         * @return one result per worker, any order
         */
        List<Result> round(Task task);

        /** Releases what {@link #load} kept; the default does nothing. */
        @Override
        default void close() {
        }
    }

    /**
     * Workers in this JVM that run each round's shards one after another on the calling thread:
     * the data-parallel arithmetic (shards, rounds, averaging) without a cluster, for checking a
     * data-parallel configuration on one machine and for tests of other {@link Workers}. Training
     * with {@code n} in-process workers gives the same weights as {@code n} workers anywhere else.
     *
     * @param n the number of workers, {@code >= 1}
     * @return the workers (closing them releases the shards)
     */
    public static Workers inProcess(int n) {
        if (n < 1) {
            throw new org.persona4j.core.BadInputException("data-parallel: in-process workers must be >= 1, was " + n);
        }
        return new Workers() {
            private List<Shard> shards;

            @Override
            public int size() {
                return n;
            }

            @Override
            public void load(String phase, List<Shard> s) {
                shards = List.copyOf(s);
            }

            @Override
            public List<Result> round(Task task) {
                if (shards == null) {
                    throw new IllegalStateException("data-parallel: round before load");
                }
                List<Result> out = new java.util.ArrayList<>(shards.size());
                for (Shard sh : shards) {
                    out.add(run(task, sh));
                }
                return out;
            }

            @Override
            public void close() {
                shards = null;
            }
        };
    }

    /**
     * One worker's training sequences (encoded, labelled), in the trainer's order.
     */
    public static final class Shard implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int index;
        private final List<TrainingData.Seq> seqs;

        Shard(int index, List<TrainingData.Seq> seqs) {
            this.index = index;
            this.seqs = seqs;
        }

        /** @return the worker index this shard was dealt to, from 0 */
        public int index() {
            return index;
        }

        /** @return the number of sequences */
        public int sequences() {
            return seqs.size();
        }

        /** @return the number of training positions (input steps) */
        public long positions() {
            return TrainingData.positions(seqs);
        }

        List<TrainingData.Seq> seqs() {
            return seqs;
        }
    }

    /**
     * One round, the same for every worker: the model, where the round sits in the epoch, and the
     * starting weights and Adam moments.
     */
    public static final class Task implements Serializable {
        private static final long serialVersionUID = 1L;
        final String configJson;
        final String encoderJson;
        final double purchaseClassWeight;
        final double churnClassWeight;
        final String phase;
        final int epoch;
        final int round;
        final int rounds;
        final double learningRate;
        final int iteration;
        final float[] params;
        final float[] updater;
        /**
         * Whether the workers take their steps on the fused path; {@link #updater} then holds the
         * fused trainer's moments (the first {@link #firstMoments} values, then the second), or is
         * null for zero moments at the start of training.
         */
        final boolean fused;
        final int firstMoments;

        Task(String configJson, String encoderJson, double purchaseClassWeight, double churnClassWeight, String phase, int epoch,
             int round, int rounds, double learningRate, int iteration, float[] params, float[] updater, boolean fused,
             int firstMoments) {
            this.fused = fused;
            this.firstMoments = firstMoments;
            this.configJson = configJson;
            this.encoderJson = encoderJson;
            this.purchaseClassWeight = purchaseClassWeight;
            this.churnClassWeight = churnClassWeight;
            this.phase = phase;
            this.epoch = epoch;
            this.round = round;
            this.rounds = rounds;
            this.learningRate = learningRate;
            this.iteration = iteration;
            this.params = params;
            this.updater = updater;
        }

        /** @return the epoch, from 1 */
        public int epoch() {
            return epoch;
        }

        /** @return the round within the epoch, from 0 */
        public int round() {
            return round;
        }

        /** @return the rounds of this epoch */
        public int rounds() {
            return rounds;
        }

        /** @return the number of weights */
        public int parameters() {
            return params.length;
        }
    }

    /**
     * What one worker returns from a round.
     */
    public static final class Result implements Serializable {
        private static final long serialVersionUID = 1L;
        final int worker;
        final int steps;
        final long positions;
        final double lossSum;
        final float[] params;
        final float[] updater;
        final double seconds;
        /** With fused workers: how many of {@link #updater}'s values are first moments. */
        final int firstMoments;

        Result(int worker, int steps, long positions, double lossSum, float[] params, float[] updater, double seconds) {
            this(worker, steps, positions, lossSum, params, updater, seconds, 0);
        }

        Result(int worker, int steps, long positions, double lossSum, float[] params, float[] updater, double seconds,
               int firstMoments) {
            this.firstMoments = firstMoments;
            this.worker = worker;
            this.steps = steps;
            this.positions = positions;
            this.lossSum = lossSum;
            this.params = params;
            this.updater = updater;
            this.seconds = seconds;
        }

        /** @return the worker (shard) index */
        public int worker() {
            return worker;
        }

        /** @return optimisation steps taken */
        public int steps() {
            return steps;
        }

        /** @return training positions seen */
        public long positions() {
            return positions;
        }

        /** @return seconds the worker spent training in this round (network set-up included) */
        public double seconds() {
            return seconds;
        }
    }

    /**
     * Runs one worker's part of a round: builds the network, loads the task's weights and Adam
     * moments, takes this round's share of the epoch's batches of the shard (the epoch's seeded
     * batch order of this shard, cut into {@code rounds} contiguous parts), and returns the new
     * weights and moments. Deterministic for a task and shard. Call it where the worker runs (an
     * executor); ND4J's thread count there is the host's setting.
     *
     * @param task the round
     * @param shard this worker's shard
     * @return the worker's weights and moments after its steps
     * @throws ModelTrainingException when a batch's loss is NaN or infinite
     */
    public static Result run(Task task, Shard shard) {
        if (task == null || shard == null) {
            throw new BadInputException("data-parallel worker: task and shard are required");
        }
        long t0 = System.nanoTime();
        ProfileModelConfig config = ProfileModelConfig.fromMap(readMap(task.configJson));
        SequenceEncoder enc = SequenceEncoder.fromJson(task.encoderJson);
        List<TrainingData.Seq> seqs = shard.seqs();
        Random epochRng = workerRandom(config.seed(), task.epoch, shard.index());
        List<int[]> batches = TrainingData.batches(seqs, config.batchSize(), config.bucketWindow(), epochRng);
        int from = (int) ((long) batches.size() * task.round / task.rounds);
        int to = (int) ((long) batches.size() * (task.round + 1) / task.rounds);
        // round 0 goes on with the epoch's generator, as one machine does; later rounds derive theirs
        Random rng = task.round == 0 ? epochRng : new Random(epochRng.nextLong() ^ (0x9E3779B97F4A7C15L * task.round));
        ComputationGraph net = ProfileNetworks.build(config, enc, 0);
        if (task.fused) {
            try {
                return runFused(task, shard, config, enc, seqs, batches, from, to, rng, net, t0);
            } finally {
                net.close();
            }
        }
        try {
            load(net, task.params, task.updater);
            if (net.getLearningRate("lstm0") != task.learningRate) {
                net.setLearningRate(task.learningRate);
            }
            net.getConfiguration().setIterationCount(task.iteration);
            if (config.tieItemEmbeddings()) {
                net.setListeners(new TiedItemEmbeddings());
            }
            BatchAssembler assembler = new BatchAssembler(config, enc, null, 0, task.purchaseClassWeight, task.churnClassWeight);
            double[] done = steps(task, shard, seqs, batches, from, to, idx -> {
                net.fit(assembler.assemble(seqs, idx, rng));
                return net.score();
            });
            return new Result(shard.index(), to - from, (long) done[1], done[0], net.params().toFloatVector(),
                    net.getUpdater().getStateViewArray().toFloatVector(), (System.nanoTime() - t0) / 1e9);
        } finally {
            net.close();
        }
    }

    /**
     * Takes the steps of batches {@code [from, to)}; {@code step} trains on one batch and returns its
     * loss.
     *
     * @return {@code {summed loss, positions seen}}
     * @throws ModelTrainingException when a loss is NaN or infinite
     */
    private static double[] steps(Task task, Shard shard, List<TrainingData.Seq> seqs, List<int[]> batches, int from, int to,
                                  java.util.function.ToDoubleFunction<int[]> step) {
        double lossSum = 0;
        long positions = 0;
        for (int b = from; b < to; b++) {
            int[] idx = batches.get(b);
            double loss = step.applyAsDouble(idx);
            if (!Double.isFinite(loss)) {
                throw new ModelTrainingException(task.phase + " diverged: loss is " + loss + " at epoch " + task.epoch
                        + ", round " + task.round + " of " + task.rounds + ", worker " + shard.index() + ", batch " + (b + 1)
                        + " of " + batches.size());
            }
            lossSum += loss;
            for (int i : idx) {
                positions += seqs.get(i).len() - 1;
            }
        }
        return new double[] {lossSum, positions};
    }

    /**
     * A worker's steps on the fused path ({@link FusedSteps}): the task's weights into the graph
     * and the fused trainer, its moments into the trainer, the dropout generator seeded from the
     * seed, epoch, round and worker (worker 0's first round as one machine seeds its epoch), the
     * steps, then the weights back through the graph and the trainer's moments out.
     */
    private static Result runFused(Task task, Shard shard, ProfileModelConfig config, SequenceEncoder enc,
                                   List<TrainingData.Seq> seqs, List<int[]> batches, int from, int to, Random rng,
                                   ComputationGraph net, long t0) {
        load(net, task.params, null);
        if (net.getLearningRate("lstm0") != task.learningRate) {
            net.setLearningRate(task.learningRate);
        }
        net.getConfiguration().setIterationCount(task.iteration);
        BatchAssembler assembler = new BatchAssembler(config, enc, null, 0, task.purchaseClassWeight, task.churnClassWeight);
        try (FusedSteps steps = new FusedSteps(net, config, enc, 0, assembler)) {
            steps.startEpoch(net, task.epoch);
            if (task.round != 0 || shard.index() != 0) {
                steps.reseed(FusedSteps.epochSeed(config.seed(), task.epoch) ^ (0x9E3779B97F4A7C15L * (task.round + 1L))
                        + 0xBF58476D1CE4E5B9L * shard.index());
            }
            if (task.updater != null) {
                float[][] mv = FusedSteps.splitMoments(task.updater, task.firstMoments);
                steps.setMoments(mv[0], mv[1]);
            }
            double[] done = steps(task, shard, seqs, batches, from, to, idx -> steps.step(net, seqs, idx, rng));
            double lossSum = done[0];
            long positions = (long) done[1];
            steps.push(net);
            float[][] mv = steps.moments();
            return new Result(shard.index(), to - from, positions, lossSum, net.params().toFloatVector(),
                    FusedSteps.joinMoments(mv), (System.nanoTime() - t0) / 1e9, mv[0].length);
        }
    }

    /**
     * Deals sequences into {@code workers} shards: in a seeded random order, each sequence to the
     * shard with the fewest positions so far (ties to the lower index); each shard keeps its
     * sequences in the input order (so one worker's shard is the input itself).
     */
    static List<Shard> deal(List<TrainingData.Seq> seqs, int workers, long seed) {
        List<Integer> order = new ArrayList<>(seqs.size());
        for (int i = 0; i < seqs.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed ^ 0x2545F4914F6CDD1DL));
        int[] owner = new int[seqs.size()];
        long[] load = new long[workers];
        for (int i : order) {
            int best = 0;
            for (int w = 1; w < workers; w++) {
                if (load[w] < load[best]) {
                    best = w;
                }
            }
            owner[i] = best;
            load[best] += seqs.get(i).len() - 1;
        }
        List<List<TrainingData.Seq>> parts = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            parts.add(new ArrayList<>());
        }
        for (int i = 0; i < seqs.size(); i++) {
            parts.get(owner[i]).add(seqs.get(i));
        }
        List<Shard> out = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            out.add(new Shard(w, parts.get(w)));
        }
        return out;
    }

    /** The rounds of an epoch: enough that no worker takes more than {@code stepsPerRound} steps. */
    static int rounds(List<Shard> shards, int batchSize, int stepsPerRound) {
        int maxBatches = 0;
        for (Shard s : shards) {
            maxBatches = Math.max(maxBatches, (s.sequences() + batchSize - 1) / batchSize);
        }
        return Math.max(1, (maxBatches + stepsPerRound - 1) / stepsPerRound);
    }

    static String configJson(ProfileModelConfig config) {
        try {
            return JSON.writeValueAsString(config.toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("configuration cannot be written as JSON", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readMap(String json) {
        try {
            return JSON.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new BadInputException("data-parallel task: the configuration is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * The generator of a worker's batch order in an epoch (the same in every round of the epoch):
     * worker 0 has the one-machine epoch generator, the others one derived from it.
     */
    static Random workerRandom(long seed, int epoch, int worker) {
        Random r = TrainingData.epochRandom(seed, epoch);
        return worker == 0 ? r : new Random(r.nextLong() + 0x9E3779B97F4A7C15L * worker);
    }

    /** Loads weights and Adam moments into a network. */
    static void load(ComputationGraph net, float[] params, float[] updater) {
        INDArray p = net.params();
        if (p.length() != params.length) {
            throw new BadInputException("data-parallel task: " + params.length + " weights for a network of " + p.length());
        }
        net.setParams(Nd4j.createFromArray(params).castTo(p.dataType()));
        if (updater == null) {
            return; // no DL4J updater state is created (fused workers keep their own moments)
        }
        INDArray view = net.getUpdater().getStateViewArray();
        if (view != null) {
            if (view.length() != updater.length) {
                throw new BadInputException("data-parallel task: " + updater.length + " optimiser moments for " + view.length());
            }
            view.assign(Nd4j.createFromArray(updater).reshape(view.shape()).castTo(view.dataType()));
        }
    }

    /**
     * The step-weighted mean of the workers' weights and moments.
     *
     * @return {@code {params, updater}}
     */
    static float[][] average(List<Result> results) {
        long steps = 0;
        for (Result r : results) {
            steps += r.steps;
        }
        int n = results.get(0).params.length;
        int m = results.get(0).updater.length;
        double[] p = new double[n];
        double[] u = new double[m];
        for (Result r : results) {
            double w = steps == 0 ? 1.0 / results.size() : (double) r.steps / steps;
            if (r.params.length != n || r.updater.length != m) {
                throw new IllegalStateException("worker " + r.worker + " returned a different network size");
            }
            for (int i = 0; i < n; i++) {
                p[i] += w * r.params[i];
            }
            for (int i = 0; i < m; i++) {
                u[i] += w * r.updater[i];
            }
        }
        float[] pf = new float[n];
        float[] uf = new float[m];
        for (int i = 0; i < n; i++) {
            pf[i] = (float) p[i];
        }
        for (int i = 0; i < m; i++) {
            uf[i] = (float) u[i];
        }
        return new float[][] {pf, uf};
    }
}
