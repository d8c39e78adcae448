package org.persona4j.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.persona4j.core.UserState;
import org.persona4j.models.profile.DeepProfileModel;

/**
 * The sampled-softmax next-item head: its loss and gradients equal a hand computation (accidental
 * hits and repeated negatives included), and a profile model trained with it is deterministic,
 * serves through the lean path and round-trips through its artifact.
 */
class SampledSoftmaxTest {
    private static final long SEED = 97L;

    @Test
    void lossAndGradientsEqualAHandComputation() {
        System.out.println("SampledSoftmaxTest seed " + SEED);
        int nIn = 4;
        int nOut = 10;
        int s = 5;
        int rows = 6;
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.FLOAT)
                .updater(new Sgd(0.1)).graphBuilder().addInputs("x").setInputTypes(InputType.feedForward(nIn))
                .addLayer("next", new SampledSoftmaxOutputLayer.Builder().nIn(nIn).nOut(nOut).negatives(s).build(), "x")
                .setOutputs("next").build());
        net.init();
        Random r = new Random(SEED);
        float[][] x = new float[rows][nIn];
        for (float[] row : x) {
            for (int j = 0; j < nIn; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        int[] target = {2, 3, 4, 7, 0, 9};
        float[] weight = {1f, 0.5f, 1f, 2f, 0f, 1f};
        int[] neg = {3, 5, 5, 8, 9}; // 3 and 9 are accidental hits of rows 1 and 5; 5 is drawn twice
        float[][] lab = new float[rows][2 + s];
        for (int i = 0; i < rows; i++) {
            lab[i][0] = target[i];
            lab[i][1] = weight[i];
        }
        for (int k = 0; k < s; k++) {
            lab[0][2 + k] = neg[k];
        }
        INDArray w = net.getLayer("next").getParam("W");
        INDArray b = net.getLayer("next").getParam("b");
        b.assign(Nd4j.linspace(DataType.FLOAT, -0.2, 0.05, nOut).reshape(1, nOut));
        float[][] wm = w.toFloatMatrix();
        float[] bv = b.toFloatVector();

        double loss = 0;
        double[][] gW = new double[nIn][nOut];
        double[] gB = new double[nOut];
        for (int i = 0; i < rows; i++) {
            double[] z = new double[1 + s];
            boolean[] in = new boolean[1 + s];
            int[] col = new int[1 + s];
            col[0] = target[i];
            for (int k = 0; k < s; k++) {
                col[1 + k] = neg[k];
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k <= s; k++) {
                in[k] = k == 0 || neg[k - 1] != target[i];
                double v = bv[col[k]];
                for (int j = 0; j < nIn; j++) {
                    v += x[i][j] * wm[j][col[k]];
                }
                z[k] = v;
                if (in[k]) {
                    max = Math.max(max, v);
                }
            }
            double sum = 0;
            for (int k = 0; k <= s; k++) {
                sum += in[k] ? Math.exp(z[k] - max) : 0;
            }
            loss += weight[i] * (Math.log(sum) + max - z[0]);
            for (int k = 0; k <= s; k++) {
                double p = in[k] ? Math.exp(z[k] - max) / sum : 0;
                double g = weight[i] * (p - (k == 0 ? 1 : 0));
                gB[col[k]] += g;
                for (int j = 0; j < nIn; j++) {
                    gW[j][col[k]] += g * x[i][j];
                }
            }
        }
        net.setInputs(Nd4j.create(x));
        net.setLabels(Nd4j.create(lab));
        net.computeGradientAndScore();
        assertEquals(loss / rows, net.score(), 1e-4, "score = weighted loss / mini-batch size");
        float[][] gotW = net.gradient().getGradientFor("next_W").toFloatMatrix();
        float[] gotB = net.gradient().getGradientFor("next_b").toFloatVector();
        for (int j = 0; j < nIn; j++) {
            for (int c = 0; c < nOut; c++) {
                assertEquals(gW[j][c], gotW[j][c], 1e-4, "dW[" + j + "][" + c + "]");
            }
        }
        for (int c = 0; c < nOut; c++) {
            assertEquals(gB[c], gotB[c], 1e-4, "db[" + c + "]");
        }
        assertEquals(0.0, gotB[1], 0.0, "an item that is neither a target nor a negative gets no gradient");
        INDArray out = net.outputSingle(Nd4j.create(x));
        assertArrayEquals(new long[] {rows, nOut}, out.shape(), "output() gives the full scores");
        net.close();
    }

    @Test
    void trainsDeterministicallyServesAndRoundTrips(@TempDir Path dir) throws Exception {
        TinyData d = new TinyData(SEED, 24, 12);
        ProfileModelConfig c = TinyData.smallConfig().epochs(2).sampledNegatives(6).build();
        try (DeepProfileModel a = new ProfileTrainer(c).fit(d.events, d.catalog);
             DeepProfileModel b = new ProfileTrainer(c).fit(d.events, d.catalog)) {
            assertArrayEquals(TinyData.servingWeights(a), TinyData.servingWeights(b));
            String user = d.events.get(0).userId();
            UserState st = a.encode(user, d.events.stream().filter(e -> e.userId().equals(user)).toList());
            float[] scores = a.itemScores(st);
            float[] u = a.profile(st).embedding();
            String item = a.itemIds().get(3);
            float[] v = a.itemEmbedding(item).orElseThrow();
            double dot = 0;
            for (int k = 0; k < u.length; k++) {
                dot += u[k] * v[k];
            }
            assertEquals(scores[3], dot, 1e-4, "user · item embedding = the item's score");
            Path p = dir.resolve("sampled.zip");
            a.save(p);
            try (DeepProfileModel back = DeepProfileModel.load(p)) {
                assertArrayEquals(scores, back.itemScores(back.encode(user,
                        d.events.stream().filter(e -> e.userId().equals(user)).toList())), 1e-6f);
                assertTrue(back.manifestJson().matches("(?s).*\"sampledNegatives\"\\s*:\\s*6.*"), back.manifestJson());
            }
        }
    }

    @Test
    void timeBudgetStopsTrainingEarly() throws Exception {
        TinyData d = new TinyData(SEED, 24, 12);
        ProfileTrainer t = new ProfileTrainer(TinyData.smallConfig().epochs(50).build()).timeBudget(Duration.ofNanos(1));
        try (DeepProfileModel m = t.fit(d.events, d.catalog)) {
            assertEquals(1, t.history().size(), "the budget ends training after the first batch's epoch");
        }
    }
}
