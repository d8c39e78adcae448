package org.persona4j.features.text;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.persona4j.core.BadInputException;
import org.persona4j.features.encode.FeatureHasher;

/**
 * TF-IDF vectors over hashed token buckets, so the vocabulary needs no storage: term frequency
 * {@code 1 + log(tf)}, inverse document frequency {@code log((1 + N) / (1 + df)) + 1} per bucket
 * (smoothed; fitted on training documents only), signed hashing, L2-normalised output. Immutable
 * and thread-safe.
 */
public final class HashingTfIdf {
    private final Tokenizer tokenizer;
    private final FeatureHasher hasher;
    private final float[] idf;
    private final long documents;

    private HashingTfIdf(Tokenizer tokenizer, FeatureHasher hasher, float[] idf, long documents) {
        this.tokenizer = tokenizer;
        this.hasher = hasher;
        this.idf = idf;
        this.documents = documents;
    }

    /**
     * Fits the IDF weights.
     *
     * @param tokenizer the tokenizer
     * @param buckets number of hash buckets, {@code >= 1}
     * @param documents training documents (null elements count as empty documents)
     * @return the fitted vectoriser
     */
    public static HashingTfIdf fit(Tokenizer tokenizer, int buckets, Iterable<String> documents) {
        FeatureHasher h = new FeatureHasher(buckets, 0x7f4a7c15);
        long[] df = new long[buckets];
        long n = 0;
        for (String d : documents) {
            n++;
            Set<Integer> seen = new HashSet<>();
            for (String t : tokenizer.tokenize(d)) {
                seen.add(h.bucket(t));
            }
            for (int b : seen) {
                df[b]++;
            }
        }
        float[] idf = new float[buckets];
        for (int b = 0; b < buckets; b++) {
            idf[b] = (float) (Math.log((1.0 + n) / (1.0 + df[b])) + 1.0);
        }
        return new HashingTfIdf(tokenizer, h, idf, n);
    }

    /**
     * Rebuilds from saved weights.
     *
     * @param tokenizer the tokenizer
     * @param idf the per-bucket weights, finite
     * @param documents the number of training documents
     * @return the vectoriser
     */
    public static HashingTfIdf of(Tokenizer tokenizer, float[] idf, long documents) {
        if (idf == null || idf.length == 0) {
            throw new BadInputException("tf-idf: 'idf' must have at least one bucket");
        }
        for (int i = 0; i < idf.length; i++) {
            if (!Float.isFinite(idf[i])) {
                throw new BadInputException("tf-idf: 'idf[" + i + "]' must be finite, was " + idf[i]);
            }
        }
        return new HashingTfIdf(tokenizer, new FeatureHasher(idf.length, 0x7f4a7c15), idf.clone(), documents);
    }

    /** @return the number of buckets */
    public int dimension() {
        return idf.length;
    }

    /**
     * @param text a document, may be null
     * @return its L2-normalised TF-IDF vector (zeros for no tokens)
     */
    public float[] transform(String text) {
        return transform(tokenizer.tokenize(text));
    }

    /**
     * @param tokens tokens of one document
     * @return its L2-normalised TF-IDF vector
     */
    public float[] transform(List<String> tokens) {
        int n = idf.length;
        float[] tf = new float[n];
        int[] sign = new int[n];
        for (String t : tokens) {
            int b = hasher.bucket(t);
            tf[b] += 1;
            sign[b] += hasher.sign(t);
        }
        float[] out = new float[n];
        double norm = 0;
        for (int b = 0; b < n; b++) {
            if (tf[b] > 0) {
                double v = (1 + Math.log(tf[b])) * idf[b] * (sign[b] >= 0 ? 1 : -1);
                out[b] = (float) v;
                norm += v * v;
            }
        }
        if (norm > 0) {
            float inv = (float) (1 / Math.sqrt(norm));
            for (int b = 0; b < n; b++) {
                out[b] *= inv;
            }
        }
        return out;
    }

    /**
     * @param token a token
     * @return the IDF weight of its bucket
     */
    public double idf(String token) {
        return idf[hasher.bucket(token)];
    }

    /** @return a copy of the IDF weights */
    public float[] idfWeights() {
        return idf.clone();
    }

    /** @return the number of training documents */
    public long documents() {
        return documents;
    }

    /** @return the tokenizer */
    public Tokenizer tokenizer() {
        return tokenizer;
    }
}
