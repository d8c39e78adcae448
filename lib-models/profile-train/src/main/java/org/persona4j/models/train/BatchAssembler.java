package org.persona4j.models.train;

import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.persona4j.core.BadInputException;
import org.persona4j.features.sequence.IdVocabulary;
import org.persona4j.features.sequence.SequenceEncoder;
import org.persona4j.models.profile.UserFeatureSource;
import org.persona4j.models.train.fused.FusedProfileTrainer;

/**
 * Turns a mini-batch of training sequences into the network's ND4J arrays, in the input and output
 * order of {@link ProfileNetworks#build}. Inputs are every step but the last (padded to the batch's
 * longest, masked); the next-item target of each step is the following item (out-of-vocabulary
 * targets masked), the last-step category head learns the category of the event after the input,
 * and the purchase and churn heads learn, at the cut points {@link ProfileModelConfig#propensityCuts()}
 * chooses, the sequence's {@link PropensityLabels} (censored cuts masked). Loss weights and the class
 * weights are applied through the label masks.
 */
final class BatchAssembler {
    private final ProfileModelConfig config;
    private final SequenceEncoder enc;
    private final UserFeatureSource features;
    private final int staticSize;
    private final double purchaseClassWeight;
    private final double churnClassWeight;

    /**
     * @param config the loss weights and the next-item head (full or sampled softmax)
     * @param enc the fitted encoder (vocabulary sizes)
     * @param features static user features, or null
     * @param staticSize the static feature dimension, 0 for none
     * @param purchaseClassWeight the weight of a positive purchase example (resolved, {@code > 0})
     * @param churnClassWeight the weight of a positive churn example (resolved, {@code > 0})
     */
    BatchAssembler(ProfileModelConfig config, SequenceEncoder enc, UserFeatureSource features, int staticSize,
                   double purchaseClassWeight, double churnClassWeight) {
        this.config = config;
        this.enc = enc;
        this.features = features;
        this.staticSize = staticSize;
        this.purchaseClassWeight = purchaseClassWeight;
        this.churnClassWeight = churnClassWeight;
    }

    /**
     * Whether input step {@code k} of a sequence with {@code inputs} input steps trains the purchase
     * and churn heads ({@link ProfileModelConfig#propensityCuts()}: the last {@code n}, or all for 0).
     */
    static boolean isCut(int k, int inputs, int cuts) {
        return cuts == 0 || k >= inputs - cuts;
    }

    /**
     * What one training sequence learns, step by step: its inputs are every event but the last;
     * the next-item target of each step is the following item (out-of-vocabulary targets and
     * propensity-only sequences get weight 0), the purchase and churn heads learn at the cut points
     * {@link ProfileModelConfig#propensityCuts()} chooses (censored cuts weight 0), the category head
     * the category of the event after the input, and loss and class weights are the label weights.
     */
    FusedProfileTrainer.Sequence sequence(TrainingData.Seq s) {
        int len = s.len() - 1;
        int[] next = new int[len];
        float[] nextW = new float[len];
        float[] purchase = new float[len];
        float[] purchaseW = new float[len];
        float[] churn = new float[len];
        float[] churnW = new float[len];
        float wNext = (float) config.nextItemWeight();
        int cuts = config.propensityCuts();
        for (int k = 0; k < len; k++) {
            int target = s.item()[k + 1];
            if (target >= IdVocabulary.FIRST_ID && !s.propensityOnly()) {
                next[k] = target;
                nextW[k] = wNext;
            }
            if (s.purchase() != null && isCut(k, len, cuts)) {
                float p = s.purchase()[k];
                if (p != PropensityLabels.CENSORED) {
                    purchase[k] = p;
                    purchaseW[k] = (float) (config.purchaseWeight() * (p > 0 ? purchaseClassWeight : 1.0));
                }
                float c = s.churn()[k];
                if (c != PropensityLabels.CENSORED) {
                    churn[k] = c;
                    churnW[k] = (float) (config.churnWeight() * (c > 0 ? churnClassWeight : 1.0));
                }
            }
        }
        int c = s.cat()[len];
        boolean catLabelled = c >= IdVocabulary.FIRST_ID && !s.propensityOnly();
        float[] f = null;
        if (staticSize > 0) {
            f = features.features(s.userId());
            if (f != null && f.length != staticSize) {
                throw new BadInputException("user features of '" + s.userId() + "' have length " + f.length + ", expected " + staticSize);
            }
        }
        return new FusedProfileTrainer.Sequence(java.util.Arrays.copyOf(s.item(), len), java.util.Arrays.copyOf(s.type(), len),
                java.util.Arrays.copyOf(s.cat(), len), java.util.Arrays.copyOf(s.gap(), len), next, nextW, purchase, purchaseW,
                churn, churnW, catLabelled ? c : 0, catLabelled ? (float) config.categoryWeight() : 0f, f);
    }

    /**
     * The negatives of one batch of a sampled-softmax head, drawn uniformly (with repeats) from the
     * real item ids; null with the full softmax (nothing is drawn).
     */
    int[] negatives(Random rng) {
        int neg = config.sampledNegatives();
        if (neg == 0) {
            return null;
        }
        int range = enc.items().size() - IdVocabulary.FIRST_ID;
        int[] out = new int[neg];
        for (int k = 0; k < neg; k++) {
            out[k] = IdVocabulary.FIRST_ID + rng.nextInt(range);
        }
        return out;
    }

