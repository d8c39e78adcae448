package org.persona4j.models.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
import org.persona4j.features.sequence.SequenceEncoder;
import org.persona4j.models.nn.LeanProfileNetwork;
import org.persona4j.models.nn.LstmLayer;

/** Builds the DL4J graph of the profile model and copies its weights into the lean network. */
final class ProfileNetworks {
    static final String[] INPUTS = {"item", "type", "category", "gap"};
    static final String STATIC = "static";
    static final String NEXT = "next";
    static final String PURCHASE = "purchase";
    static final String CATEGORY = "categoryHead";
    /** The churn head (per step, like the purchase head); absent from graphs of earlier versions. */
    static final String CHURN = "churn";
    /** The stop-gradient vertex in front of the purchase and churn heads. */
    static final String PROPENSITY_INPUT = "propensityIn";
    /** The vertex adding the item embedding to the projection, present when {@link ProfileModelConfig#itemResidual()}. */
    static final String RESIDUAL = "residual";

    private ProfileNetworks() {
    }

    static ComputationGraph build(ProfileModelConfig c, SequenceEncoder enc, int staticSize) {
        int[] vocab = {enc.items().size(), enc.typeCount(), enc.categories().size(), enc.gaps().size()};
        int[] dims = {c.itemEmbedding(), c.typeEmbedding(), c.categoryEmbedding(), c.gapEmbedding()};
        NeuralNetConfiguration.Builder nb = new NeuralNetConfiguration.Builder()
                .seed(c.seed())
                .dataType(DataType.FLOAT)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .updater(new Adam(c.learningRate()))
                .weightInit(WeightInit.XAVIER)
                .gradientNormalization(GradientNormalization.ClipL2PerLayer)
                .gradientNormalizationThreshold(c.gradientClip());
        if (c.weightDecay() > 0) {
            // decoupled from Adam's moments, scaled by the learning rate; weights only, not biases
            nb.weightDecay(c.weightDecay(), true);
        }
        ComputationGraphConfiguration.GraphBuilder g = nb.graphBuilder();
        if (staticSize > 0) {
            g.addInputs(INPUTS[0], INPUTS[1], INPUTS[2], INPUTS[3], STATIC);
        } else {
            g.addInputs(INPUTS);
        }
        String[] embs = new String[4];
        int in = 0;
        for (int k = 0; k < 4; k++) {
            embs[k] = "emb_" + INPUTS[k];
            g.addLayer(embs[k], new EmbeddingSequenceLayer.Builder().nIn(vocab[k]).nOut(dims[k]).hasBias(false)
                    .inferInputLength(true).outputDataFormat(RNNFormat.NCW).build(), INPUTS[k]);
            in += dims[k];
        }
        g.addVertex("concat", new MergeVertex(), embs);
        String prev = "concat";
        for (int l = 0; l < c.layers(); l++) {
            LSTM.Builder lb = new LSTM.Builder().nIn(l == 0 ? in : c.hidden()).nOut(c.hidden())
                    .activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID);
            if (c.dropout() > 0) {
                lb.dropOut(new Dropout(1.0 - c.dropout()));
            }
            g.addLayer("lstm" + l, lb.build(), prev);
            prev = "lstm" + l;
        }
        String last = prev;
        DenseLayer.Builder pb = new DenseLayer.Builder().nIn(c.hidden()).nOut(c.projection()).activation(Activation.IDENTITY);
        if (c.dropout() > 0) {
            pb.dropOut(new Dropout(1.0 - c.dropout()));
        }
        g.addLayer("proj", new TimeDistributed(pb.build(), RNNFormat.NCW), last);
        String user = "proj";
        if (c.itemResidual()) {
            g.addVertex(RESIDUAL, new ElementWiseVertex(ElementWiseVertex.Op.Add), "proj", embs[0]);
            user = RESIDUAL;
        }
        if (c.sampledNegatives() > 0) {
            g.addLayer(NEXT, new SampledSoftmaxOutputLayer.Builder().nIn(c.projection())
                    .nOut(enc.items().size()).negatives(c.sampledNegatives()).build(),
                    new RnnToFeedForwardPreProcessor(RNNFormat.NCW), user);
        } else {
            g.addLayer(NEXT, new RnnOutputLayer.Builder(new LossSparseMCXENT()).nIn(c.projection()).nOut(enc.items().size())
                    .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build(), user);
        }
        g.addVertex("last", new LastTimeStepVertex(INPUTS[0]), last);
        String headIn = "last";
        String stepHeadIn = last;
        if (staticSize > 0) {
            // the static input is the user's vector repeated at every step ([mb, static, T], BatchAssembler), so that the
            // per-step heads see it; the category head takes it at the last step
            g.addVertex("staticLast", new LastTimeStepVertex(INPUTS[0]), STATIC);
            g.addVertex("joined", new MergeVertex(), "last", "staticLast");
            headIn = "joined";
            g.addVertex("joinedSeq", new MergeVertex(), last, STATIC);
            stepHeadIn = "joinedSeq";
        }
        int hin = c.hidden() + staticSize;
        // by default the propensity heads read the encoder through a stop-gradient: their losses train only their own
        // weights, so they cannot pull the LSTM and the embeddings away from next-item prediction (quickstart, seed 42:
        // validation HR@10 0.565 with the gradient, 0.709 without; purchase AUC against the planted personas 0.710 vs 0.674)
        String propensityIn = stepHeadIn;
        if (!c.propensityGradient()) {
            g.addVertex(PROPENSITY_INPUT, new StopGradientVertex(), stepHeadIn);
            propensityIn = PROPENSITY_INPUT;
        }
        // purchase and churn: one sigmoid per step (the label masks choose the trained cut points); the
        // serving network reads them after the last event, where they equal a last-step output layer
        g.addLayer(PURCHASE, new RnnOutputLayer.Builder(new LossBinaryXENT()).nIn(hin).nOut(1).activation(Activation.SIGMOID)
                .dataFormat(RNNFormat.NCW).build(), propensityIn);
        g.addLayer(CATEGORY, new OutputLayer.Builder(new LossBinaryXENT()).nIn(hin).nOut(enc.categories().size())
                .activation(Activation.SIGMOID).build(), headIn);
        g.addLayer(CHURN, new RnnOutputLayer.Builder(new LossBinaryXENT()).nIn(hin).nOut(1).activation(Activation.SIGMOID)
                .dataFormat(RNNFormat.NCW).build(), propensityIn);
        if (c.sampledNegatives() > 0) {
            // DL4J takes the mini-batch size from the first output's labels: keep a per-sequence one first
            g.setOutputs(PURCHASE, NEXT, CATEGORY, CHURN);
        } else {
            g.setOutputs(NEXT, PURCHASE, CATEGORY, CHURN);
        }
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        if (c.tieItemEmbeddings()) {
            TiedItemEmbeddings.sync(net);
        }
        return net;
    }

    /** Number of LSTM layers in a graph built by {@link #build}. */
    static int lstmLayers(ComputationGraph net) {
        int n = 0;
        while (net.getConfiguration().getVertices().containsKey("lstm" + n)) {
            n++;
        }
        return n;
    }

    /**
     * The serving network of a graph.
     *
     * @param net a graph built by {@link #build} (or by an earlier version, without the churn head)
     * @param staticSize the static feature size
     * @param withChurn whether to keep the churn head (when the graph has one); false when it was never trained
     * @return the lean network
     */
    static LeanProfileNetwork extract(ComputationGraph net, int staticSize, boolean withChurn) {
        int[] vocab = new int[4];
        int[] dims = new int[4];
        float[][] tables = new float[4][];
        for (int k = 0; k < 4; k++) {
            org.nd4j.linalg.api.ndarray.INDArray w = net.getLayer("emb_" + INPUTS[k]).getParam("W");
            vocab[k] = (int) w.size(0);
            dims[k] = (int) w.size(1);
            tables[k] = rowMajor(w);
        }
        int n = lstmLayers(net);
        LstmLayer[] lstm = new LstmLayer[n];
        for (int l = 0; l < n; l++) {
            Layer L = net.getLayer("lstm" + l);
            lstm[l] = new LstmLayer(matrix(L.getParam("W")), matrix(L.getParam("RW")), L.getParam("b").toFloatVector());
        }
        org.persona4j.models.nn.DenseLayer proj = dense(net.getLayer("proj"), org.persona4j.models.nn.Activation.IDENTITY);
        Layer out = net.getLayer(NEXT);
        org.persona4j.models.nn.DenseLayer churn = withChurn && net.getConfiguration().getVertices().containsKey(CHURN)
                ? dense(net.getLayer(CHURN), org.persona4j.models.nn.Activation.SIGMOID) : null;
        // the item output weights [projection, items] one row per item: the transpose, row-major
        float[] itemOutT = rowMajor(out.getParam("W").transpose());
        return LeanProfileNetwork.ofFlat(vocab, dims, tables, lstm, proj, itemOutT, out.getParam("b").toFloatVector(),
                staticSize, dense(net.getLayer(PURCHASE), org.persona4j.models.nn.Activation.SIGMOID),
                dense(net.getLayer(CATEGORY), org.persona4j.models.nn.Activation.SIGMOID),
                net.getConfiguration().getVertices().containsKey(RESIDUAL), churn);
    }

    /** A 2-D array (or view) row-major in one Java array, copied a piece of rows at a time. */
    static float[] rowMajor(org.nd4j.linalg.api.ndarray.INDArray a) {
        int rows = (int) a.size(0);
        int cols = (int) a.size(1);
        float[] out = new float[Math.multiplyExact(rows, cols)];
        // pieces of FusedSteps.PIECE floats, below G1's humongous-object size; each native copy is closed at once
        int step = Math.max(1, FusedSteps.PIECE / Math.max(1, cols));
        for (int r0 = 0; r0 < rows; r0 += step) {
            int r1 = Math.min(rows, r0 + step);
            try (org.nd4j.linalg.api.ndarray.INDArray piece = a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(r0, r1),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).dup('c')) {
                float[] f = piece.data().asFloat();
                System.arraycopy(f, 0, out, r0 * cols, f.length);
            }
        }
        return out;
    }

    /** {@link #extract(ComputationGraph, int, boolean)} with the churn head when the graph has one. */
    static LeanProfileNetwork extract(ComputationGraph net, int staticSize) {
        return extract(net, staticSize, true);
    }

    /**
     * A 2-D parameter as row arrays, from one {@link #rowMajor} copy (ND4J's {@code toFloatMatrix()}
     * makes one native call per row). Used for the LSTM and dense layers; the million-row tables
     * go through {@link #rowMajor} alone.
     */
    static float[][] matrix(org.nd4j.linalg.api.ndarray.INDArray a) {
        int rows = (int) a.size(0);
        int cols = (int) a.size(1);
        float[] flat = rowMajor(a);
        float[][] m = new float[rows][];
        for (int r = 0; r < rows; r++) {
            m[r] = java.util.Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        return m;
    }

    private static org.persona4j.models.nn.DenseLayer dense(Layer l, org.persona4j.models.nn.Activation a) {
        return new org.persona4j.models.nn.DenseLayer(matrix(l.getParam("W")), l.getParam("b").toFloatVector(), a);
    }
}
