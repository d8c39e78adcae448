package org.persona4j.models.train.fused;

import static org.persona4j.models.train.fused.Views.block;
import static org.persona4j.models.train.fused.Views.cols;
import static org.persona4j.models.train.fused.Views.rows;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The packed LSTM layer computed by libnd4j's {@code lstmLayer} and {@code lstmLayer_bp} operations:
 * one native call runs the whole recurrence of a batch (forward), one its backpropagation through
 * time, instead of a handful of ND4J calls per time step. The packed rows are gathered into the
 * operations' time-major padded layout {@code [steps, batch, width]} with each sequence's length
 * ({@code seqLen}: steps past it are neither computed nor given a gradient), and gathered back.
 * DL4J's gate blocks {@code a, f, o, i} are reordered to libnd4j's {@code i, f, c, o} for the
 * calls and the gradients reordered back, so parameters and results are those of {@link PackedLstm}.
 */
final class LstmLayerOp implements AutoCloseable {
    final int in;
    final int hidden;
    final int maxRows;
    private final int maxBatch;
    private final int maxSteps;
    private final INDArray pW;
    private final INDArray pRW;
    private final INDArray pB;
    private final INDArray gW;
    private final INDArray gRW;
    private final INDArray gBFlat;

    /** [R+1, h] outputs in packed order, the last row zero. */
    final INDArray hOut;
    /** [R+1, h] the loss's gradient with respect to the outputs, packed; the last row stays zero. */
    final INDArray dh;
    private final INDArray xPad;   // [S*B, in]
    private final INDArray dhPad;  // [S*B, h]
    private final INDArray dxPacked; // [R, in] input gradient, packed
    private final INDArray wx;     // [in, 4h] in libnd4j's gate order
    private final INDArray wr;     // [h, 4h]
    private final INDArray b;      // [4h]
    private final INDArray seqLen; // FLOAT [B] (lstmLayer_bp returns a "gradient" of it, which must be floating point)
    private final INDArray zeroIn; // [1, in]

    /** Column blocks: libnd4j block k takes DL4J block PERM[k] (i <- i, f <- f, c <- a, o <- o). */
    private static final int[] PERM = {3, 1, 0, 2};

