package org.persona4j.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/** The lean LSTM against DL4J's own forward pass, on random weights and random sequences. */
class LeanLstmModelTest {
    static final long SEED = 20261122L;
    static final int VOCAB = 23;
    static final int EMB = 5;
    static final int HIDDEN = 7;
    static MultiLayerNetwork net;
    static LeanLstmModel lean;

    @BeforeAll
    static void build() {
        System.out.println("LeanLstmModelTest seed " + SEED);
        net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.FLOAT).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(VOCAB).nOut(EMB).hasBias(false).inferInputLength(true)
                        .outputDataFormat(RNNFormat.NCW).build())
                .layer(new LSTM.Builder().nIn(EMB).nOut(HIDDEN).activation(Activation.TANH)
                        .gateActivationFunction(Activation.SIGMOID).build())
                .layer(new RnnOutputLayer.Builder(new LossSparseMCXENT()).nIn(HIDDEN).nOut(VOCAB)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build())
                .build());
        net.init();
        // every parameter random (biases and the forget-gate block included), from our own seeded RNG
        Random rng = new Random(SEED);
        float[] p = new float[(int) net.numParams()];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (rng.nextGaussian() * 0.7);
        }
        net.setParams(Nd4j.create(p, new long[] {1, p.length}, 'c'));
        Layer e = net.getLayer(0);
        Layer l = net.getLayer(1);
        Layer o = net.getLayer(2);
        lean = LeanLstmModel.of(e.getParam("W").toFloatMatrix(), l.getParam("W").toFloatMatrix(),
                l.getParam("RW").toFloatMatrix(), l.getParam("b").toFloatVector(),
                o.getParam("W").toFloatMatrix(), o.getParam("b").toFloatVector());
    }

    @AfterAll
    static void close() {
        net.close();
    }

    static int[] randomSequence(Random rng, int len) {
        int[] s = new int[len];
        for (int i = 0; i < len; i++) {
            s[i] = rng.nextInt(VOCAB);
        }
        return s;
    }

    @Test
    void matchesDl4jOutputAtEveryStep() {
        Random rng = new Random(SEED + 1);
        for (int trial = 0; trial < 10; trial++) {
            int len = 1 + rng.nextInt(12);
            int[] seq = randomSequence(rng, len);
            float[] x = new float[len];
            for (int i = 0; i < len; i++) {
                x[i] = seq[i];
            }
            INDArray out = net.output(Nd4j.create(x, new long[] {1, len}, 'c')); // [1, VOCAB, len]
            LstmState s = lean.initialState();
            for (int t = 0; t < len; t++) {
                s = lean.step(s, seq[t]);
                float[] p = lean.probabilities(s);
                for (int v = 0; v < VOCAB; v++) {
                    assertEquals(out.getFloat(0, v, t), p[v], 1e-4f, "trial " + trial + " step " + t + " item " + v);
                }
            }
        }
    }

    @Test
    void matchesDl4jRnnTimeStep() {
        Random rng = new Random(SEED + 2);
        int[] seq = randomSequence(rng, 15);
        net.rnnClearPreviousState();
        LstmState s = lean.initialState();
        for (int t = 0; t < seq.length; t++) {
            INDArray o = net.rnnTimeStep(Nd4j.create(new float[] {seq[t]}, new long[] {1, 1}, 'c'));
            s = lean.step(s, seq[t]);
            float[] p = lean.probabilities(s);
            INDArray flat = o.reshape(VOCAB);
            for (int v = 0; v < VOCAB; v++) {
                assertEquals(flat.getFloat(v), p[v], 1e-4f, "step " + t + " item " + v);
            }
        }
        net.rnnClearPreviousState();
    }

    @Test
    void steppingOneEventAtATimeEqualsRecomputing() {
        Random rng = new Random(SEED + 3);
        int[] seq = randomSequence(rng, 20);
        LstmState incremental = lean.initialState();
        for (int t = 0; t < seq.length; t++) {
            incremental = lean.step(incremental, seq[t]);
            // recompute the prefix from scratch in DL4J and compare the state's scores
            float[] x = new float[t + 1];
            for (int i = 0; i <= t; i++) {
                x[i] = seq[i];
            }
            INDArray h = net.feedForwardToLayer(1, Nd4j.create(x, new long[] {1, t + 1}, 'c'), false).get(2);
            float[] hi = incremental.h();
            for (int j = 0; j < HIDDEN; j++) {
                assertEquals(h.getFloat(0, j, t), hi[j], 1e-4f, "prefix " + (t + 1) + " unit " + j);
            }
            float[] full = lean.encode(java.util.Arrays.copyOf(seq, t + 1)).h();
            for (int j = 0; j < HIDDEN; j++) {
                assertEquals(full[j], hi[j], 1e-6f);
            }
        }
    }

    @Test
    void rejectsUnknownItemsAndBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> lean.step(lean.initialState(), VOCAB));
        assertThrows(IllegalArgumentException.class, () -> lean.step(lean.initialState(), -1));
        assertThrows(IllegalArgumentException.class, () -> lean.step(LstmState.zero(HIDDEN + 1), 1));
        assertThrows(IllegalArgumentException.class,
                () -> LeanLstmModel.of(new float[3][2], new float[3][8], new float[2][8], new float[8], new float[2][3], new float[3]));
    }

    @Test
    void denseLayerComputesAffineMap() {
        DenseLayer d = new DenseLayer(new float[][] {{1, 2}, {3, 4}, {5, 6}}, new float[] {0.5f, -1}, org.persona4j.models.nn.Activation.RELU);
        float[] y = d.forward(new float[] {1, 0, -1});
        assertEquals(0f, y[0], 0f); // 1 - 5 + 0.5 = -3.5 -> relu 0
        assertEquals(0f, y[1], 0f); // 2 - 6 - 1 = -5 -> 0
        float[] z = d.forward(new float[] {1, 1, 0});
        assertEquals(4.5f, z[0], 1e-6f);
        assertEquals(5f, z[1], 1e-6f);
    }
}
