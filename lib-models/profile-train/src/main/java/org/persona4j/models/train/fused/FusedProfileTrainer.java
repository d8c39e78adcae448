package org.persona4j.models.train.fused;

import static org.persona4j.models.train.fused.Views.block;
import static org.persona4j.models.train.fused.Views.cols;
import static org.persona4j.models.train.fused.Views.rows;
import static org.persona4j.models.train.fused.Views.view;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Trains the full profile network (the DL4J graph of {@code ProfileNetworks}: item, event-type,
 * category and time-gap embeddings concatenated, one or more LSTM layers, a projection, the full
 * softmax next-item head, the per-step purchase and churn heads and the last-step category head)
 * with the fused ND4J path: one {@link #fit} call is one optimisation step on one mini-batch,
 * numerically the step DL4J's {@code ComputationGraph.fit} takes on the same padded, masked batch:
 * the same score, the gradients of every parameter, DL4J's division by the mini-batch size, its
 * {@code ClipL2PerLayer} gradient normalisation, its {@code Adam} and decoupled weight decay.
 * With {@link Settings#rowWiseTables()} (a sampled head only) the item embedding and the
 * next-item head are instead updated row-wise, only at the rows a batch touches, with one Adam
 * second moment per row; the gradients are still DL4J's.
 *
 * <p>What it does differently is only how: sequences are packed time-major ({@link BatchPlan}),
 * so padded steps are never computed; the softmax head runs only on the positions that have a
 * next-item target, in row chunks that bound its logits buffer; every buffer is allocated once.
 * Dropout draws its masks from a generator of its own, seeded by {@link Settings#seed()} (DL4J
 * draws from ND4J's global generator): with dropout the two paths train the same model with
 * different random masks.
 *
 * <p>Parameters are exchanged as row-major {@code float[]} arrays named as DL4J names the graph's
 * gradients ({@code layer_param}, for example {@code lstm0_RW}), with DL4J's shapes
 * ({@link #parameterShape}). The item embedding tied to the next-item weights
 * ({@link Shapes#tieItemEmbeddings()}) is trained as DL4J's {@code TiedItemEmbeddings} does it:
 * the embedding's gradient is added to the output weights' before normalisation, and after each
 * update the embedding is the output weights' transpose.
 *
 * <p>ND4J is the numeric backend; nothing global of ND4J is changed. Holds native memory:
 * {@link #close()} it. Not thread-safe.
 */
public final class FusedProfileTrainer implements AutoCloseable {
    /** Names of the phases timed by {@link #phaseSeconds()}, in order. */
    public static final List<String> PHASES = List.of("pack", "embedding_gather", "lstm_forward", "projection",
            "head_forward", "softmax_loss", "head_backward", "propensity_heads", "lstm_backward", "embedding_backward",
            "optimizer");
    private static final int PH_PACK = 0;
    private static final int PH_GATHER = 1;
    private static final int PH_LSTM_FWD = 2;
    private static final int PH_PROJ = 3;
    private static final int PH_HEAD_FWD = 4;
    private static final int PH_LOSS = 5;
    private static final int PH_HEAD_BWD = 6;
    private static final int PH_PROPENSITY = 7;
    private static final int PH_LSTM_BWD = 8;
    private static final int PH_EMB_BWD = 9;
    private static final int PH_OPT = 10;

    private static final double BCE_CLIP = 1e-5; // DL4J's LossBinaryXENT clip
    /** The logit a seen item gets with {@link Settings#maskSeen()}: its softmax probability is 0. */
    private static final float MASKED = -1e30f;
    /** What the sampled head subtracts from the logit of a negative that is the row's own target (as DL4J's layer). */
    private static final float HIT_PENALTY = 1e4f;
    private static final String[] INPUTS = {"item", "type", "category", "gap"};
    /** Floats the logits buffer may hold by default: 128 MiB. */
    static final long HEAD_BUDGET = 1L << 25;

    /**
     * Sizes of the network.
     *
     * @param vocabularies ids of the item, event-type, category and time-gap inputs (padding id
     *     included), in that order
     * @param embeddings embedding sizes of the same four inputs
     * @param hidden LSTM units per layer
     * @param layers LSTM layers
     * @param projection size of the projected user vector (the next-item head's input)
     * @param staticSize static user features appended to the heads' input, 0 for none
     * @param itemResidual whether the user vector adds the input item's embedding
     * @param tieItemEmbeddings whether the item embedding is the next-item weights' transpose
     * @param propensityGradient whether the purchase and churn heads' gradients reach the LSTM
     * @param negatives 0 for the full-softmax next-item head, else the negatives per mini-batch of a
     *     sampled-softmax head (shared by the batch's rows, given to each step; see {@link #fit(List, int[], double, int)})
     */
    public record Shapes(int[] vocabularies, int[] embeddings, int hidden, int layers, int projection, int staticSize,
                         boolean itemResidual, boolean tieItemEmbeddings, boolean propensityGradient, int negatives) {
        /** A full-softmax next-item head. */
        public Shapes(int[] vocabularies, int[] embeddings, int hidden, int layers, int projection, int staticSize,
                      boolean itemResidual, boolean tieItemEmbeddings, boolean propensityGradient) {
            this(vocabularies, embeddings, hidden, layers, projection, staticSize, itemResidual, tieItemEmbeddings,
                    propensityGradient, 0);
        }

        /** Checks the sizes. */
        public Shapes {
            if (vocabularies.length != 4 || embeddings.length != 4) {
                throw new IllegalArgumentException("four vocabularies and four embedding sizes expected");
            }
            vocabularies = vocabularies.clone();
            embeddings = embeddings.clone();
            for (int k = 0; k < 4; k++) {
                if (vocabularies[k] < 1 || embeddings[k] < 1) {
                    throw new IllegalArgumentException(INPUTS[k] + ": vocabulary " + vocabularies[k] + " and embedding "
                            + embeddings[k] + " must be >= 1");
                }
            }
            if (hidden < 1 || layers < 1 || projection < 1 || staticSize < 0) {
                throw new IllegalArgumentException("hidden " + hidden + ", layers " + layers + ", projection " + projection
                        + " must be >= 1 and static size " + staticSize + " >= 0");
            }
            if (negatives < 0 || negatives > 0 && tieItemEmbeddings) {
                throw new IllegalArgumentException("negatives " + negatives + " must be >= 0, and 0 (full softmax) with tied"
                        + " item embeddings");
            }
            if ((itemResidual || tieItemEmbeddings) && embeddings[0] != projection) {
                throw new IllegalArgumentException("a residual or tied item embedding needs item embedding size "
                        + embeddings[0] + " == projection " + projection);
            }
        }

        int items() {
            return vocabularies[0];
        }

        int categories() {
            return vocabularies[2];
        }
    }

    /**
     * Optimisation settings.
     *
     * @param dropout dropout probability on the LSTM and projection inputs, in [0, 1)
     * @param gradientClip L2 norm each layer's gradient is clipped to, {@code > 0}
     * @param weightDecay decoupled weight decay of the weights (not biases), scaled by the learning rate, {@code >= 0}
     * @param maxBatch most sequences in a batch
     * @param maxLength most input steps of a sequence
     * @param seed seed of the dropout masks
     * @param rowWiseTables with a sampled-softmax head: keep the gradients of the item embedding and
     *     of the next-item head as the rows a batch touches, and update only those rows (their Adam
     *     moments and weight decay included; "lazy" Adam, as PyTorch's {@code SparseAdam}), with a
     *     first moment per entry, stored in bfloat16, and one second moment per row (FBGEMM's
     *     partial row-wise Adam), so that neither the gradient, nor the second moments, nor
     *     optimiser time grows with the catalogue times the width, and the first moments take half
     *     the memory. (A first moment decays by 0.9 a step, far above bfloat16's 2^-8 relative
     *     precision; a second moment's 0.999 would not be, which is why those stay float.) False:
     *     dense Adam over every row at every step, DL4J's update
     * @param nextItems how many of the following items each step's full-softmax next-item loss
     *     learns: 1 = the next item only; {@code n > 1} = a cross-entropy against the next {@code n}
     *     items of the sequence, the {@code j}-th weighted {@code nextItemsDecay^(j-1)} and the
     *     weights of a step normalised to 1 (the items the sequence has; see docs/models.md)
     * @param nextItemsDecay the decay of the later items' weights, in (0, 1]
     * @param maskSeen whether each step's full softmax leaves out the items its sequence has already
     *     had (the input items up to that step, the step's own targets excepted), as the ranking at
     *     serving time leaves out the user's history
     */
    public record Settings(double dropout, double gradientClip, double weightDecay, int maxBatch, int maxLength, long seed,
                           boolean rowWiseTables, int nextItems, double nextItemsDecay, boolean maskSeen) {
        /** Dense updates of every row (DL4J's). */
        public Settings(double dropout, double gradientClip, double weightDecay, int maxBatch, int maxLength, long seed) {
            this(dropout, gradientClip, weightDecay, maxBatch, maxLength, seed, false);
        }

        /** The next item only. */
        public Settings(double dropout, double gradientClip, double weightDecay, int maxBatch, int maxLength, long seed,
                        boolean rowWiseTables) {
            this(dropout, gradientClip, weightDecay, maxBatch, maxLength, seed, rowWiseTables, 1, 1.0);
        }

        /** Nothing masked from the softmax. */
        public Settings(double dropout, double gradientClip, double weightDecay, int maxBatch, int maxLength, long seed,
                        boolean rowWiseTables, int nextItems, double nextItemsDecay) {
            this(dropout, gradientClip, weightDecay, maxBatch, maxLength, seed, rowWiseTables, nextItems, nextItemsDecay, false);
        }

        /** Checks the settings. */
        public Settings {
            if (!(dropout >= 0 && dropout < 1) || !(gradientClip > 0) || !(weightDecay >= 0) || maxBatch < 1 || maxLength < 1) {
                throw new IllegalArgumentException("dropout " + dropout + " in [0, 1), gradient clip " + gradientClip
                        + " > 0, weight decay " + weightDecay + " >= 0, max batch " + maxBatch + " and max length "
                        + maxLength + " >= 1 expected");
            }
            if (nextItems < 1 || !(nextItemsDecay > 0 && nextItemsDecay <= 1)) {
                throw new IllegalArgumentException("next items " + nextItems + " >= 1 and their decay " + nextItemsDecay
                        + " in (0, 1] expected");
            }
        }
    }

    /**
     * One training sequence of {@code n >= 1} input steps and what each step learns; weight 0 means
     * not learned (DL4J's label mask).
     *
     * @param item item id of each input step
     * @param type event-type id of each input step
     * @param category category id of each input step
     * @param gap time-gap id of each input step
     * @param next next-item target of each step
     * @param nextWeight its loss weight
     * @param purchase purchase label (0 or 1) of each step
     * @param purchaseWeight its loss weight
     * @param churn churn label of each step
     * @param churnWeight its loss weight
     * @param categoryLabel the category learned at the last step
     * @param categoryWeight its loss weight
     * @param staticFeatures the user's static features, or null for zeros
     */
    public record Sequence(int[] item, int[] type, int[] category, int[] gap, int[] next, float[] nextWeight,
                           float[] purchase, float[] purchaseWeight, float[] churn, float[] churnWeight,
                           int categoryLabel, float categoryWeight, float[] staticFeatures) {
        /** @return input steps */
        public int length() {
            return item.length;
        }
    }

    /** A parameter: a row-major view of the flat vector, in its layer's range. */
    private record Param(String name, int layer, int rows, int cols, long offset, long gradOffset, boolean weight) {
        long size() {
            return (long) rows * cols;
        }
    }

    private final Shapes shapes;
    private final Settings settings;
    private final int maxRows;
    private final int headRows;
    private final int gates;
    private final int in0;
    private final int headIn;
    private final List<Param> params = new ArrayList<>();
    private final Map<String, Param> byName = new LinkedHashMap<>();
    /**
     * Each layer, for the per-layer clipping: {@code {from, to, gradFrom, table}}, its flat range
     * {@code [from, to)}, where its gradient starts in {@link #grads} (-1 for a row-wise table) and
     * which row-wise table it is ({@link #ITEM_TABLE}, {@link #HEAD_TABLE}; -1 for none).
     */
    private final List<long[]> layerRanges = new ArrayList<>();
    private static final int ITEM_TABLE = 0;
    private static final int HEAD_TABLE = 1;
    /** Whether the item embedding and the next-item head are updated row-wise ({@link Settings#rowWiseTables()}). */
    private final boolean rowWise;
    private long gradCount;
    /** The next-item head's touched columns summed per item ([u, P+1]), with row-wise tables. */
    private final RowSums headSums;
    /** Gathered rows of a table, its moments, with row-wise tables. */
    private final INDArray rowW;
    private final INDArray rowM;
    private final INDArray rowV;
    private final INDArray mEmb;    // [V, d] bfloat16 first moments of the item embedding, with row-wise tables
    private final INDArray vEmb;    // [V, 1] one second moment per row, with row-wise tables
    private final INDArray mHeadT;  // [V, P+1] bfloat16 first moments of the head, item-major, with row-wise tables
    private final INDArray rowMb;   // bfloat16 scratch: the touched rows' first moments as stored
    private final INDArray vHeadT;  // [V, 1] one second moment per item column of the head
    private final INDArray rowS;    // [R + S, 1] scratch: per-row mean squared gradient, then the denominator

    private final INDArray flat;
    private final INDArray grads;
    private final INDArray adamM;
    private final INDArray adamV;
    private final INDArray[] pEmb = new INDArray[4];
    private final INDArray[] gEmb = new INDArray[4];
    private final INDArray pWp;
    private final INDArray pBp;
    private final INDArray gWp;
    private final INDArray gBpFlat;
    private final INDArray pWn;
    private final INDArray pHead; // [P+1, V] = [Wn; bn]
    private final INDArray gWn;
    private final INDArray gHead;
    private final INDArray pWq;
    private final INDArray pBq;
    private final INDArray gWq;
    private final INDArray gBqFlat;
    private final INDArray pWr;
    private final INDArray pBr;
    private final INDArray gWr;
    private final INDArray gBrFlat;
    private final INDArray pWc;
    private final INDArray pBc;
    private final INDArray gWc;
    private final INDArray gBcFlat;

    private final PackedLstm[] lstm;
    private final INDArray[] e = new INDArray[4];     // [R, d_k] gathered embeddings, later their gradients
    private final INDArray x0;     // [R, in0] concatenated embeddings (the LSTM's input before dropout)
    private final INDArray[] xIn;  // per layer: its input after dropout [R, in_l] (x0 itself when no dropout)
    private final INDArray[] mask; // per layer and for the projection: dropout masks divided by retain, or null
    private final INDArray dx0;    // [R, in0]
    private final INDArray dxl;    // [R, h] input gradient of an upper LSTM layer
    private final INDArray hd;     // [R, h] projection input (the last LSTM output after dropout)
    private final INDArray u;      // [R, P] user vector
    private final INDArray u1;     // [R, P+1] = [u, 1]
    private final INDArray uh1;    // [R, P+1] the rows of u1 with a next-item target
    private final INDArray duh;    // [R, P] their gradient
    private final INDArray du;     // [R, P]
    private final INDArray logits; // [headRows, V]
    private final SoftmaxTargets softmax;
    private final INDArray rowWeight;  // [headRows, 1]
    // with maskSeen: flat logit indices of a chunk's seen items, and the value they get
    private final INDArray seenIdx;    // INT64 [headRows * maxLength] or null
    private final INDArray seenFill;   // [headRows * maxLength] of MASKED, or null
    private final long[] seenScratch;
    private final INDArray sH;     // [R, h+S] the propensity and category heads' input
    private final INDArray stat;   // [R, S] or null
    private final INDArray zq;     // [R, 1]
    private final INDArray zr;     // [R, 1]
    private final INDArray sl;     // [B, h+S] the last step of each sequence
    private final INDArray zc;     // [B, C]
    private final INDArray dsl;    // [B, h+S]
    private final INDArray dslH;   // [B, h]
    private final INDArray tmpRH;  // [R, h]
    // sampled-softmax head only (null with the full softmax)
    private final INDArray pHeadT;  // [V, P+1] view of pHead: column j = item j's output weights and bias
    private final INDArray gHeadT;  // the same view of its gradient
    private final INDArray wT;      // [R, P+1] the target items' columns, later scratch
    private final INDArray wNeg;    // [S, P+1] the negatives' columns
    private final INDArray negLogits; // [R, S]
    private final INDArray pos;     // [R] target logits, later their gradients
    private final INDArray dFull;   // [R, P+1]
    private final INDArray gStack;  // [R + S, P+1] per-row gradients of the touched columns
    private final int[] zeros;
    private final int[] stackIds;   // [R + S] the item of each row of gStack
    /** Writes gradient rows into each input's table (the item one also into the sampled head's columns). */
    private final RowSums[] tableSums = new RowSums[4];
    /** Scatters per-row gradients back to their packed rows. */
    private final RowPlacer placer;
    private Random rng;

    private final float[] rowScratch;
    private final float[] catScratch;
    private final long[] phaseNanos = new long[PHASES.size()];
    private long lap;
    private boolean closed;

    /**
     * Allocates the parameters (zero until set), the optimiser state and every buffer.
     *
     * @throws IllegalArgumentException for a batch that would overflow an array index
     */
    public FusedProfileTrainer(Shapes shapes, Settings settings) {
        this.shapes = shapes;
        this.settings = settings;
        if (settings.rowWiseTables() && shapes.negatives() == 0) {
            throw new IllegalArgumentException("row-wise table updates need a sampled-softmax head (negatives > 0): the full"
                    + " softmax touches every column of the head at every step");
        }
        if (settings.maskSeen() && shapes.negatives() > 0) {
            throw new IllegalArgumentException("masking the seen items needs the full softmax (negatives 0), not "
                    + shapes.negatives() + " sampled negatives");
        }
        if (settings.nextItems() > 1 && shapes.negatives() > 0) {
            throw new IllegalArgumentException("next items " + settings.nextItems() + " > 1 needs the full softmax"
                    + " (negatives 0), not " + shapes.negatives() + " sampled negatives");
        }
        this.rowWise = settings.rowWiseTables();
        this.maxRows = Math.multiplyExact(settings.maxBatch(), settings.maxLength());
        int v = shapes.items();
        int ns = shapes.negatives();
        this.headRows = ns > 0 ? maxRows : (int) Math.max(1, Math.min(maxRows, HEAD_BUDGET / v));
        int h = shapes.hidden();
        this.gates = 4 * h;
        int s = shapes.staticSize();
        int in = 0;
        for (int k = 0; k < 4; k++) {
            in += shapes.embeddings()[k];
        }
        this.in0 = in;
        this.headIn = h + s;
        int layer = 0;
        for (int k = 0; k < 4; k++) {
            String name = "emb_" + INPUTS[k];
            add(name + "_W", layer, shapes.vocabularies()[k], shapes.embeddings()[k], true);
            layer = endLayer(layer);
        }
        for (int l = 0; l < shapes.layers(); l++) {
            add("lstm" + l + "_W", layer, l == 0 ? in0 : h, gates, true);
            add("lstm" + l + "_RW", layer, h, gates, true);
            add("lstm" + l + "_b", layer, 1, gates, false);
            layer = endLayer(layer);
        }
        add("proj_W", layer, h, shapes.projection(), true);
        add("proj_b", layer, 1, shapes.projection(), false);
        layer = endLayer(layer);
        add("next_W", layer, shapes.projection(), v, true);
        add("next_b", layer, 1, v, false);
        layer = endLayer(layer);
        add("purchase_W", layer, headIn, 1, true);
        add("purchase_b", layer, 1, 1, false);
        layer = endLayer(layer);
        add("categoryHead_W", layer, headIn, shapes.categories(), true);
        add("categoryHead_b", layer, 1, shapes.categories(), false);
        layer = endLayer(layer);
        add("churn_W", layer, headIn, 1, true);
        add("churn_b", layer, 1, 1, false);
        endLayer(layer);
        long n = nextOffset();
        this.rowScratch = new float[maxRows];
        this.catScratch = new float[settings.maxBatch() * shapes.categories()];
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            flat = Nd4j.create(DataType.FLOAT, n);
            grads = Nd4j.create(DataType.FLOAT, gradCount);
            // with row-wise tables the dense parameters' first moments are in the gradient's layout too; the tables' are
            // bfloat16 arrays of their own (mEmb, mHeadT)
            adamM = Nd4j.create(DataType.FLOAT, rowWise ? gradCount : n);
            // with row-wise tables: the dense parameters' second moments in the gradient's layout; the tables' are per row
            adamV = Nd4j.create(DataType.FLOAT, rowWise ? gradCount : n);
            for (int k = 0; k < 4; k++) {
                pEmb[k] = p("emb_" + INPUTS[k] + "_W");
                gEmb[k] = g("emb_" + INPUTS[k] + "_W");
            }
            lstm = new PackedLstm[shapes.layers()];
            for (int l = 0; l < shapes.layers(); l++) {
                String pre = "lstm" + l + "_";
                lstm[l] = new PackedLstm(l == 0 ? in0 : h, h, maxRows, p(pre + "W"), p(pre + "RW"), p(pre + "b"),
                        g(pre + "W"), g(pre + "RW"), gFlat(pre + "b"));
            }
            pWp = p("proj_W");
            pBp = p("proj_b");
            gWp = g("proj_W");
            gBpFlat = gFlat("proj_b");
            pWn = p("next_W");
            gWn = g("next_W");
            Param wn = byName.get("next_W");
            pHead = view(flat, wn.offset(), shapes.projection() + 1, v);
            gHead = rowWise ? null : view(grads, wn.gradOffset(), shapes.projection() + 1, v);
            pWq = p("purchase_W");
            pBq = p("purchase_b");
            gWq = g("purchase_W");
            gBqFlat = gFlat("purchase_b");
            pWr = p("churn_W");
            pBr = p("churn_b");
            gWr = g("churn_W");
            gBrFlat = gFlat("churn_b");
            pWc = p("categoryHead_W");
            pBc = p("categoryHead_b");
            gWc = g("categoryHead_W");
            gBcFlat = gFlat("categoryHead_b");

            int r = maxRows;
            int b = settings.maxBatch();
            int pr = shapes.projection();
            for (int k = 0; k < 4; k++) {
                e[k] = Nd4j.create(DataType.FLOAT, r, shapes.embeddings()[k]);
            }
            x0 = Nd4j.create(DataType.FLOAT, r, in0);
            boolean drop = settings.dropout() > 0;
            xIn = new INDArray[shapes.layers()];
            mask = new INDArray[shapes.layers() + 1];
            for (int l = 0; l < shapes.layers(); l++) {
                int w = l == 0 ? in0 : h;
                xIn[l] = l == 0 && !drop ? x0 : Nd4j.create(DataType.FLOAT, r, w);
                mask[l] = drop ? Nd4j.create(DataType.FLOAT, r, w) : null;
            }
            mask[shapes.layers()] = drop ? Nd4j.create(DataType.FLOAT, r, h) : null;
            dx0 = Nd4j.create(DataType.FLOAT, r, in0);
            dxl = shapes.layers() > 1 ? Nd4j.create(DataType.FLOAT, r, h) : null;
            hd = Nd4j.create(DataType.FLOAT, r, h);
            u = Nd4j.create(DataType.FLOAT, r, pr);
            u1 = Nd4j.create(DataType.FLOAT, r, pr + 1);
            u1.get(NDArrayIndex.all(), NDArrayIndex.point(pr)).assign(1.0);
            uh1 = Nd4j.create(DataType.FLOAT, r, pr + 1);
            duh = Nd4j.create(DataType.FLOAT, r, pr);
            du = Nd4j.create(DataType.FLOAT, r, pr);
            logits = Nd4j.create(DataType.FLOAT, headRows, ns > 0 ? 1 + ns : v);
            softmax = new SoftmaxTargets(headRows, settings.nextItems());
            rowWeight = Nd4j.create(DataType.FLOAT, headRows, 1);
            if (settings.maskSeen()) {
                int cap = Math.multiplyExact(headRows, settings.maxLength());
                seenIdx = Nd4j.create(DataType.INT64, cap);
                seenFill = Nd4j.valueArrayOf(new long[] {cap}, MASKED, DataType.FLOAT);
                seenScratch = new long[cap];
            } else {
                seenIdx = null;
                seenFill = null;
                seenScratch = null;
            }
            sH = Nd4j.create(DataType.FLOAT, r, headIn);
            stat = s > 0 ? Nd4j.create(DataType.FLOAT, r, s) : null;
            zq = Nd4j.create(DataType.FLOAT, r, 1);
            zr = Nd4j.create(DataType.FLOAT, r, 1);
            sl = Nd4j.create(DataType.FLOAT, b, headIn);
            zc = Nd4j.create(DataType.FLOAT, b, shapes.categories());
            dsl = Nd4j.create(DataType.FLOAT, b, headIn);
            dslH = Nd4j.create(DataType.FLOAT, b, h);
            tmpRH = Nd4j.create(DataType.FLOAT, r, h);
            if (ns > 0) {
                pHeadT = pHead.transpose();
                gHeadT = rowWise ? null : gHead.transpose();
                wT = Nd4j.create(DataType.FLOAT, r, pr + 1);
                wNeg = Nd4j.create(DataType.FLOAT, ns, pr + 1);
                negLogits = Nd4j.create(DataType.FLOAT, r, ns);
                pos = Nd4j.create(DataType.FLOAT, r, 1);
                dFull = Nd4j.create(DataType.FLOAT, r, pr + 1);
                gStack = Nd4j.create(DataType.FLOAT, r + ns, pr + 1);
                zeros = new int[r];
                stackIds = new int[r + ns];
            } else {
                pHeadT = null;
                gHeadT = null;
                wT = null;
                wNeg = null;
                negLogits = null;
                pos = null;
                dFull = null;
                gStack = null;
                zeros = null;
                stackIds = null;
            }
            for (int k = 0; k < 4; k++) {
                tableSums[k] = k == 0 ? new RowSums(v, r + ns, Math.max(shapes.embeddings()[0], ns > 0 ? pr + 1 : 0))
                        : new RowSums(shapes.vocabularies()[k], r, shapes.embeddings()[k]);
            }
            placer = new RowPlacer(r);
            if (rowWise) {
                int w = Math.max(shapes.embeddings()[0], pr + 1);
                headSums = new RowSums(v, r + ns, pr + 1);
                rowW = Nd4j.create(DataType.FLOAT, (long) (r + ns) * w);
                rowM = Nd4j.create(DataType.FLOAT, (long) (r + ns) * w);
                rowV = Nd4j.create(DataType.FLOAT, (long) (r + ns) * (w + 1));
                Param emb = byName.get("emb_item_W");
                mEmb = Nd4j.create(DataType.BFLOAT16, emb.rows(), emb.cols());
                vEmb = Nd4j.create(DataType.FLOAT, emb.rows(), 1);
                mHeadT = Nd4j.create(DataType.BFLOAT16, v, pr + 1);
                rowMb = Nd4j.create(DataType.BFLOAT16, (long) (r + ns) * w);
                vHeadT = Nd4j.create(DataType.FLOAT, v, 1);
                rowS = Nd4j.create(DataType.FLOAT, r + ns, 1);
            } else {
                headSums = null;
                rowW = null;
                rowM = null;
                rowV = null;
                mEmb = null;
                vEmb = null;
                mHeadT = null;
                rowMb = null;
                vHeadT = null;
                rowS = null;
            }
            rng = Nd4j.getRandomFactory().getNewRandomInstance(settings.seed());
        }
    }

    private long nextOffset() {
        if (params.isEmpty()) {
            return 0;
        }
        Param last = params.get(params.size() - 1);
        return last.offset() + last.size();
    }

    private void add(String name, int layer, int rows, int cols, boolean weight) {
        long gradOffset = -1;
        if (tableOf(name) < 0) {
            gradOffset = gradCount;
            gradCount += (long) rows * cols;
        }
        Param p = new Param(name, layer, rows, cols, nextOffset(), gradOffset, weight);
        params.add(p);
        byName.put(name, p);
    }

    /** The row-wise table a parameter belongs to, -1 for none (always -1 without row-wise tables). */
    private int tableOf(String name) {
        if (!rowWise) {
            return -1;
        }
        return name.equals("emb_item_W") ? ITEM_TABLE : name.equals("next_W") || name.equals("next_b") ? HEAD_TABLE : -1;
    }

    private int endLayer(int layer) {
        Param first = null;
        for (Param p : params) {
            if (p.layer() == layer) {
                first = p;
                break;
            }
        }
        layerRanges.add(new long[] {first.offset(), nextOffset(), first.gradOffset(), tableOf(first.name())});
        return layer + 1;
    }

    private INDArray p(String name) {
        Param q = byName.get(name);
        return view(flat, q.offset(), q.rows(), q.cols());
    }

    /** A parameter's gradient, null for a row-wise table's. */
    private INDArray g(String name) {
        Param q = byName.get(name);
        return q.gradOffset() < 0 ? null : view(grads, q.gradOffset(), q.rows(), q.cols());
    }

    private INDArray gFlat(String name) {
        Param q = byName.get(name);
        return grads.get(NDArrayIndex.interval(q.gradOffset(), q.gradOffset() + q.size()));
    }

    /** @return the parameter names, in the flat layout's order ({@code layer_param}, as DL4J names gradients) */
    public List<String> parameterNames() {
        return Collections.unmodifiableList(new ArrayList<>(byName.keySet()));
    }

    /** @return {@code [rows, columns]} of a parameter */
    public int[] parameterShape(String name) {
        Param q = param(name);
        return new int[] {q.rows(), q.cols()};
    }

    /** @return a row-major copy of a parameter */
    public float[] parameter(String name) {
        ensureOpen();
        Param q = param(name);
        return flat.get(NDArrayIndex.interval(q.offset(), q.offset() + q.size())).toFloatVector();
    }

    /**
     * Sets a parameter from a row-major array.
     *
     * @throws IllegalArgumentException for an unknown name or a wrong length
     */
    public void setParameter(String name, float[] values) {
        ensureOpen();
        Param q = param(name);
        if (values.length != q.size()) {
            throw new IllegalArgumentException(name + ": " + values.length + " values, expected " + q.rows() + " x " + q.cols());
        }
        try (INDArray a = Nd4j.createFromArray(values)) {
            flat.get(NDArrayIndex.interval(q.offset(), q.offset() + q.size())).assign(a);
        }
    }

    /**
     * Rows {@code [from, to)} of a parameter, row-major: {@link #parameter} in pieces, so that a
     * million-row table is exchanged without a copy of it.
     *
     * @throws IllegalArgumentException for an unknown name or rows out of range
     */
    public float[] parameterRows(String name, int from, int to) {
        ensureOpen();
        Param q = rowRange(name, from, to);
        return flat.get(NDArrayIndex.interval(q.offset() + (long) from * q.cols(), q.offset() + (long) to * q.cols()))
                .toFloatVector();
    }

    /**
     * Sets rows {@code from, from + values.length / columns} of a parameter from a row-major array.
     *
     * @throws IllegalArgumentException for an unknown name, rows out of range or a length that is not whole rows
     */
    public void setParameterRows(String name, int from, float[] values) {
        ensureOpen();
        Param q = param(name);
        if (values.length % q.cols() != 0) {
            throw new IllegalArgumentException(name + ": " + values.length + " values are not whole rows of " + q.cols());
        }
        rowRange(name, from, from + values.length / q.cols());
        try (INDArray a = Nd4j.createFromArray(values)) {
            long o = q.offset() + (long) from * q.cols();
            flat.get(NDArrayIndex.interval(o, o + values.length)).assign(a);
        }
    }

    private Param rowRange(String name, int from, int to) {
        Param q = param(name);
        if (from < 0 || to < from || to > q.rows()) {
            throw new IllegalArgumentException(name + ": rows [" + from + ", " + to + ") out of [0, " + q.rows() + ")");
        }
        return q;
    }

    private Param param(String name) {
        Param q = byName.get(name);
        if (q == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'; known: " + byName.keySet());
        }
        return q;
    }

    /** @return a row-major copy of a parameter's gradient from the last {@link #gradients} or {@link #fit} (after it, the update) */
    public float[] gradient(String name) {
        ensureOpen();
        Param q = param(name);
        if (q.gradOffset() >= 0) {
            return grads.get(NDArrayIndex.interval(q.gradOffset(), q.gradOffset() + q.size())).toFloatVector();
        }
        // a row-wise table: zero except at the touched rows (columns of the head)
        float[] out = new float[Math.toIntExact(q.size())];
        boolean item = tableOf(name) == ITEM_TABLE;
        RowSums s = item ? tableSums[0] : headSums;
        int u = s.distinct();
        if (u == 0) {
            return out;
        }
        int w = item ? q.cols() : shapes.projection() + 1;
        float[] rows = s.sums(u, w).dup('c').reshape((long) u * w).toFloatVector();
        int[] ids = s.ids();
        for (int i = 0; i < u; i++) {
            int id = ids[i];
            if (item) {
                System.arraycopy(rows, i * w, out, id * w, w);
            } else if (name.equals("next_b")) {
                out[id] = rows[i * w + w - 1];
            } else {
                for (int j = 0; j < w - 1; j++) {
                    out[j * q.cols() + id] = rows[i * w + j];
                }
            }
        }
        return out;
    }

    /**
     * Restarts the dropout generator from a seed (for example once per epoch, so that a run resumed
     * from a checkpoint draws the masks the uninterrupted run draws).
     */
    public void reseed(long seed) {
        ensureOpen();
        closeRng();
        rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    private void closeRng() {
        try {
            rng.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the dropout generator", e);
        }
    }

    /**
     * @return copies of Adam's first and second moments: the first in the flat layout of
     *     {@link #parameterNames()}; the second the same, or with row-wise tables the dense
     *     parameters' (the gradient's layout, tables left out) followed by one per item-embedding
     *     row and one per item column of the head. With row-wise tables the tables' first moments
     *     are kept in bfloat16 and returned widened (exactly) to float.
     */
    public float[][] optimizerState() {
        ensureOpen();
        if (!rowWise) {
            return new float[][] {adamM.toFloatVector(), adamV.toFloatVector()};
        }
        float[] dense = adamV.toFloatVector();
        float[] item = vEmb.reshape(vEmb.length()).toFloatVector();
        float[] head = vHeadT.reshape(vHeadT.length()).toFloatVector();
        float[] v = new float[dense.length + item.length + head.length];
        System.arraycopy(dense, 0, v, 0, dense.length);
        System.arraycopy(item, 0, v, dense.length, item.length);
        System.arraycopy(head, 0, v, dense.length + item.length, head.length);
        return new float[][] {rowWiseFirstMoments(), v};
    }

    /**
     * Rows per piece when the bfloat16 tables' moments are copied to or from Java arrays: 256 KiB
     * of floats, below G1's humongous-object size (as the profile trainer's parameter pieces).
     */
    private int pieceRows(long width) {
        return (int) Math.max(1, (1 << 16) / width);
    }

    /** The first moments in the flat parameter layout, from the dense ones and the bfloat16 tables. */
    private float[] rowWiseFirstMoments() {
        float[] m = new float[Math.toIntExact(nextOffset())];
        float[] dense = adamM.toFloatVector();
        for (Param q : params) {
            if (q.gradOffset() >= 0) {
                System.arraycopy(dense, (int) q.gradOffset(), m, (int) q.offset(), (int) q.size());
            }
        }
        tableMoments(m, true);
        return m;
    }

    /** Copies the bfloat16 tables' first moments into ({@code toFlat}) or from the flat layout {@code m}. */
    private void tableMoments(float[] m, boolean toFlat) {
        tableMoments(m, toFlat, mEmb, byName.get("emb_item_W").offset(), false);
        // the head's moments are item-major here, [P+1, V] (the parameter's layout) in the flat layout
        tableMoments(m, toFlat, mHeadT, byName.get("next_W").offset(), true);
    }

    /**
     * One table's part of {@link #tableMoments(float[], boolean)}, a piece of rows at a time.
     *
     * @param transposed whether the flat layout holds the table transposed ({@code [width, rows]})
     */
    private void tableMoments(float[] m, boolean toFlat, INDArray table, long offset, boolean transposed) {
        int n = (int) table.size(0);
        int w = (int) table.size(1);
        for (int r0 = 0; r0 < n; r0 += pieceRows(w)) {
            int r1 = Math.min(n, r0 + pieceRows(w));
            float[] f = toFlat ? widened(rows(table, r0, r1)) : new float[(r1 - r0) * w];
            for (int r = r0; r < r1; r++) {
                for (int c = 0; c < w; c++) {
                    int at = (int) (offset + (transposed ? (long) c * n + r : (long) r * w + c));
                    if (toFlat) {
                        m[at] = f[(r - r0) * w + c];
                    } else {
                        f[(r - r0) * w + c] = m[at];
                    }
                }
            }
            if (!toFlat) {
                try (INDArray a = Nd4j.createFromArray(f)) {
                    rows(table, r0, r1).assign(a.reshape(r1 - r0, w));
                }
            }
        }
    }

    /** A bfloat16 matrix (view) as row-major floats. */
    private static float[] widened(INDArray bf16) {
        try (INDArray f = Nd4j.create(DataType.FLOAT, bf16.shape(), 'c')) {
            f.assign(bf16);
            return f.data().asFloat();
        }
    }

    /**
     * Restores Adam's moments saved by {@link #optimizerState()}.
     *
     * @throws IllegalArgumentException if their length is not this network's parameter count
     */
    public void setOptimizerState(float[] m, float[] v) {
        ensureOpen();
        long n = nextOffset();
        long vLength = adamV.length() + (rowWise ? vEmb.length() + vHeadT.length() : 0);
        if (m.length != n || v.length != vLength) {
            throw new IllegalArgumentException("optimizer state of " + m.length + " and " + v.length + " values, expected "
                    + n + " and " + vLength);
        }
        if (!rowWise) {
            try (INDArray a = Nd4j.createFromArray(m);
                 INDArray b = Nd4j.createFromArray(v)) {
                adamM.assign(a);
                adamV.assign(b);
            }
            return;
        }
        float[] dense = new float[(int) adamM.length()];
        for (Param q : params) {
            if (q.gradOffset() >= 0) {
                System.arraycopy(m, (int) q.offset(), dense, (int) q.gradOffset(), (int) q.size());
            }
        }
        try (INDArray a = Nd4j.createFromArray(dense);
             INDArray b = Nd4j.createFromArray(java.util.Arrays.copyOf(v, (int) adamV.length()))) {
            adamM.assign(a);
            adamV.assign(b);
        }
        tableMoments(m, false);
        int dl = (int) adamV.length();
        int vi = (int) vEmb.length();
        try (INDArray a = Nd4j.createFromArray(java.util.Arrays.copyOfRange(v, dl, dl + vi));
             INDArray b = Nd4j.createFromArray(java.util.Arrays.copyOfRange(v, dl + vi, v.length))) {
            vEmb.assign(a.reshape(vi, 1));
            vHeadT.assign(b.reshape(v.length - dl - vi, 1));
        }
    }

    /** Resets the Adam moments. */
    public void resetOptimizer() {
        ensureOpen();
        adamM.assign(0.0);
        adamV.assign(0.0);
        if (rowWise) {
            mEmb.assign(0.0);
            mHeadT.assign(0.0);
            vEmb.assign(0.0);
            vHeadT.assign(0.0);
        }
    }

    /**
     * One optimisation step on a batch.
     *
     * @param batch the sequences, at most {@link Settings#maxBatch()}, each of at most
     *     {@link Settings#maxLength()} input steps
     * @param learningRate Adam's learning rate
     * @param iteration the step's index for Adam's bias correction (DL4J's iteration count, from 0)
     * @return the batch's score before the update (DL4J's {@code score()} without regularisation):
     *     the weighted losses of every head summed and divided by the number of sequences
     * @throws IllegalArgumentException for an empty or too large batch or a bad id
     */
    public double fit(List<Sequence> batch, double learningRate, int iteration) {
        return fit(batch, null, learningRate, iteration);
    }

    /**
     * One optimisation step on a batch with a sampled-softmax next-item head: as
     * {@link #fit(List, double, int)}, each row's softmax taken over its target and the batch's
     * negatives, a negative equal to the row's target left out (DL4J's {@code SampledSoftmaxOutputLayer}).
     *
     * @param negatives {@link Shapes#negatives()} item ids (repeats allowed), or null with the full softmax
     * @throws IllegalArgumentException for negatives that do not match the head
     */
    public double fit(List<Sequence> batch, int[] negatives, double learningRate, int iteration) {
        double score = gradients(batch, negatives);
        update(learningRate, iteration);
        lap(PH_OPT);
        return score;
    }

    /**
     * Forward and backward pass without an update (what DL4J's {@code computeGradientAndScore}
     * does, for gradient checks): afterwards {@link #gradient} gives each parameter's gradient of
     * the score, i.e. divided by the number of sequences, before clipping.
     *
     * @return the batch's score, as {@link #fit} returns it
     */
    public double gradients(List<Sequence> batch) {
        return gradients(batch, null);
    }

    /**
     * {@link #gradients(List)} with a sampled-softmax next-item head's negatives.
     *
     * @param negatives {@link Shapes#negatives()} item ids, or null with the full softmax
     */
    public double gradients(List<Sequence> batch, int[] negatives) {
        ensureOpen();
        int ns = shapes.negatives();
        if (ns == 0 ? negatives != null : negatives == null || negatives.length != ns) {
            throw new IllegalArgumentException("the head takes " + ns + " negatives, given "
                    + (negatives == null ? "none" : negatives.length));
        }
        if (negatives != null) {
            for (int k = 0; k < ns; k++) {
                if (negatives[k] < 0 || negatives[k] >= shapes.items()) {
                    throw new IllegalArgumentException("negative " + k + ": item " + negatives[k] + ", expected 0.."
                            + (shapes.items() - 1));
                }
            }
        }
        lap = System.nanoTime();
        int mb = batch.size();
        if (mb == 0 || mb > settings.maxBatch()) {
            throw new IllegalArgumentException("batch of " + mb + " sequences, expected 1.." + settings.maxBatch());
        }
        int[] lens = new int[mb];
        for (int i = 0; i < mb; i++) {
            lens[i] = batch.get(i).length();
            if (lens[i] > settings.maxLength()) {
                throw new IllegalArgumentException("sequence " + i + " of the batch has " + lens[i] + " input steps, at most "
                        + settings.maxLength() + " configured");
            }
        }
        BatchPlan plan = BatchPlan.ofLengths(lens);
        Packed pk = pack(batch, plan);
        lap(PH_PACK);
        final int p = plan.positions;
        final int h = shapes.hidden();
        final int nl = shapes.layers();

        // forward: embeddings, dropout, LSTM layers
        int col = 0;
        for (int k = 0; k < 4; k++) {
            int d = shapes.embeddings()[k];
            Nd4j.pullRows(pEmb[k], rows(e[k], 0, p), 1, pk.ids[k]);
            cols(rows(x0, 0, p), col, col + d).assign(rows(e[k], 0, p));
            col += d;
        }
        lap(PH_GATHER);
        for (int l = 0; l < nl; l++) {
            INDArray src = l == 0 ? x0 : lstm[l - 1].hOut;
            if (mask[l] != null) {
                dropout(mask[l], p);
                Nd4j.exec(new MulOp(rows(src, 0, p), rows(mask[l], 0, p), rows(xIn[l], 0, p)));
            } else if (l > 0) {
                rows(xIn[l], 0, p).assign(rows(src, 0, p));
            }
            lstm[l].forward(plan, xIn[l]);
        }
        INDArray hL = rows(lstm[nl - 1].hOut, 0, p);
        lap(PH_LSTM_FWD);
        // projection (+ residual)
        INDArray hdP = rows(hd, 0, p);
        if (mask[nl] != null) {
            dropout(mask[nl], p);
            Nd4j.exec(new MulOp(hL, rows(mask[nl], 0, p), hdP));
        } else {
            hdP.assign(hL);
        }
        INDArray uP = rows(u, 0, p);
        Nd4j.gemm(hdP, pWp, uP, false, false, 1.0, 0.0);
        uP.addiRowVector(pBp);
        if (shapes.itemResidual()) {
            uP.addi(rows(e[0], 0, p));
        }
        cols(rows(u1, 0, p), 0, shapes.projection()).assign(uP);
        lap(PH_PROJ);

        // next-item head on the rows with a target
        double loss = negatives != null ? sampledHead(pk, p, negatives) : nextItemHead(pk, p);
        INDArray dhL = rows(lstm[nl - 1].dh, 0, p);
        INDArray duP = rows(du, 0, p);
        // projection backward: dWp = hd^T du, dbp = sum du, dh = (du Wp^T) * mask
        Nd4j.gemm(hdP, duP, gWp, true, false, 1.0, 0.0);
        Nd4j.exec(new Sum(duP, gBpFlat, 0));
        Nd4j.gemm(duP, pWp, dhL, false, true, 1.0, 0.0);
        if (mask[nl] != null) {
            dhL.muli(rows(mask[nl], 0, p));
        }
        lap(PH_HEAD_BWD);
        loss += propensityAndCategoryHeads(pk, plan, hL, dhL);
        lap(PH_PROPENSITY);

        // LSTM backward, layer by layer
        for (int l = nl - 1; l >= 0; l--) {
            lstm[l].backward(plan, xIn[l]);
            INDArray dIn = l == 0 ? dx0 : dxl;
            lstm[l].inputGradient(plan, dIn);
            if (mask[l] != null) {
                rows(dIn, 0, p).muli(rows(mask[l], 0, p));
            }
            if (l > 0) {
                rows(lstm[l - 1].dh, 0, p).assign(rows(dIn, 0, p));
            }
        }
        lap(PH_LSTM_BWD);
        // embedding gradients: each input's block of dx0 summed per id (the residual adds du to the item's)
        col = 0;
        for (int k = 0; k < 4; k++) {
            int d = shapes.embeddings()[k];
            INDArray ek = rows(e[k], 0, p);
            ek.assign(cols(rows(dx0, 0, p), col, col + d));
            if (k == 0 && shapes.itemResidual()) {
                ek.addi(duP);
            }
            col += d;
            if (k == 0 && rowWise) {
                tableSums[0].sum(ek, pk.ids[0], p);
            } else {
                tableSums[k].scatter(ek, pk.ids[k], p, gEmb[k]);
            }
        }
        grads.muli(1.0 / mb);
        if (rowWise) {
            for (int t = ITEM_TABLE; t <= HEAD_TABLE; t++) {
                INDArray c = touched(t);
                if (c != null) {
                    c.muli(1.0 / mb);
                }
            }
        }
        lap(PH_EMB_BWD);
        return loss / mb;
    }

    /** Bernoulli(retain) / retain into the first {@code p} rows of {@code m}. */
    private void dropout(INDArray m, int p) {
        double retain = 1.0 - settings.dropout();
        INDArray mp = rows(m, 0, p);
        Nd4j.getExecutioner().exec(new BernoulliDistribution(mp, retain), rng);
        mp.divi(retain);
    }

    /**
     * Softmax over every item at the rows with a next-item target, in chunks; fills {@link #du}
     * (zero at the other rows) and the head's gradients; returns the weighted summed cross-entropy.
     */
    private double nextItemHead(Packed pk, int p) {
        final int n = pk.headCount;
        final int v = shapes.items();
        final int pr = shapes.projection();
        boolean subset = gatherHeadRows(pk, p);
        INDArray src = subset ? uh1 : u1;
        INDArray dst = subset ? duh : du;
        double loss = 0;
        for (int r0 = 0; r0 < n; r0 += headRows) {
            int r1 = Math.min(n, r0 + headRows);
            int c = r1 - r0;
            INDArray lP = rows(logits, 0, c);
            Nd4j.gemm(rows(src, r0, r1), pHead, lP, false, false, 1.0, 0.0);
            if (pk.seenStart != null) {
                maskSeen(lP, pk, r0, c, v);
            }
            lap(PH_HEAD_FWD);
            loss += pk.targetStart != null
                    ? softmax.apply(lP, pk.targetStart, pk.targetItem, pk.targetShare, r0, pk.targetWeight)
                    : softmax.apply(lP, pk.target, r0, pk.targetWeight);
            if (!pk.unitWeights) {
                System.arraycopy(pk.targetWeight, r0, rowScratch, 0, c);
                rowWeight.data().setData(java.util.Arrays.copyOf(rowScratch, headRows));
                lP.muliColumnVector(rows(rowWeight, 0, c));
            }
            lap(PH_LOSS);
            Nd4j.gemm(rows(src, r0, r1), lP, gHead, true, false, 1.0, r0 == 0 ? 0.0 : 1.0);
            Nd4j.gemm(lP, pWn, rows(dst, r0, r1), false, true, 1.0, 0.0);
            lap(PH_HEAD_BWD);
        }
        if (n == 0) {
            gHead.assign(0.0);
            rows(du, 0, p).assign(0.0);
        } else if (subset) {
            placer.place(duh, pk.headRows, n, du, p);
        }
        return loss;
    }

    /** Sets the logits of each chunk row's seen items to {@link #MASKED}. */
    private void maskSeen(INDArray lP, Packed pk, int r0, int c, int v) {
        int m = 0;
        for (int k = 0; k < c; k++) {
            for (int e = pk.seenStart[r0 + k]; e < pk.seenStart[r0 + k + 1]; e++) {
                seenScratch[m++] = (long) k * v + pk.seenItem[e];
            }
        }
        if (m == 0) {
            return;
        }
        seenIdx.data().setData(seenScratch);
        INDArray flatLogits = lP.reshape(lP.length());
        Nd4j.exec(DynamicCustomOp.builder("scatter_upd").addInputs(flatLogits, seenIdx.get(NDArrayIndex.interval(0, m)),
                seenFill.get(NDArrayIndex.interval(0, m))).addOutputs(flatLogits).build());
    }

    /**
     * When only some of the {@code p} packed rows have a next-item target, gathers theirs from
     * {@link #u1} into {@link #uh1}; the head then writes their gradients to {@link #duh}, which
     * {@link RowPlacer#place} puts back at their rows of {@link #du} (zero at the others).
     *
     * @return whether the head works on that subset rather than on {@code u1} and {@code du} directly
     */
    private boolean gatherHeadRows(Packed pk, int p) {
        int n = pk.headCount;
        if (n == p) {
            return false;
        }
        if (n > 0) {
            Nd4j.pullRows(u1, rows(uh1, 0, n), 1, java.util.Arrays.copyOf(pk.headRows, n));
        }
        return true;
    }

    /**
     * The sampled-softmax next-item head (DL4J's {@code SampledSoftmaxLayerImpl}): at each row with a
     * target, a softmax over the target's logit and the shared negatives' (a negative equal to the
     * row's target pushed out by a large penalty); fills {@link #du} and the gradient of the touched
     * output columns only (the rest of the head's gradient is zero); returns the weighted summed loss.
     */
    private double sampledHead(Packed pk, int p, int[] neg) {
        final int n = pk.headCount;
        final int ns = neg.length;
        final int pr = shapes.projection();
        if (n == 0) {
            if (rowWise) {
                headSums.clear();
            } else {
                gHead.assign(0.0);
            }
            rows(du, 0, p).assign(0.0);
            return 0;
        }
        boolean subset = gatherHeadRows(pk, p);
        INDArray src = subset ? uh1 : u1;
        INDArray dst = subset ? duh : du;
        int[] target = java.util.Arrays.copyOf(pk.target, n);
        INDArray srcN = rows(src, 0, n);
        INDArray wTn = rows(wT, 0, n);
        Nd4j.pullRows(pHeadT, wTn, 1, target);
        Nd4j.pullRows(pHeadT, wNeg, 1, neg);
        INDArray negL = rows(negLogits, 0, n);
        Nd4j.gemm(srcN, wNeg, negL, false, true, 1.0, 0.0);
        INDArray d = rows(dFull, 0, n);
        Nd4j.exec(new MulOp(srcN, wTn, d));
        INDArray posN = rows(pos, 0, n);
        Nd4j.exec(new Sum(d, posN.reshape(n), 1));
        INDArray lP = rows(logits, 0, n);
        cols(lP, 0, 1).assign(posN);
        cols(lP, 1, 1 + ns).assign(negL);
        Map<Integer, List<Integer>> at = new java.util.HashMap<>();
        for (int k = 0; k < ns; k++) {
            at.computeIfAbsent(neg[k], x -> new ArrayList<>(1)).add(k);
        }
        for (int i = 0; i < n; i++) {
            List<Integer> hits = at.get(target[i]);
            if (hits != null) {
                for (int k : hits) {
                    lP.putScalar(i, 1 + k, lP.getFloat(i, 1 + k) - HIT_PENALTY);
                }
            }
        }
        lap(PH_HEAD_FWD);
        double loss = softmax.apply(lP, zeros, 0, pk.unitWeights ? null : pk.targetWeight);
        if (!pk.unitWeights) {
            System.arraycopy(pk.targetWeight, 0, rowScratch, 0, n);
            rowWeight.data().setData(java.util.Arrays.copyOf(rowScratch, headRows));
            lP.muliColumnVector(rows(rowWeight, 0, n));
        }
        lap(PH_LOSS);
        // dLoss/dLogits: column 0 at the target, columns 1.. at the negatives
        posN.assign(cols(lP, 0, 1));
        negL.assign(cols(lP, 1, 1 + ns));
        // the user vectors' gradient: g0 * w_target + gNeg x W_neg (first P columns; the last is the bias's 1)
        Nd4j.gemm(negL, wNeg, d, false, false, 1.0, 0.0);
        d.addi(wTn.muliColumnVector(posN));
        rows(dst, 0, n).assign(cols(d, 0, pr));
        // the touched columns' gradients, summed per distinct item, then written into the zeroed head gradient
        INDArray gT = rows(gStack, 0, n);
        gT.assign(srcN).muliColumnVector(posN);
        Nd4j.gemm(negL, srcN, rows(gStack, n, n + ns), true, false, 1.0, 0.0);
        System.arraycopy(target, 0, stackIds, 0, n);
        System.arraycopy(neg, 0, stackIds, n, ns);
        if (rowWise) {
            headSums.sum(gStack, stackIds, n + ns);
        } else {
            tableSums[0].scatter(gStack, stackIds, n + ns, gHeadT);
        }
        if (subset) {
            placer.place(duh, pk.headRows, n, du, p);
        }
        lap(PH_HEAD_BWD);
        return loss;
    }

    /**
     * The purchase and churn heads at every step and the category head at each sequence's last
     * step, on {@code [h_L, static]}: their gradients, and their contribution to {@code dhL} (the
     * category head's always, the per-step heads' only with {@link Shapes#propensityGradient()}).
     */
    private double propensityAndCategoryHeads(Packed pk, BatchPlan plan, INDArray hL, INDArray dhL) {
        final int p = plan.positions;
        final int mb = plan.batch;
        final int h = shapes.hidden();
        INDArray sP = rows(sH, 0, p);
        cols(sP, 0, h).assign(hL);
        if (stat != null) {
            stat.data().setData(pk.stat);
            cols(sP, h, headIn).assign(rows(stat, 0, p));
        }
        double loss = 0;
        loss += stepHead(sP, pWq, pBq, gWq, gBqFlat, zq, pk.purchase, pk.purchaseWeight, p, dhL);
        loss += stepHead(sP, pWr, pBr, gWr, gBrFlat, zr, pk.churn, pk.churnWeight, p, dhL);
        // category head at the last step of each sequence
        INDArray slP = rows(sl, 0, mb);
        Nd4j.pullRows(sP, slP, 1, plan.lastRow);
        int nc = shapes.categories();
        INDArray zcP = rows(zc, 0, mb);
        Nd4j.gemm(slP, pWc, zcP, false, false, 1.0, 0.0);
        zcP.addiRowVector(pBc);
        float[] z = zcP.reshape(zcP.length()).toFloatVector();
        for (int r = 0; r < mb; r++) {
            float w = pk.categoryWeight[r];
            int label = pk.categoryLabel[r];
            if (w == 0) {
                java.util.Arrays.fill(catScratch, r * nc, (r + 1) * nc, 0f);
                continue;
            }
            for (int j = 0; j < nc; j++) {
                int o = r * nc + j;
                double y = j == label ? 1.0 : 0.0;
                loss += bceLoss(z[o], y, w);
                catScratch[o] = (float) bceGradient(z[o], y, w);
            }
        }
        zc.data().setData(catScratch);
        Nd4j.gemm(slP, zcP, gWc, true, false, 1.0, 0.0);
        Nd4j.exec(new Sum(zcP, gBcFlat, 0));
        INDArray dslP = rows(dsl, 0, mb);
        Nd4j.gemm(zcP, pWc, dslP, false, true, 1.0, 0.0);
        INDArray dslHP = rows(dslH, 0, mb);
        dslHP.assign(cols(dslP, 0, h));
        placer.place(dslHP, plan.lastRow, mb, tmpRH, p);
        dhL.addi(rows(tmpRH, 0, p));
        return loss;
    }

    /** A one-output sigmoid head at every step with binary cross-entropy; returns its weighted loss. */
    private double stepHead(INDArray sP, INDArray w, INDArray b, INDArray gw, INDArray gbFlat, INDArray zBuf,
                            float[] label, float[] weight, int p, INDArray dhL) {
        INDArray zP = rows(zBuf, 0, p);
        Nd4j.gemm(sP, w, zP, false, false, 1.0, 0.0);
        zP.addi(b.getDouble(0));
        float[] z = zP.toFloatVector();
        double loss = 0;
        for (int r = 0; r < p; r++) {
            if (weight[r] == 0) {
                rowScratch[r] = 0f;
                continue;
            }
            loss += bceLoss(z[r], label[r], weight[r]);
            rowScratch[r] = (float) bceGradient(z[r], label[r], weight[r]);
        }
        zBuf.data().setData(rowScratch);
        Nd4j.gemm(sP, zP, gw, true, false, 1.0, 0.0);
        Nd4j.exec(new Sum(zP, gbFlat, 0));
        if (shapes.propensityGradient()) {
            Nd4j.gemm(zP, w.get(NDArrayIndex.interval(0, shapes.hidden()), NDArrayIndex.all()), dhL, false, true, 1.0, 1.0);
        }
        return loss;
    }

    /**
     * A sigmoid output with binary cross-entropy and a label weight, as DL4J's output layers compute
     * it with a weighted label mask: the mask multiplies the pre-activation as well as the loss, so
     * the trained output is {@code s = sigmoid(w z)} and the loss {@code -w (y log q + (1-y) log(1-q))}
     * with {@code q} = {@code s} clipped to {@code [1e-5, 1 - 1e-5]} ({@code LossBinaryXENT}); its
     * gradient with respect to {@code z} is {@code w^2 (q - y) / (q (1 - q)) s (1 - s)}. The serving
     * network reads {@code sigmoid(z)}: the weight scales the logit only in training, which the
     * calibration fitted after training absorbs. Computed here as DL4J does so that both engines
     * train the same heads.
     *
     * @return the loss
     */
    private static double bceLoss(double z, double y, double w) {
        double q = Math.min(Math.max(sigmoid(w * z), BCE_CLIP), 1.0 - BCE_CLIP);
        return -w * (y == 1.0 ? Math.log(q) : y == 0.0 ? Math.log(1 - q) : y * Math.log(q) + (1 - y) * Math.log(1 - q));
    }

    /** The gradient of {@link #bceLoss} with respect to {@code z}. */
    private static double bceGradient(double z, double y, double w) {
        double s = sigmoid(w * z);
        double q = Math.min(Math.max(s, BCE_CLIP), 1.0 - BCE_CLIP);
        double g = w * w * (q - y);
        return q == s ? g : g / (q * (1 - q)) * (s * (1 - s));
    }

    /** The sigmoid rounded to float, as DL4J's FLOAT activation computes it. */
    private static double sigmoid(double x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /**
     * DL4J's update: per-layer L2 clipping, Adam over every parameter, decoupled weight decay of the
     * weights, then the tied item embedding copied from the output weights.
     */
    private void update(double lr, int iteration) {
        if (shapes.tieItemEmbeddings()) {
            gWn.addi(gEmb[0].transpose());
        }
        double clip = settings.gradientClip();
        for (long[] layer : layerRanges) {
            INDArray gl = layer[3] >= 0 ? touched((int) layer[3]) : layerGrad(layer);
            if (gl == null) {
                continue;
            }
            double norm = gl.norm2Number().doubleValue();
            if (norm > clip) {
                gl.muli(clip / norm);
            }
        }
        double wd = settings.weightDecay();
        if (!rowWise) {
            Nd4j.exec(new AdamUpdater(grads, adamV, adamM, lr, 0.9, 0.999, 1e-8, iteration));
        } else {
            for (long[] layer : layerRanges) {
                if (layer[3] < 0) {
                    Nd4j.exec(new AdamUpdater(layerGrad(layer), layerView(adamV, layer),
                            layerView(adamM, layer), lr, 0.9, 0.999, 1e-8, iteration));
                }
            }
            rowWiseUpdate(tableSums[0], shapes.embeddings()[0], pEmb[0], mEmb, vEmb, shapes.embeddings()[0], lr, wd, iteration);
            rowWiseUpdate(headSums, shapes.projection() + 1, pHeadT, mHeadT, vHeadT, shapes.projection(), lr, wd, iteration);
        }
        if (wd > 0) {
            for (Param q : params) {
                if (q.weight() && q.gradOffset() >= 0) {
                    // g += lr * wd * w, in place (no copy of the weights, which at a million items is large)
                    Nd4j.getBlasWrapper().level1().axpy(q.size(), lr * wd,
                            flat.get(NDArrayIndex.interval(q.offset(), q.offset() + q.size())),
                            grads.get(NDArrayIndex.interval(q.gradOffset(), q.gradOffset() + q.size())));
                }
            }
        }
        if (!rowWise) {
            flat.subi(grads);
        } else {
            for (long[] layer : layerRanges) {
                if (layer[3] < 0) {
                    flat.get(NDArrayIndex.interval(layer[0], layer[1])).subi(layerGrad(layer));
                }
            }
        }
        if (shapes.tieItemEmbeddings()) {
            pEmb[0].assign(pWn.transpose());
        }
    }

    /** A dense layer's range of an array in the gradient's layout ({@link #grads}, and {@link #adamV} with row-wise tables). */
    private static INDArray layerView(INDArray gradLayout, long[] layer) {
        return gradLayout.get(NDArrayIndex.interval(layer[2], layer[2] + layer[1] - layer[0]));
    }

    /** A dense layer's gradient. */
    private INDArray layerGrad(long[] layer) {
        return layerView(grads, layer);
    }

    /** A row-wise table's touched rows' gradient ({@code [u, width]}), null when the batch touched none. */
    private INDArray touched(int table) {
        RowSums s = table == ITEM_TABLE ? tableSums[0] : headSums;
        int u = s.distinct();
        return u == 0 ? null : s.sums(u, table == ITEM_TABLE ? shapes.embeddings()[0] : shapes.projection() + 1);
    }

    /**
     * Row-wise Adam, then decoupled weight decay of the first {@code decayColumns} columns, on the
     * rows of {@code table} that the last {@link RowSums#sum} of {@code s} touched: each row keeps a
     * first moment per entry ({@code m}, {@code [rows, width]} bfloat16: computed in float, stored
     * rounded to nearest) and one second moment, the mean of its entries' squared gradients
     * ({@code v}, {@code [rows, 1]} float; FBGEMM's "partial row-wise Adam"). The other rows and
     * their moments stay as they are.
     */
    private void rowWiseUpdate(RowSums s, int width, INDArray table, INDArray m, INDArray v, int decayColumns, double lr,
                               double wd, int iteration) {
        int u = s.distinct();
        if (u == 0) {
            return;
        }
        final double b1 = 0.9;
        final double b2 = 0.999;
        int[] ids = java.util.Arrays.copyOf(s.ids(), u);
        INDArray g = s.sums(u, width);
        INDArray w = view(rowW, 0, u, width);
        INDArray mu = view(rowM, 0, u, width);
        INDArray sq = view(rowV, 0, u, width);
        INDArray vu = view(rowV, (long) u * width, u, 1);
        INDArray ms = rows(rowS, 0, u);
        Nd4j.pullRows(table, w, 1, ids);
        INDArray mb = view(rowMb, 0, u, width);
        Nd4j.pullRows(m, mb, 1, ids); // bfloat16 as stored
        mu.assign(mb);
        Nd4j.pullRows(v, vu, 1, ids);
        // m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) mean(g^2 over the row)
        mu.muli(b1);
        Nd4j.getBlasWrapper().level1().axpy((long) u * width, 1 - b1, g.reshape((long) u * width), mu.reshape((long) u * width));
        Nd4j.exec(new MulOp(g, g, sq));
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.reduce.floating.Mean(sq, ms.reshape(u), 1));
        vu.muli(b2);
        Nd4j.getBlasWrapper().level1().axpy(u, 1 - b2, ms.reshape(u), vu.reshape(u));
        // update = lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps), DL4J's Adam with one v per row
        double t = iteration + 1.0;
        double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt(vu, ms));
        ms.addi(1e-8);
        g.assign(mu).diviColumnVector(ms).muli(alpha);
        if (wd > 0) {
            INDArray gd = cols(g, 0, decayColumns);
            gd.addi(cols(w, 0, decayColumns).mul(lr * wd));
        }
        w.subi(g);
        s.assignRows(table, u, w);
        mb.assign(mu); // rounded to nearest (ties to even) bfloat16
        s.assignRows(m, u, mb);
        s.assignRows(v, u, vu);
    }

    /** The batch in packed order, as plain arrays. */
    private static final class Packed {
        final int[][] ids = new int[4][];
        int[] headRows;
        int headCount;
        int[] target;
        float[] targetWeight;
        // with several next items per step: head row k's targets are [targetStart[k], targetStart[k + 1])
        int[] targetStart;
        int[] targetItem;
        float[] targetShare;
        // with maskSeen: head row k's seen items are seenItem[seenStart[k] .. seenStart[k + 1])
        int[] seenStart;
        int[] seenItem;
        boolean unitWeights;
        float[] purchase;
        float[] purchaseWeight;
        float[] churn;
        float[] churnWeight;
        int[] categoryLabel;
        float[] categoryWeight;
        float[] stat;
    }

    private Packed pack(List<Sequence> batch, BatchPlan plan) {
        final int p = plan.positions;
        Packed pk = new Packed();
        for (int k = 0; k < 4; k++) {
            pk.ids[k] = new int[p];
        }
        pk.headRows = new int[maxRows];
        pk.target = new int[p];
        pk.targetWeight = new float[p];
        pk.purchase = new float[p];
        pk.purchaseWeight = new float[p];
        pk.churn = new float[p];
        pk.churnWeight = new float[p];
        int s = shapes.staticSize();
        pk.stat = s > 0 ? new float[maxRows * s] : null;
        pk.unitWeights = true;
        final int ahead = settings.nextItems();
        if (ahead > 1) {
            pk.targetStart = new int[maxRows + 1];
            pk.targetItem = new int[maxRows * ahead];
            pk.targetShare = new float[maxRows * ahead];
        }
        if (settings.maskSeen()) {
            pk.seenStart = new int[maxRows + 1];
            long most = 0; // a row at step t has at most t + 1 seen items
            for (int t = 0; t < plan.steps; t++) {
                most += (long) (plan.offset[t + 1] - plan.offset[t]) * (t + 1);
            }
            pk.seenItem = new int[Math.toIntExact(most)];
        }
        int n = 0;
        int entries = 0;
        int seen = 0;
        for (int t = 0; t < plan.steps; t++) {
            for (int row = plan.offset[t]; row < plan.offset[t + 1]; row++) {
                int i = plan.sequence[row];
                Sequence q = batch.get(i);
                int[][] in = {q.item(), q.type(), q.category(), q.gap()};
                for (int k = 0; k < 4; k++) {
                    int id = in[k][t];
                    if (id < 0 || id >= shapes.vocabularies()[k]) {
                        throw new IllegalArgumentException("sequence " + i + " of the batch, step " + t + ": " + INPUTS[k]
                                + " id " + id + ", expected 0.." + (shapes.vocabularies()[k] - 1));
                    }
                    pk.ids[k][row] = id;
                }
                float w = q.nextWeight()[t];
                if (w != 0) {
                    int target = q.next()[t];
                    if (target < 0 || target >= shapes.items()) {
                        throw new IllegalArgumentException("sequence " + i + " of the batch, step " + t + ": next item "
                                + target + ", expected 0.." + (shapes.items() - 1));
                    }
                    pk.headRows[n] = row;
                    pk.target[n] = target;
                    pk.targetWeight[n] = w;
                    pk.unitWeights &= w == 1f;
                    if (ahead > 1) {
                        entries = laterTargets(pk, entries, q, i, t, ahead);
                    }
                    if (pk.seenStart != null) {
                        seen = seenItems(pk, seen, q, t, n, ahead > 1 ? pk.targetStart[n] : -1, entries);
                    }
                    n++;
                    if (ahead > 1) {
                        pk.targetStart[n] = entries;
                    }
                    if (pk.seenStart != null) {
                        pk.seenStart[n] = seen;
                    }
                }
                pk.purchase[row] = q.purchase()[t];
                pk.purchaseWeight[row] = q.purchaseWeight()[t];
                pk.churn[row] = q.churn()[t];
                pk.churnWeight[row] = q.churnWeight()[t];
                if (s > 0 && q.staticFeatures() != null) {
                    System.arraycopy(q.staticFeatures(), 0, pk.stat, row * s, s);
                }
            }
        }
        pk.headCount = n;
        pk.categoryLabel = new int[plan.batch];
        pk.categoryWeight = new float[plan.batch];
        for (int i = 0; i < plan.batch; i++) {
            pk.categoryLabel[i] = batch.get(i).categoryLabel();
            pk.categoryWeight[i] = batch.get(i).categoryWeight();
        }
        return pk;
    }

    /**
     * Appends the seen items of head row {@code n} (step {@code t} of {@code q}): its input items up
     * to that step, the padding id 0 and the row's own targets left out.
     *
     * @param targetsFrom the row's first entry in {@code targetItem}, or -1 with one target
     * @param targetsTo the end of its entries
     * @return the seen entries written so far
     */
    private static int seenItems(Packed pk, int seen, Sequence q, int t, int n, int targetsFrom, int targetsTo) {
        int[] items = q.item();
        for (int j = 0; j <= t; j++) {
            int it = items[j];
            if (it <= 0 || it == pk.target[n]) {
                continue;
            }
            boolean target = false;
            for (int e = Math.max(targetsFrom, 0); targetsFrom >= 0 && e < targetsTo && !target; e++) {
                target = pk.targetItem[e] == it;
            }
            if (!target) {
                pk.seenItem[seen++] = it;
            }
        }
        return seen;
    }

    /**
     * Appends the targets of a step that learns the next {@code ahead} items: the next item and
     * the following ones the sequence has (weight not 0), the {@code j}-th with weight
     * {@code decay^(j-1)}, normalised to sum 1.
     *
     * @return the entries written so far
     */
    private int laterTargets(Packed pk, int entries, Sequence q, int i, int t, int ahead) {
        int first = entries;
        double share = 1.0;
        double sum = 0;
        for (int j = 0; j < ahead && t + j < q.length(); j++, share *= settings.nextItemsDecay()) {
            if (q.nextWeight()[t + j] == 0) {
                continue;
            }
            int target = q.next()[t + j];
            if (target < 0 || target >= shapes.items()) {
                throw new IllegalArgumentException("sequence " + i + " of the batch, step " + (t + j) + ": next item "
                        + target + ", expected 0.." + (shapes.items() - 1));
            }
            pk.targetItem[entries] = target;
            pk.targetShare[entries] = (float) share;
            sum += share;
            entries++;
        }
        for (int e = first; e < entries; e++) {
            pk.targetShare[e] = (float) (pk.targetShare[e] / sum);
        }
        return entries;
    }

    private void lap(int phase) {
        long now = System.nanoTime();
        phaseNanos[phase] += now - lap;
        lap = now;
    }

    /** Cumulative wall time of each phase of {@link #fit}, in seconds, keyed by {@link #PHASES}. */
    public Map<String, Double> phaseSeconds() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < PHASES.size(); i++) {
            m.put(PHASES.get(i), phaseNanos[i] / 1e9);
        }
        return Collections.unmodifiableMap(m);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
    }

    /** Frees the native buffers; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeRng();
        for (PackedLstm l : lstm) {
            l.close();
        }
        softmax.close();
        if (seenIdx != null) {
            seenIdx.close();
            seenFill.close();
        }
        for (RowSums t : tableSums) {
            t.close();
        }
        placer.close();
        if (headSums != null) {
            headSums.close();
        }
        List<INDArray> all = new ArrayList<>(List.of(flat, grads, adamM, adamV, x0, dx0, hd, u, u1, uh1, duh, du, logits,
                rowWeight, sH, zq, zr, sl, zc, dsl, dslH, tmpRH));
        for (int k = 0; k < 4; k++) {
            all.add(e[k]);
        }
        for (int l = 0; l < xIn.length; l++) {
            if (xIn[l] != x0) {
                all.add(xIn[l]);
            }
        }
        for (INDArray m : mask) {
            if (m != null) {
                all.add(m);
            }
        }
        if (dxl != null) {
            all.add(dxl);
        }
        if (stat != null) {
            all.add(stat);
        }
        if (wT != null) {
            all.addAll(List.of(wT, wNeg, negLogits, pos, dFull, gStack));
        }
        if (rowW != null) {
            all.addAll(List.of(rowW, rowM, rowV, vEmb, vHeadT, rowS, mEmb, mHeadT, rowMb));
        }
        for (INDArray a : all) {
            if (a.closeable()) {
                a.close();
            }
        }
    }
}
