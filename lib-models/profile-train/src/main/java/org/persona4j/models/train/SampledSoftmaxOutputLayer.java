package org.persona4j.models.train;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of the sampled-softmax next-item head (see {@link SampledSoftmaxLayerImpl}): the
 * cross-entropy of each target against negatives shared by the mini-batch instead of against the
 * whole catalogue, so that training time and memory per step grow with the number of negatives,
 * not with the number of items. Its parameters are those of a dense output layer, {@code W}
 * [nIn, nOut] and {@code b} [1, nOut], so serving scores every item exactly as with the full
 * softmax.
 *
 * <p>Package-private: a DL4J configuration type, never part of the SDK's public signatures. DL4J's
 * JSON configuration mapper serialises it through its fields and the no-argument constructor.
 */
final class SampledSoftmaxOutputLayer extends FeedForwardLayer {
    private int negatives;

    /** For DL4J's JSON mapper. */
    private SampledSoftmaxOutputLayer() {
    }

    private SampledSoftmaxOutputLayer(Builder b) {
        super(b);
        this.negatives = b.negatives;
        initializeConstraints(b);
    }

    /** @return negatives per mini-batch */
    int negatives() {
        return negatives;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        SampledSoftmaxLayerImpl ret = new SampledSoftmaxLayerImpl(conf, networkDataType);
        ret.setListeners(listeners);
        ret.setIndex(layerIndex);
        ret.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        ret.setParamTable(paramTable);
        ret.setConf(conf);
        return ret;
    }

    @Override
    public ParamInitializer initializer() {
        return DefaultParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long params = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, SampledSoftmaxOutputLayer.class, inputType, out)
                .standardMemory(params, getIUpdater().stateSize(params))
                .workingMemory(0, 0, 0, 2L * (negatives + 1) + nIn)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** Builder; {@code nIn}, {@code nOut} and {@link #negatives(int)} are required. */
    static final class Builder extends FeedForwardLayer.Builder<Builder> {
        private int negatives;

        /** @param n negatives shared by each mini-batch, {@code >= 1} @return this */
        Builder negatives(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("sampled softmax: negatives must be >= 1, was " + n);
            }
            this.negatives = n;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SampledSoftmaxOutputLayer build() {
            if (negatives < 1) {
                throw new IllegalStateException("sampled softmax: negatives not set");
            }
            return new SampledSoftmaxOutputLayer(this);
        }
    }
}
