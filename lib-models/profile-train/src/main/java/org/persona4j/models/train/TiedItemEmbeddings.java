package org.persona4j.models.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Ties the input item embedding ({@code [items, d]}) to the full-softmax next-item weights
 * ({@code [d, items]}). DL4J layers cannot share a parameter, so the output weights are the one
 * trained table: after the gradients are computed, the embedding's gradient is added to the output
 * weights' gradient (the gradient of the shared table), and after each update the embedding is
 * overwritten with the output weights' transpose. The embedding's own update is thus discarded.
 */
final class TiedItemEmbeddings extends BaseTrainingListener {
    static final String EMBEDDING = "emb_" + ProfileNetworks.INPUTS[0];

    /** Copies the output weights into the embedding: the start of tied training, and after each update. */
    static void sync(ComputationGraph net) {
        INDArray out = net.getLayer(ProfileNetworks.NEXT).getParam("W");
        net.getLayer(EMBEDDING).getParam("W").assign(out.transpose());
    }

    @Override
    public void onGradientCalculation(Model model) {
        Gradient g = model.gradient();
        INDArray gEmb = g.getGradientFor(EMBEDDING + "_W");
        INDArray gOut = g.getGradientFor(ProfileNetworks.NEXT + "_W");
        if (gEmb == null || gOut == null) {
            throw new IllegalStateException("tied item embeddings: gradients of " + EMBEDDING + "_W and "
                    + ProfileNetworks.NEXT + "_W expected, found " + g.gradientForVariable().keySet());
        }
        gOut.addi(gEmb.transpose());
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        sync((ComputationGraph) model);
    }
}
