package org.persona4j.models.train;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.persona4j.features.sequence.SequenceEncoder;
import org.persona4j.models.train.fused.FusedProfileTrainer;

/**
 * The profile graph's optimisation steps on the fused path ({@link FusedProfileTrainer}): the DL4J
 * graph stays the model of record (validation, checkpoints, the serving network read it), the
 * fused trainer takes the steps. {@link #pull} copies the graph's parameters in before a run of
 * steps, {@link #push} copies them back after it; Adam's moments live in the fused trainer across
 * epochs and the refit, as they live in the graph's updater on the DL4J path, and the graph's
 * iteration count advances with every step (Adam's bias correction).
 */
final class FusedSteps implements AutoCloseable {
    private final FusedProfileTrainer trainer;
    private final BatchAssembler assembler;

    /**
     * Whether the fused path computes this graph: one of the current layout (with the churn head),
     * with a full or a sampled softmax next-item head.
     */
    static boolean supports(ComputationGraph net) {
        return net.getConfiguration().getVertices().containsKey(ProfileNetworks.CHURN);
    }

    FusedSteps(ComputationGraph net, ProfileModelConfig c, SequenceEncoder enc, int staticSize, BatchAssembler assembler) {
        this(net, c, enc, staticSize, assembler, c.sampledNegatives() > 0);
    }

    /**
     * @param rowWiseTables whether a sampled-softmax head's item tables are updated row-wise (the
     *     default with a sampled head; see {@link FusedProfileTrainer.Settings#rowWiseTables()});
     *     false gives DL4J's dense update
     */
    FusedSteps(ComputationGraph net, ProfileModelConfig c, SequenceEncoder enc, int staticSize, BatchAssembler assembler,
               boolean rowWiseTables) {
        this.assembler = assembler;
        this.seed = c.seed();
        FusedProfileTrainer.Shapes shapes = new FusedProfileTrainer.Shapes(
                new int[] {enc.items().size(), enc.typeCount(), enc.categories().size(), enc.gaps().size()},
                new int[] {c.itemEmbedding(), c.typeEmbedding(), c.categoryEmbedding(), c.gapEmbedding()},
                c.hidden(), ProfileNetworks.lstmLayers(net), c.projection(), staticSize,
                net.getConfiguration().getVertices().containsKey(ProfileNetworks.RESIDUAL), c.tieItemEmbeddings(),
                c.propensityGradient(), c.sampledNegatives());
        this.trainer = new FusedProfileTrainer(shapes, new FusedProfileTrainer.Settings(c.dropout(), c.gradientClip(),
                c.weightDecay(), c.batchSize(), c.maxLen(), c.seed(), rowWiseTables, c.nextItems(), c.nextItemsDecay(),
                c.maskSeen()));
    }

    private final long seed;

    /**
     * The start of an epoch: copies the graph's parameters into the fused trainer and restarts the
     * dropout generator from the seed and the epoch.
     */
    void startEpoch(ComputationGraph net, int epoch) {
        pull(net);
        trainer.reseed(epochSeed(seed, epoch));
    }

    /** The dropout seed of an epoch. */
    static long epochSeed(long seed, int epoch) {
        return seed * 1_000_003L + epoch;
    }

    /** Restarts the dropout generator (data-parallel workers derive one per round and worker). */
    void reseed(long s) {
        trainer.reseed(s);
    }

    /** @return Adam's moments, {@code {first, second}}, as {@link FusedProfileTrainer#optimizerState()} */
    float[][] moments() {
        return trainer.optimizerState();
    }

    /** Sets Adam's moments from {@link #moments()}. */
    void setMoments(float[] m, float[] v) {
        trainer.setOptimizerState(m, v);
    }

    /** Moments {@code {first, second}} as one array, the first moments then the second (what a data-parallel task carries). */
    static float[] joinMoments(float[][] mv) {
        float[] out = java.util.Arrays.copyOf(mv[0], mv[0].length + mv[1].length);
        System.arraycopy(mv[1], 0, out, mv[0].length, mv[1].length);
        return out;
    }

    /** The inverse of {@link #joinMoments}: {@code {first, second}} from one array whose first {@code first} values are the first moments. */
    static float[][] splitMoments(float[] joined, int first) {
        return new float[][] {java.util.Arrays.copyOf(joined, first), java.util.Arrays.copyOfRange(joined, first, joined.length)};
    }

    /** Marks the file format that gives each moment array its own length (row-wise second moments are shorter). */
    private static final int LENGTHS_MARK = -1;

    /** Writes Adam's moments next to a checkpoint (atomically replaced). */
    void saveOptimizer(java.nio.file.Path file) throws java.io.IOException {
        writeMoments(file, trainer.optimizerState());
    }