    /**
     * @param seqs the training sequences
     * @param idx the batch's sequence indices
     * @param rng the epoch's generator, from which a sampled-softmax head draws its negatives
     * @return the batch
     */
    MultiDataSet assemble(List<TrainingData.Seq> seqs, int[] idx, Random rng) {
        int mb = idx.length;
        FusedProfileTrainer.Sequence[] qs = new FusedProfileTrainer.Sequence[mb];
        int t = 0;
        for (int r = 0; r < mb; r++) {
            qs[r] = sequence(seqs.get(idx[r]));
            t = Math.max(t, qs[r].length());
        }
        int nCat = enc.categories().size();
        float[][] x = new float[4][mb * t];
        float[] mask = new float[mb * t];
        float[] next = new float[mb * t];
        float[] nextW = new float[mb * t];
        float[] purchase = new float[mb * t];
        float[] purchaseW = new float[mb * t];
        float[] churn = new float[mb * t];
        float[] churnW = new float[mb * t];
        float[] cat = new float[mb * nCat];
        float[] catW = new float[mb];
        float[] stat = staticSize > 0 ? new float[mb * staticSize * t] : null;
        for (int r = 0; r < mb; r++) {
            FusedProfileTrainer.Sequence q = qs[r];
            int len = q.length();
            for (int k = 0; k < len; k++) {
                int o = r * t + k;
                x[0][o] = q.item()[k];
                x[1][o] = q.type()[k];
                x[2][o] = q.category()[k];
                x[3][o] = q.gap()[k];
                mask[o] = 1f;
                next[o] = q.next()[k];
                nextW[o] = q.nextWeight()[k];
                purchase[o] = q.purchase()[k];
                purchaseW[o] = q.purchaseWeight()[k];
                churn[o] = q.churn()[k];
                churnW[o] = q.churnWeight()[k];
            }
            if (q.categoryWeight() != 0) {
                cat[r * nCat + q.categoryLabel()] = 1f;
                catW[r] = q.categoryWeight();
            }
            float[] f = q.staticFeatures();
            if (stat != null && f != null) {
                for (int j = 0; j < staticSize; j++) {
                    java.util.Arrays.fill(stat, (r * staticSize + j) * t, (r * staticSize + j + 1) * t, f[j]);
                }
            }
        }
        INDArray fm = Nd4j.create(mask, new long[] {mb, t}, 'c');
        INDArray[] f = new INDArray[staticSize > 0 ? 5 : 4];
        INDArray[] fms = new INDArray[f.length];
        for (int k = 0; k < 4; k++) {
            f[k] = Nd4j.create(x[k], new long[] {mb, t}, 'c');
            fms[k] = fm;
        }
        if (staticSize > 0) {
            // repeated at every step (see ProfileNetworks.build), masked like the sequence
            f[4] = Nd4j.create(stat, new long[] {mb, staticSize, t}, 'c');
            fms[4] = fm;
        }
        INDArray nextLabels;
        INDArray nextMask;
        int neg = config.sampledNegatives();
        if (neg > 0) {
            // sampled softmax: [rows, 2 + neg] = target, weight, and in row 0 the shared negatives
            int cols = 2 + neg;
            // rows in the order of DL4J's RNN-to-feed-forward reshape: row = step * batch + sequence
            float[] lab = new float[mb * t * cols];
            for (int r = 0; r < mb; r++) {
                for (int k = 0; k < t; k++) {
                    int row = k * mb + r;
                    lab[row * cols] = next[r * t + k];
                    lab[row * cols + 1] = nextW[r * t + k];
                }
            }
            int[] negatives = negatives(rng);
            for (int k = 0; k < neg; k++) {
                lab[2 + k] = negatives[k];
            }
            nextLabels = Nd4j.create(lab, new long[] {(long) mb * t, cols}, 'c');
            nextMask = null;
        } else {
            nextLabels = Nd4j.create(next, new long[] {mb, 1, t}, 'c');
            nextMask = Nd4j.create(nextW, new long[] {mb, t}, 'c');
        }
        INDArray purchaseL = Nd4j.create(purchase, new long[] {mb, 1, t}, 'c');
        INDArray purchaseM = Nd4j.create(purchaseW, new long[] {mb, t}, 'c');
        INDArray churnL = Nd4j.create(churn, new long[] {mb, 1, t}, 'c');
        INDArray churnM = Nd4j.create(churnW, new long[] {mb, t}, 'c');
        INDArray catL = Nd4j.create(cat, new long[] {mb, nCat}, 'c');
        INDArray catM = Nd4j.create(catW, new long[] {mb, 1}, 'c');
        // output order of ProfileNetworks.build: the sampled head is not first, so that DL4J takes the
        // mini-batch size (gradient scaling, reshapes) from a per-sequence label array
        INDArray[] l = neg > 0 ? new INDArray[] {purchaseL, nextLabels, catL, churnL} : new INDArray[] {nextLabels, purchaseL, catL, churnL};
        INDArray[] lm = neg > 0 ? new INDArray[] {purchaseM, nextMask, catM, churnM} : new INDArray[] {nextMask, purchaseM, catM, churnM};
        return new MultiDataSet(f, l, fms, lm);
    }
}
