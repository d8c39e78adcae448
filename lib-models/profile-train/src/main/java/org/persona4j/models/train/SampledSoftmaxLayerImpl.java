package org.persona4j.models.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterUpdate;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Run-time layer of {@link SampledSoftmaxOutputLayer}.
 *
 * <p>Input: the projected user vectors of all steps, [rows, nIn] (rows = batch × steps, flattened
 * by the RNN-to-feed-forward preprocessor, row = step × batch + sequence). Labels: [rows, 2 + S];
 * column 0 is the target item index, column 1 the row's loss weight (0 for padding and masked
 * targets), and columns 2.. of row 0 the S negative item indices shared by the batch (the other
 * rows' negative columns are ignored). A negative equal to a row's own target (an accidental hit)
 * is left out of that row's softmax. Loss: the weighted sum over rows of
 * {@code logsumexp(target, negatives) - target}; the score is divided by the mini-batch size and
 * the gradients are divided by it in the updater, as for DL4J's own output layers. With uniformly
 * drawn negatives no log-Q correction is needed: it is one constant for every item.
 *
 * <p>Gradients of {@code W} and {@code b} are dense arrays (DL4J's updaters need them) filled by
 * scatter-adds at the target and negative columns only; the forward and backward passes cost
 * O(rows × S × nIn) instead of O(rows × nOut × nIn). {@link #activate} (DL4J's
 * {@code output(...)}) returns the full scores [rows, nOut].
 */
final class SampledSoftmaxLayerImpl extends BaseLayer<SampledSoftmaxOutputLayer> implements IOutputLayer {
    private static final float HIT_PENALTY = 1e4f;
    private static final int[] DIM_1 = {1};
    private INDArray labels;
    /** The weighted loss of the last backprop and the arrays it was computed on (DL4J asks for the score right after). */
    private double backpropLoss;
    private INDArray backpropInput;
    private INDArray backpropLabels;

    SampledSoftmaxLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The forward pass shared by score and backprop. */
    private final class Forward {
        final int[] target;
        final int[] neg;
        final INDArray weight;   // [rows, 1]
        final INDArray wTarget;  // [rows, nIn]
        final INDArray wNeg;     // [S, nIn]
        final INDArray probs;    // [rows, 1 + S], softmax
        final double loss;       // weighted sum

        Forward(INDArray h) {
            int s = layerConf().negatives();
            long rows = h.size(0);
            if (labels == null || labels.rank() != 2 || labels.size(0) != rows || labels.size(1) != 2 + s) {
                throw new IllegalStateException("sampled softmax: labels must be [" + rows + ", " + (2 + s) + "], were "
                        + (labels == null ? "null" : java.util.Arrays.toString(labels.shape())));
            }
            target = labels.getColumn(0).toIntVector();
            weight = labels.getColumn(1).reshape(rows, 1).castTo(dataType);
            neg = labels.get(NDArrayIndex.point(0), NDArrayIndex.interval(2, 2 + s)).toIntVector();
            INDArray wt = getParam(DefaultParamInitializer.WEIGHT_KEY).transpose(); // [nOut, nIn] view
            INDArray b = getParam(DefaultParamInitializer.BIAS_KEY).reshape(-1); // rank 1 in DL4J
            wTarget = Nd4j.pullRows(wt, 1, target);
            wNeg = Nd4j.pullRows(wt, 1, neg);
            INDArray logits = Nd4j.create(dataType, rows, 1 + s);
            INDArray pos = h.mul(wTarget).sum(1);
            for (int i = 0; i < rows; i++) {
                pos.putScalar(i, pos.getDouble(i) + b.getDouble(target[i]));
            }
            logits.getColumn(0).assign(pos);
            INDArray bNeg = Nd4j.create(dataType, 1, s);
            for (int k = 0; k < s; k++) {
                bNeg.putScalar(0, k, b.getDouble(neg[k]));
            }
            logits.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 1 + s)).assign(h.mmul(wNeg.transpose()).addiRowVector(bNeg));
            Map<Integer, List<Integer>> at = new HashMap<>(); // item -> its positions among the negatives
            for (int k = 0; k < s; k++) {
                at.computeIfAbsent(neg[k], x -> new ArrayList<>()).add(k);
            }
            for (int i = 0; i < rows; i++) {
                for (int k : at.getOrDefault(target[i], List.of())) {
                    logits.putScalar(i, 1 + k, logits.getDouble(i, 1 + k) - HIT_PENALTY);
                }
            }
            INDArray max = logits.max(1).reshape(rows, 1);
            logits.subiColumnVector(max);
            INDArray z0 = logits.getColumn(0).dup().reshape(rows, 1);
            Transforms.exp(logits, false);
            INDArray sum = logits.sum(1).reshape(rows, 1);
            logits.diviColumnVector(sum);
            probs = logits;
            INDArray perRow = Transforms.log(sum, true).subi(z0);
            loss = perRow.muli(weight).sumNumber().doubleValue();
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray h = input.castTo(dataType);
        Forward f = new Forward(h);
        this.score = f.loss / getInputMiniBatchSize();
        backpropLoss = f.loss;
        backpropInput = input;
        backpropLabels = labels;
        long rows = h.size(0);
        int s = layerConf().negatives();
        INDArray g = f.probs;                       // becomes dLoss/dLogits
        g.getColumn(0).subi(1.0);
        g.muliColumnVector(f.weight);
        INDArray dPos = g.getColumn(0).dup().reshape(rows, 1);
        INDArray dNeg = g.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 1 + s));
        INDArray dh = f.wTarget.mulColumnVector(dPos);
        dh.addi(dNeg.mmul(f.wNeg));

        INDArray gW = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        INDArray gWt = gW.transpose();              // [nOut, nIn] view
        gW.assign(0);
        Nd4j.scatterUpdate(ScatterUpdate.UpdateOp.ADD, gWt, Nd4j.createFromArray(f.target), h.mulColumnVector(dPos), DIM_1);
        Nd4j.scatterUpdate(ScatterUpdate.UpdateOp.ADD, gWt, Nd4j.createFromArray(f.neg), dNeg.transpose().mmul(h), DIM_1);

        INDArray gB = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
        INDArray gBFlat = gB.reshape(-1);
        gB.assign(0);
        Map<Integer, Double> db = new HashMap<>();
        float[] dp = dPos.toFloatVector();
        for (int i = 0; i < rows; i++) {
            if (dp[i] != 0f) {
                db.merge(f.target[i], (double) dp[i], Double::sum);
            }
        }
        float[] dn = dNeg.sum(0).toFloatVector();
        for (int k = 0; k < s; k++) {
            db.merge(f.neg[k], (double) dn[k], Double::sum);
        }
        for (Map.Entry<Integer, Double> e : db.entrySet()) {
            gBFlat.putScalar(e.getKey(), e.getValue());
        }
        Gradient ret = new DefaultGradient();
        ret.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, gW);
        ret.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, gB);
        return new Pair<>(ret, workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, dh));
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        // ComputationGraph computes the score right after backprop on the same arrays: reuse that forward pass
        double loss = input == backpropInput && labels == backpropLabels ? backpropLoss : new Forward(input.castTo(dataType)).loss;
        this.score = loss / getInputMiniBatchSize() + fullNetRegTerm;
        return score;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray b = getParam(DefaultParamInitializer.BIAS_KEY);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {input.size(0), w.size(1)}, 'c');
        input.castTo(dataType).mmul(w, out);
        out.addiRowVector(b);
        return out;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }

    @Override
    public boolean needsLabels() {
        return true;
    }

    @Override
    public void setLabels(INDArray labels) {
        this.labels = labels;
        backpropLabels = null;
    }

    @Override
    public INDArray getLabels() {
        return labels;
    }

    @Override
    public void clear() {
        super.clear();
        labels = null;
        backpropInput = null;
        backpropLabels = null;
    }

    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("sampled softmax: per-example scores are not supported");
    }

    @Override
    public double f1Score(DataSet data) {
        throw new UnsupportedOperationException("sampled softmax: not a classifier");
    }

    @Override
    public double f1Score(INDArray examples, INDArray labels) {
        throw new UnsupportedOperationException("sampled softmax: not a classifier");
    }

    @Override
    public int numLabels() {
        return (int) layerConf().getNOut();
    }

    @Override
    public void fit(DataSetIterator iter) {
        throw new UnsupportedOperationException("sampled softmax: train the graph, not the layer");
    }

    @Override
    public int[] predict(INDArray examples) {
        throw new UnsupportedOperationException("sampled softmax: not a classifier");
    }

    @Override
    public List<String> predict(DataSet dataSet) {
        throw new UnsupportedOperationException("sampled softmax: not a classifier");
    }

    @Override
    public void fit(INDArray examples, INDArray labels) {
        throw new UnsupportedOperationException("sampled softmax: train the graph, not the layer");
    }

    @Override
    public void fit(DataSet data) {
        throw new UnsupportedOperationException("sampled softmax: train the graph, not the layer");
    }

    @Override
    public void fit(INDArray examples, int[] labels) {
        throw new UnsupportedOperationException("sampled softmax: train the graph, not the layer");
    }
}
