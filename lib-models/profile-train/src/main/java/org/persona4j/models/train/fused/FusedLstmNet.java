package org.persona4j.models.train.fused;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
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
    private static final float LOG_CLIP = 1e-10f; // DL4J's LossMCXENT softmax clip

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
    private final INDArray z;      // [R, 4h] gate pre-activations, then activations
    private final INDArray c;      // [R+1, h] cell states, the last row zero
    private final INDArray tc;     // [R, h] tanh(c)
    private final INDArray hOut;   // [R+1, h] LSTM outputs, the last row zero
    private final INDArray hPrev;  // [R, h] previous output of each row (0 at t=0)
    private final INDArray cPrev;  // [R, h] previous cell state of each row (0 at t=0)
    private final INDArray h1;     // [R, h+1] = [hOut, 1]
    private final INDArray logits; // [headRows, V] logits, probabilities, then dLoss/dLogits * mb
    private final INDArray dh;     // [R, h]
    private final INDArray dc;     // [R, h]
    private final INDArray dz;     // [R, 4h]
    private final INDArray k4;     // [R, 4h] per-gate multipliers of the backward pass
    private final INDArray k1;     // [R, h] o * (1 - tanh(c)^2)
    private final INDArray tmp;    // [R, h]
    private final INDArray dx;     // [R, emb]
    private final INDArray inputIds;   // INT32 [R]
    private final INDArray targetIdx;  // INT64 [headRows]
    private final INDArray picked;     // [headRows]
    private final INDArray ones;       // [headRows]
    private final long[] targetScratch;
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
        this.targetScratch = new long[headRows];
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
            z = Nd4j.create(DataType.FLOAT, r, gates);
            c = Nd4j.create(DataType.FLOAT, r + 1, hidden); // row r stays zero: the state before step 0
            tc = Nd4j.create(DataType.FLOAT, r, hidden);
            hOut = Nd4j.create(DataType.FLOAT, r + 1, hidden); // row r stays zero
            hPrev = Nd4j.create(DataType.FLOAT, r, hidden);
            cPrev = Nd4j.create(DataType.FLOAT, r, hidden);
            h1 = Nd4j.create(DataType.FLOAT, r, hidden + 1);
            h1.get(NDArrayIndex.all(), NDArrayIndex.point(hidden)).assign(1.0);
            logits = Nd4j.create(DataType.FLOAT, headRows, vocab);
            dh = Nd4j.create(DataType.FLOAT, r, hidden);
            dc = Nd4j.create(DataType.FLOAT, r, hidden);
            dz = Nd4j.create(DataType.FLOAT, r, gates);
            k4 = Nd4j.create(DataType.FLOAT, r, gates);
            k1 = Nd4j.create(DataType.FLOAT, r, hidden);
            tmp = Nd4j.create(DataType.FLOAT, r, hidden);
            dx = Nd4j.create(DataType.FLOAT, r, emb);
            inputIds = Nd4j.create(DataType.INT32, r);
            targetIdx = Nd4j.create(DataType.INT64, headRows);
            picked = Nd4j.create(DataType.FLOAT, headRows);
            ones = Nd4j.ones(DataType.FLOAT, headRows);
        }
    }

    private static INDArray view(INDArray flat, long offset, long rows, long cols) {
        return flat.get(NDArrayIndex.interval(offset, offset + rows * cols)).reshape('c', rows, cols);
    }

    private static INDArray rows(INDArray m, long from, long to) {
        return m.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    private static INDArray cols(INDArray m, long from, long to) {
        return m.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
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
        lstmForward(plan);
        clock.lap(PH_LSTM_FWD);
        cols(rows(h1, 0, plan.positions), 0, hidden).assign(rows(hOut, 0, plan.positions));
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
        lstmBackward(plan);
        clock.lap(PH_LSTM_BWD);
        embeddingBackward(plan);
        clock.lap(PH_EMB_BWD);
        return score;
    }

    /** X = E[inputs]: one row gather. */
    private void embeddingForward(BatchPlan plan) {
        Nd4j.pullRows(pE, rows(x, 0, plan.positions), 1, plan.inputs);
    }

    /**
     * Input projection of every position in one GEMM, then the recurrence over the packed steps:
     * step {@code t} reads the previous step's states as the first rows of that step's block.
     * Afterwards the previous output and cell state of every row are gathered once into
     * {@link #hPrev} and {@link #cPrev} for the backward pass.
     */
    private void lstmForward(BatchPlan plan) {
        final int p = plan.positions;
        final long h = hidden;
        final long g = gates;
        INDArray zP = block(z, 0, p, 0, g);
        Nd4j.gemm(block(x, 0, p, 0, emb), pW, zP, false, false, 1.0, 0.0);
        zP.addiRowVector(pB);
        for (int t = 0; t < plan.steps; t++) {
            final long o = plan.offset[t];
            final long e = o + plan.running[t];
            final long po = t == 0 ? 0 : plan.offset[t - 1];
            final long pe = po + plan.running[t];
            if (t > 0) {
                Nd4j.gemm(block(hOut, po, pe, 0, h), pRW, block(z, o, e, 0, g), false, false, 1.0, 1.0);
            }
            INDArray a = block(z, o, e, 0, h);
            INDArray sig = block(z, o, e, h, g);
            Nd4j.exec(new Tanh(a, a));
            Nd4j.exec(new Sigmoid(sig, sig));
            INDArray ig = block(z, o, e, 3 * h, g);
            INDArray ct = block(c, o, e, 0, h);
            if (t == 0) {
                Nd4j.exec(new MulOp(ig, a, ct));
            } else {
                INDArray tt = block(tmp, o, e, 0, h);
                Nd4j.exec(new MulOp(block(z, o, e, h, 2 * h), block(c, po, pe, 0, h), ct));
                Nd4j.exec(new MulOp(ig, a, tt));
                Nd4j.exec(new AddOp(ct, tt, ct));
            }
            INDArray tct = block(tc, o, e, 0, h);
            Nd4j.exec(new Tanh(ct, tct));
            Nd4j.exec(new MulOp(block(z, o, e, 2 * h, 3 * h), tct, block(hOut, o, e, 0, h)));
        }
        int[] prev = new int[p];
        for (int r = 0; r < p; r++) {
            prev[r] = plan.previous[r] < 0 ? maxRows : plan.previous[r];
        }
        Nd4j.pullRows(hOut, block(hPrev, 0, p, 0, h), 1, prev);
        Nd4j.pullRows(c, block(cPrev, 0, p, 0, h), 1, prev);
    }

    /** Rows {@code [r0, r1)}, columns {@code [c0, c1)} of a row-major base matrix, as a view. */
    private static INDArray block(INDArray base, long r0, long r1, long c0, long c1) {
        long cols = base.size(1);
        return Nd4j.create(base.data(), new long[] {r1 - r0, c1 - c0}, new long[] {cols, 1}, r0 * cols + c0, 'c');
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
        final int n = r1 - r0;
        INDArray lP = rows(logits, 0, n);
        Nd4j.exec(new SoftMax(lP, lP, 1));
        for (int k = 0; k < n; k++) {
            targetScratch[k] = (long) k * vocab + plan.targets[r0 + k];
        }
        targetIdx.data().setData(targetScratch);
        INDArray idx = targetIdx.get(NDArrayIndex.interval(0, n));
        INDArray flat = lP.reshape(lP.length());
        INDArray pk = picked.get(NDArrayIndex.interval(0, n));
        Nd4j.exec(DynamicCustomOp.builder("gather").addInputs(flat, idx).addOutputs(pk)
                .addIntegerArguments(0).build());
        Nd4j.exec(DynamicCustomOp.builder("scatter_sub")
                .addInputs(flat, idx, ones.get(NDArrayIndex.interval(0, n))).addOutputs(flat).build());
        Nd4j.exec(new ScalarMax(pk, null, pk, LOG_CLIP));
        Nd4j.exec(new Log(pk, pk));
        return -pk.sumNumber().doubleValue();
    }

    /**
     * d[Wo; bo] (+)= [H, 1]^T dL (the first chunk overwrites, the next ones accumulate) and
     * dH = dL Wo^T for the chunk's rows, the score's 1/mb folded into alpha.
     */
    private void headBackward(BatchPlan plan, int r0, int r1) {
        double scale = 1.0 / plan.batch;
        INDArray lP = rows(logits, 0, r1 - r0);
        Nd4j.gemm(rows(h1, r0, r1), lP, gHead, true, false, scale, r0 == 0 ? 0.0 : 1.0);
        Nd4j.gemm(lP, pWo, rows(dh, r0, r1), false, true, scale, 0.0);
    }

    /** dX = dZ W^T, summed per item into the dense embedding gradient (deterministic segment sum). */
    private void embeddingBackward(BatchPlan plan) {
        final int p = plan.positions;
        INDArray dxP = rows(dx, 0, p);
        Nd4j.gemm(rows(dz, 0, p), pW, dxP, false, true, 1.0, 0.0);
        inputIds.data().setData(plan.inputs);
        Nd4j.exec(DynamicCustomOp.builder("unsorted_segment_sum")
                .addInputs(dxP, inputIds.get(NDArrayIndex.interval(0, p))).addOutputs(gE)
                .addIntegerArguments(vocab).build());
    }

    private void lstmBackward(BatchPlan plan) {
        final int p = plan.positions;
        final long h = hidden;
        INDArray zP = rows(z, 0, p);
        INDArray kP = rows(k4, 0, p);
        INDArray a = cols(zP, 0, h);
        INDArray f = cols(zP, h, 2 * h);
        INDArray og = cols(zP, 2 * h, 3 * h);
        INDArray ig = cols(zP, 3 * h, 4 * h);
        INDArray ka = cols(kP, 0, h);
        INDArray kf = cols(kP, h, 2 * h);
        INDArray ko = cols(kP, 2 * h, 3 * h);
        INDArray ki = cols(kP, 3 * h, 4 * h);
        INDArray sig = cols(zP, h, 4 * h);
        INDArray ksig = cols(kP, h, 4 * h);
        INDArray tcP = rows(tc, 0, p);
        INDArray tP = rows(tmp, 0, p);
        // sigmoid derivatives s(1-s) of f, o, i
        Nd4j.exec(new ScalarReverseSubtraction(sig, null, ksig, 1.0));
        Nd4j.exec(new MulOp(ksig, sig, ksig));
        // ka = i (1 - a^2); kf = c' f (1-f); ko = tanh(c) o (1-o); ki = a i (1-i)
        Nd4j.exec(new MulOp(a, a, tP));
        Nd4j.exec(new ScalarReverseSubtraction(tP, null, tP, 1.0));
        Nd4j.exec(new MulOp(tP, ig, ka));
        Nd4j.exec(new MulOp(kf, rows(cPrev, 0, p), kf));
        Nd4j.exec(new MulOp(ko, tcP, ko));
        Nd4j.exec(new MulOp(ki, a, ki));
        // k1 = o (1 - tanh(c)^2): dh -> dc
        INDArray k1P = rows(k1, 0, p);
        Nd4j.exec(new MulOp(tcP, tcP, tP));
        Nd4j.exec(new ScalarReverseSubtraction(tP, null, tP, 1.0));
        Nd4j.exec(new MulOp(tP, og, k1P));

        block(dc, 0, p, 0, h).assign(0.0);
        final long g = gates;
        for (int t = plan.steps - 1; t >= 0; t--) {
            final long o = plan.offset[t];
            final int n = plan.running[t];
            final long e = o + n;
            INDArray dht = block(dh, o, e, 0, h);
            INDArray dct = block(dc, o, e, 0, h);
            INDArray tt = block(tmp, o, e, 0, h);
            // dc += dh * o * (1 - tanh(c)^2)
            Nd4j.exec(new MulOp(dht, block(k1, o, e, 0, h), tt));
            Nd4j.exec(new AddOp(dct, tt, dct));
            // dz[a, f, i] = dc * k[a, f, i] (broadcast over the gate axis), dz[o] = dh * k[o]
            INDArray dzt = block(dz, o, e, 0, g);
            Nd4j.exec(new MulOp(block(k4, o, e, 0, g).reshape('c', n, 4, h), dct.reshape('c', n, 1, h),
                    dzt.reshape('c', n, 4, h)));
            Nd4j.exec(new MulOp(dht, block(k4, o, e, 2 * h, 3 * h), block(dz, o, e, 2 * h, 3 * h)));
            if (t > 0) {
                final long po = plan.offset[t - 1];
                final long pe = po + n;
                // dc' = dc * f; dh' += dz RW^T
                Nd4j.exec(new MulOp(dct, block(z, o, e, h, 2 * h), block(dc, po, pe, 0, h)));
                Nd4j.gemm(dzt, pRW, block(dh, po, pe, 0, h), false, true, 1.0, 1.0);
            }
        }
        INDArray dzP = rows(dz, 0, p);
        Nd4j.gemm(rows(hPrev, 0, p), dzP, gRW, true, false, 1.0, 0.0);
        Nd4j.gemm(rows(x, 0, p), dzP, gW, true, false, 1.0, 0.0);
        Nd4j.exec(new Sum(dzP, gBFlat, 0));
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
        for (INDArray a : new INDArray[] {params, grads, adamM, adamV, x, z, c, tc, hOut, hPrev, cPrev, h1, logits, dh,
                dc, dz, k4, k1, tmp, dx, inputIds, targetIdx, picked, ones}) {
            if (a.closeable()) {
                a.close();
            }
        }
    }
}
