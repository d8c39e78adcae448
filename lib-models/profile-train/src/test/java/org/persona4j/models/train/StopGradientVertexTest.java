package org.persona4j.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class StopGradientVertexTest {
    private static ComputationGraph net(boolean stop) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE)
                .graphBuilder().addInputs("in")
                .addLayer("encoder", new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.TANH).build(), "in");
        String headIn = "encoder";
        if (stop) {
            g.addVertex("stop", new StopGradientVertex(), "encoder");
            headIn = "stop";
        }
        g.addLayer("head", new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(3).nOut(1).activation(Activation.SIGMOID)
                .build(), headIn).setOutputs("head");
        ComputationGraph n = new ComputationGraph(g.build());
        n.init();
        return n;
    }

    private static double encoderGradientNorm(ComputationGraph n) {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 4);
        INDArray y = Nd4j.create(new double[][] {{1}, {0}, {1}, {1}, {0}});
        n.setInputs(x);
        n.setLabels(y);
        n.computeGradientAndScore();
        INDArray head = n.gradient().getGradientFor("head_W");
        assertTrue(head.norm2Number().doubleValue() > 0, "the head still learns");
        return n.gradient().getGradientFor("encoder_W").norm2Number().doubleValue();
    }

    @Test
    void forwardIsTheIdentityAndNoGradientReachesTheEncoder() {
        Nd4j.getRandom().setSeed(7);
        ComputationGraph with = net(true);
        ComputationGraph without = net(false);
        without.setParams(with.params().dup()); // same parameters: the vertex has none
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 4);
        assertEquals(without.outputSingle(x), with.outputSingle(x));
        assertEquals(0.0, encoderGradientNorm(with), 0.0);
        assertTrue(encoderGradientNorm(without) > 0, "without the vertex the encoder gets a gradient");
    }

    @Test
    void survivesTheConfigurationJson() {
        ComputationGraphConfiguration c = net(true).getConfiguration();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(c.toJson());
        assertTrue(back.getVertices().get("stop") instanceof StopGradientVertex);
    }
}
