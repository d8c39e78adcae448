package org.persona4j.recommend;

/**
 * An approximate maximum-inner-product index over the rows of an item matrix: given a query it
 * returns, approximately, the rows with the largest dot products. Implementations are built once and
 * searched concurrently; close one to release what it holds.
 *
 * @see IvfVectorIndex
 * @see HnswVectorIndex
 */
public interface ApproximateIndex extends AutoCloseable {

    /** @return the number of indexed rows */
    int size();

    /**
     * @param query a vector of the index's dimension
     * @param k how many rows, {@code >= 1}
     * @return approximately the rows of the k largest dot products, best first (fewer when the index
     *     is smaller)
     */
    int[] search(float[] query, int k);

    @Override
    void close();

    /** The parameters of one kind of index: what builds it over a matrix. */
    interface Spec {
        /**
         * @param matrix row-major vectors, {@code n * dim} values (an index may keep a reference: do not
         *     modify it afterwards)
         * @param dim the dimension
         * @return the index
         */
        ApproximateIndex build(float[] matrix, int dim);
    }
}
