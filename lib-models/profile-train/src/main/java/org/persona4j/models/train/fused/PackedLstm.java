package org.persona4j.models.train.fused;

import static org.persona4j.models.train.fused.Views.block;
import static org.persona4j.models.train.fused.Views.cols;
import static org.persona4j.models.train.fused.Views.rows;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One LSTM layer (DL4J's {@code LSTM}: gate blocks {@code a, f, o, i}, no peepholes) over a packed,
 * time-major batch ({@link BatchPlan}), forward and backward, with its buffers allocated once for
 * {@code maxRows} positions. Parameters and gradients are views its owner passes in (row-major
 * {@code W [in, 4h]}, {@code RW [h, 4h]}, {@code b [1, 4h]}).
 *
 * <p>The input projection, the weight gradients and the input gradient are one GEMM over every
 * position; only the recurrent GEMM and the cell's element-wise operations run per step. Not
 * thread-safe; {@link #close()} frees the buffers.
 */
final class PackedLstm implements AutoCloseable {
    final int in;
    final int hidden;
    final int maxRows;
    private final int gates;
    private final INDArray pW;
    private final INDArray pRW;
    private final INDArray pB;
    private final INDArray gW;
    private final INDArray gRW;
    private final INDArray gBFlat;

    private final INDArray z;      // [R, 4h] gate pre-activations, then activations
    private final INDArray c;      // [R+1, h] cell states, the last row zero
    private final INDArray tc;     // [R, h] tanh(c)
    /** [R+1, h] outputs, the last row zero (the state before step 0). */
    final INDArray hOut;
    private final INDArray hPrev;  // [R, h] previous output of each row (0 at t=0)
    private final INDArray cPrev;  // [R, h] previous cell state of each row (0 at t=0)
    /** [R, h] the loss's gradient with respect to the outputs, filled by the owner before {@link #backward}. */
    final INDArray dh;
    private final INDArray dc;     // [R, h]
    private final INDArray dz;     // [R, 4h]
    private final INDArray k4;     // [R, 4h] per-gate multipliers of the backward pass
    private final INDArray k1;     // [R, h] o * (1 - tanh(c)^2)
    private final INDArray tmp;    // [R, h]

    PackedLstm(int in, int hidden, int maxRows, INDArray pW, INDArray pRW, INDArray pB, INDArray gW, INDArray gRW,
               INDArray gBFlat) {
        this.in = in;
        this.hidden = hidden;
        this.maxRows = maxRows;
        this.gates = 4 * hidden;
        this.pW = pW;
        this.pRW = pRW;
        this.pB = pB;
        this.gW = gW;
        this.gRW = gRW;
        this.gBFlat = gBFlat;
        int r = maxRows;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            z = Nd4j.create(DataType.FLOAT, r, gates);
            c = Nd4j.create(DataType.FLOAT, r + 1, hidden); // row r stays zero: the state before step 0
            tc = Nd4j.create(DataType.FLOAT, r, hidden);
            hOut = Nd4j.create(DataType.FLOAT, r + 1, hidden); // row r stays zero
            hPrev = Nd4j.create(DataType.FLOAT, r, hidden);
            cPrev = Nd4j.create(DataType.FLOAT, r, hidden);
            dh = Nd4j.create(DataType.FLOAT, r, hidden);
            dc = Nd4j.create(DataType.FLOAT, r, hidden);
            dz = Nd4j.create(DataType.FLOAT, r, gates);
            k4 = Nd4j.create(DataType.FLOAT, r, gates);
            k1 = Nd4j.create(DataType.FLOAT, r, hidden);
            tmp = Nd4j.create(DataType.FLOAT, r, hidden);
        }
    }

    /**
     * Input projection of every position in one GEMM, then the recurrence over the packed steps:
     * step {@code t} reads the previous step's states as the first rows of that step's block.
     * Afterwards the previous output and cell state of every row are gathered once for the
     * backward pass.
     *
     * @param x the inputs, a row-major {@code [>= positions, in]} buffer
     */
    void forward(BatchPlan plan, INDArray x) {
        final int p = plan.positions;
        final long h = hidden;
        final long g = gates;
        INDArray zP = block(z, 0, p, 0, g);
        Nd4j.gemm(block(x, 0, p, 0, in), pW, zP, false, false, 1.0, 0.0);
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

    /**
     * Backpropagation through time from {@link #dh} (which it modifies): fills the weight
     * gradients {@code dW}, {@code dRW}, {@code db}.
     *
     * @param x the inputs {@link #forward} was given
     */
    void backward(BatchPlan plan, INDArray x) {
        final int p = plan.positions;
        final long h = hidden;
        INDArray zP = rows(z, 0, p);
        INDArray kP = rows(k4, 0, p);
        INDArray a = cols(zP, 0, h);
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
        Nd4j.gemm(block(x, 0, p, 0, in), dzP, gW, true, false, 1.0, 0.0);
        Nd4j.exec(new Sum(dzP, gBFlat, 0));
    }

    /** dX = dZ W^T into the first {@code positions} rows of {@code dx} ({@code [>= positions, in]}). */
    void inputGradient(BatchPlan plan, INDArray dx) {
        final int p = plan.positions;
        Nd4j.gemm(rows(dz, 0, p), pW, block(dx, 0, p, 0, in), false, true, 1.0, 0.0);
    }

    @Override
    public void close() {
        for (INDArray a : new INDArray[] {z, c, tc, hOut, hPrev, cPrev, dh, dc, dz, k4, k1, tmp}) {
            if (a.closeable()) {
                a.close();
            }
        }
    }
}