    /** Writes moments ({@code {first, second}}) in the checkpoint file format, atomically replaced. */
    static void writeMoments(java.nio.file.Path file, float[][] mv) throws java.io.IOException {
        java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
                java.nio.file.Files.newOutputStream(tmp)))) {
            out.writeInt(LENGTHS_MARK);
            for (float[] a : mv) {
                out.writeInt(a.length);
                for (float x : a) {
                    out.writeFloat(x);
                }
            }
        }
        java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads Adam's moments written by {@link #saveOptimizer} (or by earlier builds, which wrote one
     * length for both arrays); false when the file is absent.
     */
    boolean loadOptimizer(java.nio.file.Path file) throws java.io.IOException {
        float[][] mv = readMoments(file);
        if (mv == null) {
            return false;
        }
        trainer.setOptimizerState(mv[0], mv[1]);
        return true;
    }

    /** Reads moments written by {@link #writeMoments}; null when the file is absent. */
    static float[][] readMoments(java.nio.file.Path file) throws java.io.IOException {
        if (!java.nio.file.Files.exists(file)) {
            return null;
        }
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                java.nio.file.Files.newInputStream(file)))) {
            int first = in.readInt();
            float[][] mv = new float[2][];
            for (int k = 0; k < 2; k++) {
                int n = first == LENGTHS_MARK ? in.readInt() : first;
                if (n < 0) {
                    throw new java.io.IOException(file + ": optimizer state of " + n + " values, expected >= 0");
                }
                mv[k] = new float[n];
                for (int i = 0; i < n; i++) {
                    mv[k][i] = in.readFloat();
                }
            }
            return mv;
        }
    }

    /**
     * Floats copied per piece when parameters leave native memory through the heap (256 KiB): here
     * between the graph and the fused trainer, and in {@link ProfileArtifacts#version} and
     * {@link ProfileNetworks#rowMajor}. Below G1's humongous-object threshold (half a region, at
     * least 512 KiB) a piece is ordinary young garbage. Pieces of 16 MiB were humongous objects,
     * which made G1 commit a larger heap (docs/benchmarks.md, the million-item section).
     */
    static final int PIECE = 1 << 16;

    /**
     * Copies the graph's parameters into the fused trainer, a piece of rows at a time (a
     * million-item table is not copied whole through the heap).
     */
    void pull(ComputationGraph net) {
        pull(net, PIECE);
    }

    /** {@link #pull(ComputationGraph)} in pieces of at most {@code piece} floats (whole rows; tests use small ones). */
    void pull(ComputationGraph net, int piece) {
        for (String name : trainer.parameterNames()) {
            INDArray p = graphParam(net, name);
            int[] shape = trainer.parameterShape(name);
            if (p.rank() != 2 || (long) shape[0] * shape[1] <= piece) {
                try (INDArray d = p.dup('c')) {
                    trainer.setParameter(name, d.data().asFloat());
                }
                continue;
            }
            int step = Math.max(1, piece / shape[1]);
            for (int r0 = 0; r0 < shape[0]; r0 += step) {
                int r1 = Math.min(shape[0], r0 + step);
                // closed at once: a million-row table's pieces would otherwise wait in native memory for a collection
                try (INDArray d = p.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all()).dup('c')) {
                    trainer.setParameterRows(name, r0, d.data().asFloat());
                }
            }
        }
    }

    /** Copies the fused trainer's parameters into the graph, a piece of rows at a time. */
    void push(ComputationGraph net) {
        push(net, PIECE);
    }

    /** {@link #push(ComputationGraph)} in pieces of at most {@code piece} floats. */
    void push(ComputationGraph net, int piece) {
        for (String name : trainer.parameterNames()) {
            INDArray p = graphParam(net, name);
            int[] shape = trainer.parameterShape(name);
            if (p.rank() != 2 || (long) shape[0] * shape[1] <= piece) {
                try (INDArray a = Nd4j.create(trainer.parameter(name), new long[] {shape[0], shape[1]}, 'c')) {
                    p.assign(a);
                }
                continue;
            }
            int step = Math.max(1, piece / shape[1]);
            for (int r0 = 0; r0 < shape[0]; r0 += step) {
                int r1 = Math.min(shape[0], r0 + step);
                try (INDArray a = Nd4j.create(trainer.parameterRows(name, r0, r1), new long[] {r1 - r0, shape[1]}, 'c')) {
                    p.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all()).assign(a);
                }
            }
        }
    }

    private static INDArray graphParam(ComputationGraph net, String name) {
        int cut = name.lastIndexOf('_');
        return net.getLayer(name.substring(0, cut)).getParam(name.substring(cut + 1));
    }

    /**
     * One step on the batch {@code idx} of {@code seqs} at the graph's current learning rate.
     *
     * @param rng the epoch's generator: a sampled-softmax head draws the batch's negatives from it,
     *     as {@link BatchAssembler#assemble} does on the DL4J path
     * @return the batch's score
     */
    double step(ComputationGraph net, List<TrainingData.Seq> seqs, int[] idx, java.util.Random rng) {
        int it = net.getIterationCount();
        int[] negatives = assembler.negatives(rng);
        double score = trainer.fit(batch(seqs, idx), negatives, net.getLearningRate("lstm0"), it);
        net.getConfiguration().setIterationCount(it + 1);
        return score;
    }

    /** @return the fused trainer (tests) */
    FusedProfileTrainer trainer() {
        return trainer;
    }

    /** The fused form of batch {@code idx} of {@code seqs}. */
    List<FusedProfileTrainer.Sequence> batch(List<TrainingData.Seq> seqs, int[] idx) {
        List<FusedProfileTrainer.Sequence> batch = new ArrayList<>(idx.length);
        for (int i : idx) {
            batch.add(assembler.sequence(seqs.get(i)));
        }
        return batch;
    }

    /** @return the fused trainer's cumulative phase times, in seconds */
    java.util.Map<String, Double> phaseSeconds() {
        return trainer.phaseSeconds();
    }

    @Override
    public void close() {
        trainer.close();
    }
}