    LstmLayerOp(int in, int hidden, int maxBatch, int maxSteps, INDArray pW, INDArray pRW, INDArray pB, INDArray gW,
                INDArray gRW, INDArray gBFlat) {
        this.in = in;
        this.hidden = hidden;
        this.maxBatch = maxBatch;
        this.maxSteps = maxSteps;
        this.maxRows = maxBatch * maxSteps;
        this.pW = pW;
        this.pRW = pRW;
        this.pB = pB;
        this.gW = gW;
        this.gRW = gRW;
        this.gBFlat = gBFlat;
        int r = maxRows;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            hOut = Nd4j.create(DataType.FLOAT, r + 1, hidden);
            dh = Nd4j.create(DataType.FLOAT, r + 1, hidden);
            xPad = Nd4j.create(DataType.FLOAT, r, in);
            dhPad = Nd4j.create(DataType.FLOAT, r, hidden);
            dxPacked = Nd4j.create(DataType.FLOAT, r, in);
            wx = Nd4j.create(DataType.FLOAT, in, 4 * hidden);
            wr = Nd4j.create(DataType.FLOAT, hidden, 4 * hidden);
            b = Nd4j.create(DataType.FLOAT, 4 * hidden);
            seqLen = Nd4j.create(DataType.FLOAT, maxBatch);
            zeroIn = Nd4j.create(DataType.FLOAT, 1, in);
        }
    }

    /** The padded index of each (step, sequence), pointing at a packed row or at {@code zeroRow} past a sequence's end. */
    private static int[] padIndex(BatchPlan plan, int zeroRow) {
        int[] idx = new int[plan.steps * plan.batch];
        for (int t = 0; t < plan.steps; t++) {
            for (int r = 0; r < plan.batch; r++) {
                idx[t * plan.batch + r] = r < plan.running[t] ? plan.offset[t] + r : zeroRow;
            }
        }
        return idx;
    }

    /** The packed row's padded index {@code t * batch + r}. */
    private static int[] packIndex(BatchPlan plan) {
        int[] idx = new int[plan.positions];
        for (int t = 0; t < plan.steps; t++) {
            for (int r = 0; r < plan.running[t]; r++) {
                idx[plan.offset[t] + r] = t * plan.batch + r;
            }
        }
        return idx;
    }

    private void permuteWeights() {
        long h = hidden;
        INDArray bRow = b.reshape(1, 4 * h);
        for (int k = 0; k < 4; k++) {
            long s = PERM[k] * h;
            cols(wx, k * h, (k + 1) * h).assign(cols(pW, s, s + h));
            cols(wr, k * h, (k + 1) * h).assign(cols(pRW, s, s + h));
            cols(bRow, k * h, (k + 1) * h).assign(cols(pB, s, s + h));
        }
    }

    private INDArray[] args(BatchPlan plan, INDArray x3) {
        float[] lens = new float[maxBatch];
        for (int t = 0; t < plan.steps; t++) {
            for (int r = 0; r < plan.running[t]; r++) {
                lens[r] = t + 1;
            }
        }
        seqLen.data().setData(lens);
        return new INDArray[] {x3, wx, wr, b, seqLen.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, plan.batch))};
    }

    private static DynamicCustomOp.DynamicCustomOpsBuilder configure(DynamicCustomOp.DynamicCustomOpsBuilder op) {
        // time-major, forward only; sigmoid gates, tanh cell and output; no cell clip; biases and lengths given,
        // no initial states, no peepholes; the full output sequence
        return op.addIntegerArguments(0, 0, 2, 0, 0).addFloatingPointArguments(0.0)
                .addBooleanArguments(true, true, false, false, false, true, false, false);
    }

    /**
     * The recurrence over the packed rows of {@code x}; fills {@link #hOut}.
     *
     * @param x {@code [>= positions, in]}; with {@code maxRows + 1} rows its last row must be zero (saves a copy)
     */
    void forward(BatchPlan plan, INDArray x) {
        int s = plan.steps;
        int bs = plan.batch;
        // gather into the padded layout; rows past a sequence's end read a zero row: x's row maxRows when the
        // caller keeps one there, else one appended to a copy
        INDArray xp = rows(xPad, 0, (long) s * bs);
        if (x.rows() > maxRows) {
            Nd4j.pullRows(x, xp, 1, padIndex(plan, maxRows));
        } else {
            INDArray src = Nd4j.vstack(rows(x, 0, plan.positions), zeroIn);
            Nd4j.pullRows(src, xp, 1, padIndex(plan, plan.positions));
            src.close();
        }
        permuteWeights();
        INDArray x3 = xp.reshape('c', s, bs, in);
        INDArray[] out = Nd4j.exec(configure(DynamicCustomOp.builder("lstmLayer").addInputs(args(plan, x3))).build());
        INDArray h3 = out[0].reshape('c', (long) s * bs, hidden);
        Nd4j.pullRows(h3, rows(hOut, 0, plan.positions), 1, packIndex(plan));
        for (INDArray o : out) {
            o.close();
        }
    }

    /** Backpropagation through time from {@link #dh}: fills {@code dW}, {@code dRW}, {@code db} and the input gradient. */
    void backward(BatchPlan plan, INDArray x) {
        int s = plan.steps;
        int bs = plan.batch;
        INDArray xp = rows(xPad, 0, (long) s * bs);
        INDArray dhp = rows(dhPad, 0, (long) s * bs);
        Nd4j.pullRows(dh, dhp, 1, padIndex(plan, maxRows));
        INDArray x3 = xp.reshape('c', s, bs, in);
        INDArray[] a = args(plan, x3);
        INDArray[] inputs = java.util.Arrays.copyOf(a, a.length + 1);
        inputs[a.length] = dhp.reshape('c', s, bs, hidden);
        INDArray[] out = Nd4j.exec(configure(DynamicCustomOp.builder("lstmLayer_bp").addInputs(inputs)).build());
        // outputs: dL/dx [S, B, in], dL/dWx, dL/dWr, dL/db (libnd4j gate order)
        Nd4j.pullRows(out[0].reshape('c', (long) s * bs, in), rows(dxPacked, 0, plan.positions), 1, packIndex(plan));
        long h = hidden;
        INDArray dbRow = out[3].reshape(1, 4 * h);
        INDArray gbRow = gBFlat.reshape(1, 4 * h);
        for (int k = 0; k < 4; k++) {
            long t0 = PERM[k] * h;
            cols(gW, t0, t0 + h).assign(cols(out[1], k * h, (k + 1) * h));
            cols(gRW, t0, t0 + h).assign(cols(out[2], k * h, (k + 1) * h));
            cols(gbRow, t0, t0 + h).assign(cols(dbRow, k * h, (k + 1) * h));
        }
        for (INDArray o : out) {
            o.close();
        }
    }

    /** The input gradient of the last {@link #backward} into the first {@code positions} rows of {@code dx}. */
    void inputGradient(BatchPlan plan, INDArray dx) {
        block(dx, 0, plan.positions, 0, in).assign(rows(dxPacked, 0, plan.positions));
    }

    @Override
    public void close() {
        for (INDArray a : new INDArray[] {hOut, dh, xPad, dhPad, dxPacked, wx, wr, b, seqLen, zeroIn}) {
            if (a.closeable()) {
                a.close();
            }
        }
    }
}
