package org.persona4j.models.train.fused;

import static org.persona4j.models.train.fused.Views.cols;
import static org.persona4j.models.train.fused.Views.rows;
import static org.persona4j.models.train.fused.Views.view;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The fused model on ND4J arrays: {@code embedding -> LSTM -> softmax head}, forward, backward
 * and Adam, with every buffer allocated once for the largest batch and reused.
 *
 * <p>Parameters, gradients and the two Adam moments each live in one flat FLOAT vector, laid out
 * as {@code E[V,emb] | W[emb,4h] | RW[h,4h] | b[4h] | Wo[h,V] | bo[V]} (row-major); the named
 * matrices are views of it. {@code Wo} and {@code bo} are adjacent so {@code [Wo; bo]} is one
 * {@code [h+1, V]} matrix: the head multiplies {@code [H, 1]} by it, which adds the bias inside the
 * GEMM and yields the bias gradient as the last row of the weight-gradient GEMM. The head runs on
 * the packed real positions in row chunks of at most {@link #headRows} rows (by default what fits
 * 128 MiB of logits), so its buffer does not grow with the batch.
 *
 * <p>The sequences of a batch are packed time-major, longest first ({@link BatchPlan}): step
 * {@code t} works on the first {@code n[t]} rows of its block, whose previous states are the first
 * {@code n[t]} rows of the block before. The input projection, the weight gradients {@code dW},
 * {@code dRW}, {@code db} and the input gradient are one GEMM or reduction over all positions;
 * only the recurrent GEMM and the cell's element-wise ops run per step.
 *
 * <p>LSTM gate blocks follow DL4J's {@code LSTM}: columns {@code [0,h)} block input {@code a}
 * (tanh), {@code [h,2h)} forget {@code f}, {@code [2h,3h)} output {@code o}, {@code [3h,4h)} input
 * {@code i} (all sigmoid), no peepholes: {@code c = f*c' + i*a}, {@code y = o*tanh(c)}.
 *
 * <p>Losses and gradients follow DL4J's {@code RnnOutputLayer} with {@code LossSparseMCXENT} and a
 * mask: the score is the summed cross-entropy of the real positions divided by the number of
 * sequences, and the gradients are those of that score (DL4J divides by the minibatch size in the
 * updater). Adam is ND4J's {@code adam_updater} op, the one DL4J's {@code AdamUpdater} runs.
 *
 * <p>Not thread-safe. Nothing global of ND4J is changed; all arrays are allocated outside any
 * workspace and freed by {@link #close()}.
 */
final class FusedLstmNet implements AutoCloseable {

    final int vocab;
    final int emb;
    final int hidden;
    final int maxBatch;
    final int maxRows;
    private final int gates;

    final INDArray params;
    final INDArray grads;
    private final INDArray adamM;
    private final INDArray adamV;

    // parameter views
    final INDArray pE;
    final INDArray pW;
    final INDArray pRW;
    final INDArray pB;
    final INDArray pWo;
    final INDArray pBo;
    private final INDArray pHead; // [h+1, V] = [Wo; bo]
    // gradient views
    final INDArray gE;
    final INDArray gW;
    final INDArray gRW;
    final INDArray gB;
    final INDArray gWo;
    final INDArray gBo;
    private final INDArray gHead;
    private final INDArray gBFlat;

    // per-batch buffers, maxRows rows each
    private final INDArray x;      // [R, emb] embedded inputs
    private final PackedLstm lstm;
    private final INDArray h1;     // [R, h+1] = [hOut, 1]
    private final INDArray logits; // [headRows, V] logits, probabilities, then dLoss/dLogits * mb
    private final INDArray dx;     // [R, emb]
    private final RowSums embeddingSums;
    private final SoftmaxTargets softmax;
    /** Rows of the softmax head computed at once (bounds the logits buffer). */
    final int headRows;

    private int iteration;
    private boolean closed;

    /** Floats the logits buffer may hold by default: 128 MiB. */
    static final long HEAD_BUDGET = 1L << 25;

    FusedLstmNet(int vocab, int emb, int hidden, int maxBatch, int maxLength) {
        this(vocab, emb, hidden, maxBatch, maxLength,
                (int) Math.max(1, Math.min((long) maxBatch * maxLength, HEAD_BUDGET / vocab)));
    }

    /**
     * @param headRows the most positions whose logits are held at once; larger batches run the head
     *     in row chunks of this size (same result)
     */
    FusedLstmNet(int vocab, int emb, int hidden, int maxBatch, int maxLength, int headRows) {
        this.headRows = headRows;
        this.vocab = vocab;
        this.emb = emb;
        this.hidden = hidden;
        this.maxBatch = maxBatch;
        this.maxRows = Math.multiplyExact(maxBatch, maxLength);
        this.gates = 4 * hidden;
        long nE = (long) vocab * emb;
        long nW = (long) emb * gates;
        long nRW = (long) hidden * gates;
        long nHead = (long) (hidden + 1) * vocab;
        long n = nE + nW + nRW + gates + nHead;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            params = Nd4j.create(DataType.FLOAT, n);
            grads = Nd4j.create(DataType.FLOAT, n);
            adamM = Nd4j.create(DataType.FLOAT, n);
            adamV = Nd4j.create(DataType.FLOAT, n);
            long o = 0;
            pE = view(params, o, vocab, emb);
            gE = view(grads, o, vocab, emb);
            o += nE;
            pW = view(params, o, emb, gates);
            gW = view(grads, o, emb, gates);
            o += nW;
            pRW = view(params, o, hidden, gates);
            gRW = view(grads, o, hidden, gates);
            o += nRW;
            pB = view(params, o, 1, gates);
            gB = view(grads, o, 1, gates);
            gBFlat = grads.get(NDArrayIndex.interval(o, o + gates));
            o += gates;
            pHead = view(params, o, hidden + 1, vocab);
            gHead = view(grads, o, hidden + 1, vocab);
            pWo = view(params, o, hidden, vocab);
            gWo = view(grads, o, hidden, vocab);
            pBo = view(params, o + (long) hidden * vocab, 1, vocab);
            gBo = view(grads, o + (long) hidden * vocab, 1, vocab);

            int r = maxRows;
            x = Nd4j.create(DataType.FLOAT, r, emb);
            lstm = new PackedLstm(emb, hidden, r, pW, pRW, pB, gW, gRW, gBFlat);
            h1 = Nd4j.create(DataType.FLOAT, r, hidden + 1);
            h1.get(NDArrayIndex.all(), NDArrayIndex.point(hidden)).assign(1.0);
            logits = Nd4j.create(DataType.FLOAT, headRows, vocab);
            dx = Nd4j.create(DataType.FLOAT, r, emb);
            embeddingSums = new RowSums(vocab, r, emb);
            softmax = new SoftmaxTargets(headRows);
        }
    }

    /** Number of Adam steps taken. */
    int iteration() {
        return iteration;
    }

    /** Phase clock: one slot per phase, in nanoseconds (see {@link FusedLstmTrainer#PHASES}). */
    interface Clock {
        void lap(int phase);
    }

    static final int PH_GATHER = 0;
    static final int PH_LSTM_FWD = 1;
    static final int PH_HEAD_FWD = 2;
    static final int PH_LOSS = 3;
    static final int PH_HEAD_BWD = 4;
    static final int PH_LSTM_BWD = 5;
    static final int PH_EMB_BWD = 6;

    /**
     * Forward and backward pass of one batch; fills {@link #grads} (dense: untouched embedding rows
     * are zero) and returns the score.
     */
    double forwardBackward(BatchPlan plan, Clock clock) {
        ensureOpen();
        if (plan.positions > maxRows || plan.batch > maxBatch) {
            throw new IllegalArgumentException("batch of " + plan.batch + " sequences and " + plan.positions
                    + " positions exceeds the buffers (" + maxBatch + " sequences, " + maxRows + " positions)");
        }
        embeddingForward(plan);
        clock.lap(PH_GATHER);
        lstm.forward(plan, x);
        clock.lap(PH_LSTM_FWD);
        cols(rows(h1, 0, plan.positions), 0, hidden).assign(rows(lstm.hOut, 0, plan.positions));
        double loss = 0;
        for (int r0 = 0; r0 < plan.positions; r0 += headRows) {
            int r1 = Math.min(plan.positions, r0 + headRows);
            headForward(r0, r1);
            clock.lap(PH_HEAD_FWD);
            loss += softmaxLoss(plan, r0, r1);
            clock.lap(PH_LOSS);
            headBackward(plan, r0, r1);
            clock.lap(PH_HEAD_BWD);
        }
        double score = loss / plan.batch;
        lstm.backward(plan, x);
        clock.lap(PH_LSTM_BWD);
        embeddingBackward(plan);
        clock.lap(PH_EMB_BWD);
        return score;
    }

    /** X = E[inputs]: one row gather. */
    private void embeddingForward(BatchPlan plan) {
        Nd4j.pullRows(pE, rows(x, 0, plan.positions), 1, plan.inputs);
    }

    /** logits = [H, 1] [Wo; bo] for packed rows {@code [r0, r1)} (real positions only). */
    private void headForward(int r0, int r1) {
        Nd4j.gemm(rows(h1, r0, r1), pHead, rows(logits, 0, r1 - r0), false, false, 1.0, 0.0);
    }

    /**
     * Softmax of the chunk in place, then softmax - onehot in place (the score's gradient times
     * mb); returns the chunk's summed cross-entropy, {@code -log max(p_target, 1e-10)} as DL4J's
     * {@code LossMCXENT} clips it.
     */
    private double softmaxLoss(BatchPlan plan, int r0, int r1) {
        return softmax.apply(rows(logits, 0, r1 - r0), plan.targets, r0, null);
    }

    /**
     * d[Wo; bo] (+)= [H, 1]^T dL (the first chunk overwrites, the next ones accumulate) and
     * dH = dL Wo^T for the chunk's rows, the score's 1/mb folded into alpha.
     */
    private void headBackward(BatchPlan plan, int r0, int r1) {
        double scale = 1.0 / plan.batch;
        INDArray lP = rows(logits, 0, r1 - r0);
        Nd4j.gemm(rows(h1, r0, r1), lP, gHead, true, false, scale, r0 == 0 ? 0.0 : 1.0);
        Nd4j.gemm(lP, pWo, rows(lstm.dh, r0, r1), false, true, scale, 0.0);
    }

    /** dX = dZ W^T, summed per item into the dense embedding gradient (deterministic, {@link RowSums}). */
    private void embeddingBackward(BatchPlan plan) {
        final int p = plan.positions;
        INDArray dxP = rows(dx, 0, p);
        lstm.inputGradient(plan, dx);
        embeddingSums.scatter(dxP, plan.inputs, p, gE);
    }

    /** One Adam step with the gradients in {@link #grads} (which it overwrites with the update). */
    void adamStep(double lr, double beta1, double beta2, double epsilon) {
        ensureOpen();
        Nd4j.exec(new AdamUpdater(grads, adamV, adamM, lr, beta1, beta2, epsilon, iteration));
        params.subi(grads);
        iteration++;
    }

    /** Sets every parameter; arrays in DL4J's layout (see the class comment). */
    void setParameters(float[][] e, float[][] w, float[][] rw, float[] b, float[][] wo, float[] bo) {
        ensureOpen();
        put(pE, e);
        put(pW, w);
        put(pRW, rw);
        put(pB, new float[][] {b});
        put(pWo, wo);
        put(pBo, new float[][] {bo});
    }

    private static void put(INDArray dst, float[][] src) {
        if (src.length != dst.rows() || (src.length > 0 && src[0].length != dst.columns())) {
            throw new IllegalArgumentException("expected a [" + dst.rows() + " x " + dst.columns() + "] array, got ["
                    + src.length + " x " + (src.length == 0 ? 0 : src[0].length) + "]");
        }
        try (INDArray a = Nd4j.createFromArray(src)) {
            dst.assign(a);
        }
    }

    /** Resets the Adam moments and the step counter. */
    void resetOptimizer() {
        adamM.assign(0.0);
        adamV.assign(0.0);
        iteration = 0;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        lstm.close();
        softmax.close();
        embeddingSums.close();
        for (INDArray a : new INDArray[] {params, grads, adamM, adamV, x, h1, logits, dx}) {
            if (a.closeable()) {
                a.close();
            }
        }
    }
}
