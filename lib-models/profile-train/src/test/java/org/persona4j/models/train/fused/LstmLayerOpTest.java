package org.persona4j.models.train.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** libnd4j's lstmLayer operations compute the packed LSTM layer: same outputs, same gradients. */
class LstmLayerOpTest {
    static final int IN = 6;
    static final int H = 7;
    static final int B = 5;
    static final int S = 6;

    static void assertClose(String what, INDArray e, INDArray a) {
        float[] ev = e.dup('c').data().asFloat();
        float[] av = a.dup('c').data().asFloat();
        assertEquals(ev.length, av.length, what);
        double worst = 0;
        for (int i = 0; i < ev.length; i++) {
            double d = Math.abs(ev[i] - av[i]);
            assertTrue(d <= 1e-5 + 1e-4 * Math.abs(ev[i]), what + "[" + i + "]: " + ev[i] + " vs " + av[i]);
            worst = Math.max(worst, d);
        }
        System.out.printf("%-8s max |diff| %.3g%n", what, worst);
    }

    @Test
    void sameOutputsAndGradientsAsThePackedLayer() {
        Nd4j.getRandom().setSeed(3);
        INDArray w = Nd4j.randn(DataType.FLOAT, IN, 4 * H).muli(0.4);
        INDArray rw = Nd4j.randn(DataType.FLOAT, H, 4 * H).muli(0.4);
        INDArray b = Nd4j.randn(DataType.FLOAT, 1, 4 * H).muli(0.4);
        BatchPlan plan = BatchPlan.ofLengths(new int[] {5, 3, 6, 1, 4});
        int p = plan.positions;
        INDArray x = Nd4j.create(DataType.FLOAT, B * S, IN);
        x.get(NDArrayIndex.interval(0, p), NDArrayIndex.all()).assign(Nd4j.randn(DataType.FLOAT, p, IN));
        INDArray dhRand = Nd4j.randn(DataType.FLOAT, p, H);

        INDArray[] g1 = {Nd4j.create(DataType.FLOAT, IN, 4 * H), Nd4j.create(DataType.FLOAT, H, 4 * H), Nd4j.create(DataType.FLOAT, 4 * H)};
        INDArray[] g2 = {Nd4j.create(DataType.FLOAT, IN, 4 * H), Nd4j.create(DataType.FLOAT, H, 4 * H), Nd4j.create(DataType.FLOAT, 4 * H)};
        INDArray dx1 = Nd4j.create(DataType.FLOAT, B * S, IN);
        INDArray dx2 = Nd4j.create(DataType.FLOAT, B * S, IN);
        try (PackedLstm ref = new PackedLstm(IN, H, B * S, w, rw, b, g1[0], g1[1], g1[2]);
             LstmLayerOp op = new LstmLayerOp(IN, H, B, S, w, rw, b, g2[0], g2[1], g2[2])) {
            ref.forward(plan, x);
            op.forward(plan, x);
            assertClose("h", ref.hOut.get(NDArrayIndex.interval(0, p), NDArrayIndex.all()),
                    op.hOut.get(NDArrayIndex.interval(0, p), NDArrayIndex.all()));
            ref.dh.get(NDArrayIndex.interval(0, p), NDArrayIndex.all()).assign(dhRand);
            op.dh.get(NDArrayIndex.interval(0, p), NDArrayIndex.all()).assign(dhRand);
            ref.backward(plan, x);
            op.backward(plan, x);
            ref.inputGradient(plan, dx1);
            op.inputGradient(plan, dx2);
            assertClose("dW", g1[0], g2[0]);
            assertClose("dRW", g1[1], g2[1]);
            assertClose("db", g1[2], g2[2]);
            assertClose("dx", dx1.get(NDArrayIndex.interval(0, p), NDArrayIndex.all()),
                    dx2.get(NDArrayIndex.interval(0, p), NDArrayIndex.all()));
        }
    }
}
