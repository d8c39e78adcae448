package org.persona4j.models.train.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/**
 * The fused path computes the bench model of {@code SequenceBench}: same score, same gradient of
 * every parameter, same Adam step as DL4J's {@code MultiLayerNetwork} on a padded, masked batch.
 */
class FusedLstmGradientTest {
    static final int VOCAB = 23; // ids 1..22, 0 = padding
    static final int EMB = 5;
    static final int HIDDEN = 7; // not a multiple of 4: a wrong gate layout cannot line up by chance
    static final double LR = 1e-3;
    static final double REL = 1e-3;
    static final double ABS = 1e-5;

    /** Lengths 6, 3, 6, 2, 4 (ties, a one-step sequence); items repeat within and across sequences. */
    static final List<int[]> BATCH = List.of(
            new int[] {3, 7, 7, 12, 3, 22},
            new int[] {5, 3, 9},
            new int[] {1, 12, 3, 4, 7, 5},
            new int[] {9, 9},
            new int[] {22, 1, 3, 8});

    MultiLayerNetwork net;
    FusedLstmNet fused;

    /** The network of {@code SequenceBench.networkConfig}, smaller. */
    static MultiLayerConfiguration benchConfig(long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .updater(new Adam(LR))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(VOCAB).nOut(EMB).hasBias(false)
                        .inferInputLength(true).outputDataFormat(RNNFormat.NCW).build())
                .layer(new LSTM.Builder().nIn(EMB).nOut(HIDDEN)
                        .activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID).build())
                .layer(new RnnOutputLayer.Builder(new LossSparseMCXENT()).nIn(HIDDEN).nOut(VOCAB)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build())
                .build();
    }

    @BeforeEach
    void setUp() {
        net = new MultiLayerNetwork(benchConfig(12345));
        net.init();
        fused = new FusedLstmNet(VOCAB, EMB, HIDDEN, 8, 6);
        fused.setParameters(p(0, "W").toFloatMatrix(), p(1, "W").toFloatMatrix(), p(1, "RW").toFloatMatrix(),
                p(1, "b").toFloatVector(), p(2, "W").toFloatMatrix(), p(2, "b").toFloatVector());
    }

    @AfterEach
    void tearDown() {
        fused.close();
        net.close();
    }

    INDArray p(int layer, String name) {
        return net.getLayer(layer).getParam(name);
    }

    /** DL4J's inputs: features [mb, T], sparse labels [mb, 1, T], mask [mb, T], padded with 0. */
    static INDArray[] padded(List<int[]> batch) {
        int mb = batch.size();
        int t = batch.stream().mapToInt(s -> s.length - 1).max().orElseThrow();
        float[][] x = new float[mb][t];
        float[][] m = new float[mb][t];
        float[][][] y = new float[mb][1][t];
        for (int i = 0; i < mb; i++) {
            int[] s = batch.get(i);
            for (int k = 0; k < s.length - 1; k++) {
                x[i][k] = s[k];
                y[i][0][k] = s[k + 1];
                m[i][k] = 1f;
            }
        }
        return new INDArray[] {Nd4j.createFromArray(x), Nd4j.createFromArray(y), Nd4j.createFromArray(m)};
    }

    static void assertClose(String what, INDArray expected, INDArray actual) {
        float[] e = expected.dup('c').reshape(expected.length()).toFloatVector();
        float[] a = actual.dup('c').reshape(actual.length()).toFloatVector();
        assertEquals(e.length, a.length, what + " length");
        assertTrue(expected.amaxNumber().doubleValue() > 0, what + ": DL4J's values are all zero, nothing compared");
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            double diff = Math.abs(e[i] - a[i]);
            assertTrue(diff <= ABS + REL * Math.abs(e[i]),
                    what + "[" + i + "]: DL4J " + e[i] + ", fused " + a[i] + " (diff " + diff + ")");
            worst = Math.max(worst, diff);
        }
        System.out.printf("%-22s %6d values, max |diff| %.3g%n", what, e.length, worst);
    }

    @Test
    void scoreAndEveryGradientMatchDl4j() {
        INDArray[] d = padded(BATCH);
        net.setInput(d[0]);
        net.setLabels(d[1]);
        net.setLayerMaskArrays(d[2], d[2]);
        net.computeGradientAndScore();
        Gradient g = net.gradient();
        double dl4jScore = net.score();
        int mb = BATCH.size();

        double score = fused.forwardBackward(BatchPlan.of(BATCH, VOCAB), phase -> { });
        assertEquals(dl4jScore, score, ABS + REL * Math.abs(dl4jScore), "score");
        // DL4J's raw gradients are of the summed loss; its updater divides them by the minibatch size
        Map<String, INDArray> gv = g.gradientForVariable();
        assertClose("embedding W", gv.get("0_W").div(mb), fused.gE);
        assertClose("LSTM W", gv.get("1_W").div(mb), fused.gW);
        assertClose("LSTM RW", gv.get("1_RW").div(mb), fused.gRW);
        assertClose("LSTM b", gv.get("1_b").div(mb), fused.gB);
        assertClose("output W", gv.get("2_W").div(mb), fused.gWo);
        assertClose("output b", gv.get("2_b").div(mb), fused.gBo);
        // the padding id never occurs as a real input: its embedding row has no gradient
        assertEquals(0.0, fused.gE.getRow(0).amaxNumber().doubleValue());
    }

    @Test
    void headInRowChunksGivesTheSameScoreAndGradients() {
        double whole = fused.forwardBackward(BatchPlan.of(BATCH, VOCAB), phase -> { });
        INDArray expected = fused.grads.dup();
        try (FusedLstmNet chunked = new FusedLstmNet(VOCAB, EMB, HIDDEN, 8, 6, 4)) {
            chunked.params.assign(fused.params);
            double score = chunked.forwardBackward(BatchPlan.of(BATCH, VOCAB), phase -> { });
            assertEquals(whole, score, 1e-5 * Math.abs(whole), "score");
            assertClose("chunked gradients", expected, chunked.grads);
        }
    }

    @Test
    void oneAdamStepMatchesDl4j() {
        INDArray[] d = padded(BATCH);
        fused.forwardBackward(BatchPlan.of(BATCH, VOCAB), phase -> { });
        fused.adamStep(LR, 0.9, 0.999, 1e-8);
        net.fit(d[0], d[1], d[2], d[2]);
        assertClose("step embedding W", p(0, "W"), fused.pE);
        assertClose("step LSTM W", p(1, "W"), fused.pW);
        assertClose("step LSTM RW", p(1, "RW"), fused.pRW);
        assertClose("step LSTM b", p(1, "b"), fused.pB);
        assertClose("step output W", p(2, "W"), fused.pWo);
        assertClose("step output b", p(2, "b"), fused.pBo);
        // and a second step, which exercises the bias correction of iteration 1 and the moments
        fused.forwardBackward(BatchPlan.of(BATCH.subList(0, 3), VOCAB), phase -> { });
        fused.adamStep(LR, 0.9, 0.999, 1e-8);
        INDArray[] d2 = padded(BATCH.subList(0, 3));
        net.fit(d2[0], d2[1], d2[2], d2[2]);
        assertClose("2 steps LSTM RW", p(1, "RW"), fused.pRW);
        assertClose("2 steps output W", p(2, "W"), fused.pWo);
        assertClose("2 steps embedding W", p(0, "W"), fused.pE);
    }
}
