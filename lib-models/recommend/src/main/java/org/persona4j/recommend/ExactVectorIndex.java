package org.persona4j.recommend;

import org.persona4j.core.BadInputException;

/**
 * Exact maximum-inner-product search over a dense row-major matrix of item vectors. Single queries
 * use an unrolled dot product; {@link #topK(float[][], int, int)} scores blocks of queries against
 * each item row while it is in cache. Immutable and thread-safe.
 */
public final class ExactVectorIndex {
    private static final int QUERY_BLOCK = 16;
    private final float[] matrix;
    private final int dim;
    private final int size;

    /**
     * @param matrix row-major vectors, {@code size * dim} values (not copied; do not modify)
     * @param dim the dimension, {@code >= 1}
     */
    public ExactVectorIndex(float[] matrix, int dim) {
        if (dim < 1 || matrix.length % dim != 0) {
            throw new BadInputException("vector index: field 'dim': expected >= 1 dividing the matrix length "
                    + matrix.length + ", was " + dim);
        }
        this.matrix = matrix;
        this.dim = dim;
        this.size = matrix.length / dim;
    }

    /** @return the number of vectors */
    public int size() {
        return size;
    }

    /** @return the dimension */
    public int dim() {
        return dim;
    }

    /** @param row a row @param out receives its values (length dim) */
    public void vector(int row, float[] out) {
        System.arraycopy(matrix, row * dim, out, 0, dim);
    }

    /**
     * @param query a vector of length dim
     * @param row an item row
     * @return the dot product
     */
    public float dot(float[] query, int row) {
        int off = row * dim;
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int d = 0;
        for (; d + 3 < dim; d += 4) {
            s0 += query[d] * matrix[off + d];
            s1 += query[d + 1] * matrix[off + d + 1];
            s2 += query[d + 2] * matrix[off + d + 2];
            s3 += query[d + 3] * matrix[off + d + 3];
        }
        for (; d < dim; d++) {
            s0 += query[d] * matrix[off + d];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** @param query the query @param out receives the dot product with every row */
    public void scoreAll(float[] query, float[] out) {
        checkQuery(query);
        for (int r = 0; r < size; r++) {
            out[r] = dot(query, r);
        }
    }

    private void checkQuery(float[] q) {
        if (q.length != dim) {
            throw new BadInputException("vector index: query dimension " + q.length + " does not match the index dimension " + dim);
        }
    }

    /**
     * @param query the query
     * @param k how many
     * @return the rows of the k largest dot products, best first
     */
    public int[] topK(float[] query, int k) {
        float[] s = new float[size];
        scoreAll(query, s);
        return TopK.select(s, k, i -> true);
    }

    /**
     * Batched exact top-k: blocks of queries share each pass over the item matrix.
     *
     * @param queries the queries
     * @param k how many per query
     * @param threads threads (blocks of queries run in parallel)
     * @return the top rows per query, best first
     */
    public int[][] topK(float[][] queries, int k, int threads) {
        for (float[] q : queries) {
            checkQuery(q);
        }
        int blocks = (queries.length + QUERY_BLOCK - 1) / QUERY_BLOCK;
        int[][] out = new int[queries.length][];
        Parallel.forEach(threads, blocks, () -> new float[QUERY_BLOCK][size], (scores, b) -> {
            int from = b * QUERY_BLOCK;
            int to = Math.min(queries.length, from + QUERY_BLOCK);
            for (int r = 0; r < size; r++) {
                int off = r * dim;
                for (int q = from; q < to; q++) {
                    float[] qv = queries[q];
                    float s = 0;
                    for (int d = 0; d < dim; d++) {
                        s += qv[d] * matrix[off + d];
                    }
                    scores[q - from][r] = s;
                }
            }
            for (int q = from; q < to; q++) {
                out[q] = TopK.select(scores[q - from], k, i -> true);
            }
        });
        return out;
    }
}
