package org.persona4j.recommend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.hnsw.HnswConcurrentMergeBuilder;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Progress;
import org.persona4j.core.ProgressListener;

/**
 * Approximate maximum-inner-product search with Lucene's HNSW graph, held in memory. Built once
 * from a row-major matrix; searches are thread-safe. Close it to release the index.
 *
 * <p>Float vectors (the default) are indexed with Lucene's graph classes directly
 * ({@code org.apache.lucene.util.hnsw}: {@code HnswGraphBuilder}, an on-heap graph and
 * {@code HnswGraphSearcher}): the graph's neighbour lists are int arrays and a search reads each
 * vector in place, without the codec layer's per-node decoding and copying (about 10% less time per
 * search than the same graph behind an index reader, docs/benchmarks.md). With
 * {@link Params#buildThreads()} above 1 the graph is built by Lucene's concurrent builder
 * ({@code HnswConcurrentMergeBuilder}), which is faster but not deterministic: the graph, and so
 * the approximate results, may differ from build to build. One build thread gives the same graph
 * for the same vectors every time.
 *
 * <p>With {@link Params#quantized()} the vectors are scalar-quantized to 7-bit integers in a Lucene
 * index ({@code Lucene99HnswScalarQuantizedVectorsFormat} in a {@link ByteBuffersDirectory},
 * Lucene's default confidence interval {@code 1 - 1/(dim + 1)}). Lucene 9.12 scores the graph
 * search on the quantized vectors and does not re-score, so a quantized index keeps a reference to
 * the float matrix and re-ranks its {@code ef} candidates exactly before returning the best
 * {@code k}: the results are exact dot-product order over the candidates, as with the float format.
 * (Lucene keeps the float vectors next to the quantized ones, so quantization does not save memory
 * here; it makes each graph step cheaper.) A quantized index is force-merged into one segment (one
 * graph) when the writer flushed more than one; {@link #segmentsBeforeMerge()} and
 * {@link #mergeMillis()} say whether and at what cost.
 */
public final class HnswVectorIndex implements ApproximateIndex {
    private static final String FIELD = "v";
    private static final String ROW = "row";
    /** Seed of the graph's level assignment (one build thread: the same graph every time). */
    private static final long GRAPH_SEED = 42L;
    /** The float format's vectors, one array per row (searched in place), or null for the quantized format. */
    private final RandomAccessVectorValues.Floats vectors;
    /** The float format's graph, or null for the quantized format. */
    private final OnHeapHnswGraph graph;
    /** The quantized format's index, or null for the float format. */
    private final ByteBuffersDirectory dir;
    private final DirectoryReader reader;
    private final int dim;
    private final int size;
    /** Row of each document (global doc id), read once from the doc values after the build. */
    private final int[] docToRow;
    /** The float vectors (not copied) for the exact re-rank of a quantized index; null for the float format. */
    private final ExactVectorIndex rerankMatrix;
    /** Segments a quantized build flushed before its force-merge (1 for floats), set during the build. */
    private int segmentsBeforeMerge = 1;
    /** Time of that force-merge (0: none), set during the build. */
    private long mergeNanos;

    /**
     * HNSW build parameters.
     *
     * @param maxConn neighbours per node (Lucene's M), 2..512
     * @param beamWidth candidates while building, 1..3200
     * @param efSearch candidates while searching (at least k), {@code >= 1}
     * @param quantized store 7-bit scalar-quantized vectors (Lucene99HnswScalarQuantizedVectorsFormat) and
     *     re-rank the {@code efSearch} candidates exactly with the float vectors; false: 32-bit floats
     * @param buildThreads threads that build a float graph, 1..256: 1 builds the same graph every time,
     *     more build faster with Lucene's concurrent builder but not reproducibly (the quantized format
     *     builds with one thread)
     */
    public record Params(int maxConn, int beamWidth, int efSearch, boolean quantized, int buildThreads) implements ApproximateIndex.Spec {
        /** Validates. @throws BadInputException naming the bad field */
        public Params {
            if (maxConn < 2 || maxConn > 512) {
                throw new BadInputException("hnsw: field 'maxConn': expected 2..512, was " + maxConn);
            }
            if (beamWidth < 1 || beamWidth > 3200) {
                throw new BadInputException("hnsw: field 'beamWidth': expected 1..3200, was " + beamWidth);
            }
            if (efSearch < 1) {
                throw new BadInputException("hnsw: field 'efSearch': expected >= 1, was " + efSearch);
            }
            if (buildThreads < 1 || buildThreads > 256) {
                throw new BadInputException("hnsw: field 'buildThreads': expected 1..256, was " + buildThreads);
            }
        }

        /**
         * One build thread.
         *
         * @param maxConn neighbours per node (Lucene's M), 2..512
         * @param beamWidth candidates while building, 1..3200
         * @param efSearch candidates while searching (at least k), {@code >= 1}
         * @param quantized whether to scalar-quantize the vectors
         */
        public Params(int maxConn, int beamWidth, int efSearch, boolean quantized) {
            this(maxConn, beamWidth, efSearch, quantized, 1);
        }

        /**
         * Float vectors (not quantized), one build thread.
         *
         * @param maxConn neighbours per node (Lucene's M), 2..512
         * @param beamWidth candidates while building, 1..3200
         * @param efSearch candidates while searching (at least k), {@code >= 1}
         */
        public Params(int maxConn, int beamWidth, int efSearch) {
            this(maxConn, beamWidth, efSearch, false, 1);
        }

        /**
         * @return M 32, beam width 100, ef 150, float vectors, one build thread: at 100,000 random items
         *     recall@20 0.957 against exact search at about half the search time of M 16 with ef 300
         *     (recall 0.960), docs/benchmarks.md "Retrieval at scale"
         */
        public static Params defaults() {
            return new Params(32, 100, 150);
        }

        /** @param q whether to scalar-quantize the vectors @return a copy with that setting */
        public Params withQuantized(boolean q) {
            return new Params(maxConn, beamWidth, efSearch, q, buildThreads);
        }

        /** @param ef candidates while searching, {@code >= 1} @return a copy with that setting */
        public Params withEfSearch(int ef) {
            return new Params(maxConn, beamWidth, ef, quantized, buildThreads);
        }

        /** @param threads threads that build a float graph, 1..256 @return a copy with that setting */
        public Params withBuildThreads(int threads) {
            return new Params(maxConn, beamWidth, efSearch, quantized, threads);
        }

        @Override
        public ApproximateIndex build(float[] matrix, int dim) {
            return new HnswVectorIndex(matrix, dim, this, null);
        }
    }

    private final Params params;

    /**
     * Builds the graph.
     *
     * @param matrix row-major vectors, {@code n * dim} values (a quantized index keeps a reference for
     *     its exact re-rank: do not modify it afterwards)
     * @param dim the dimension
     * @param params build and search parameters
     * @param progress receives build progress, may be null
     */
    public HnswVectorIndex(float[] matrix, int dim, Params params, ProgressListener progress) {
        if (dim < 1 || matrix.length % dim != 0) {
            throw new BadInputException("hnsw: field 'dim': expected >= 1 dividing the matrix length " + matrix.length + ", was " + dim);
        }
        if (dim > 1024) {
            throw new BadInputException("hnsw: field 'dim': expected <= 1024, was " + dim);
        }
        this.dim = dim;
        this.size = matrix.length / dim;
        this.params = params;
        ProgressListener pl = progress == null ? ProgressListener.NONE : progress;
        if (params.quantized()) {
            this.vectors = null;
            this.graph = null;
            this.dir = new ByteBuffersDirectory();
            this.reader = buildQuantized(matrix, pl);
            this.docToRow = rows(reader);
            this.rerankMatrix = new ExactVectorIndex(matrix, dim);
        } else {
            this.dir = null;
            this.reader = null;
            this.docToRow = null;
            this.rerankMatrix = null;
            List<float[]> rows = new ArrayList<>(size);
            for (int r = 0; r < size; r++) {
                rows.add(row(matrix, r));
            }
            this.vectors = RandomAccessVectorValues.fromFloats(rows, dim);
            this.graph = buildGraph(pl);
        }
    }

    /** Builds the float graph, with one thread (reproducible, with progress) or Lucene's concurrent builder. */
    private OnHeapHnswGraph buildGraph(ProgressListener pl) {
        long t0 = System.nanoTime();
        try {
            RandomVectorScorerSupplier scorers = DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(
                    VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT, vectors);
            HnswGraphBuilder single = HnswGraphBuilder.create(scorers, params.maxConn(), params.beamWidth(), GRAPH_SEED, size);
            if (params.buildThreads() == 1 || size < 2) {
                for (int r = 0; r < size; r++) {
                    single.addGraphNode(r);
                    progress(pl, r + 1, t0);
                }
                return single.getCompletedGraph();
            }
            int threads = Math.min(params.buildThreads(), size);
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "persona4j-hnsw-build");
                t.setDaemon(true);
                return t;
            });
            try {
                OnHeapHnswGraph g = new HnswConcurrentMergeBuilder(new TaskExecutor(pool), threads, scorers, params.maxConn(),
                        params.beamWidth(), single.getGraph(), null).build(size);
                progress(pl, size, t0);
                return g;
            } finally {
                pool.shutdownNow();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("hnsw build: " + e.getMessage(), e);
        }
    }

    /** A copy of one row of a row-major matrix. */
    private float[] row(float[] matrix, int r) {
        return java.util.Arrays.copyOfRange(matrix, r * dim, (r + 1) * dim);
    }

    /** Reports {@code done} vectors built, every 10,000 and at the last. */
    private void progress(ProgressListener pl, int done, long t0) {
        if (done % 10_000 == 0 || done == size) {
            pl.onProgress(new Progress("hnsw build", done, size, "vectors", System.nanoTime() - t0, java.util.Map.of()));
        }
    }

    /** Builds the quantized index into {@link #dir}: one segment, opened. */
    private DirectoryReader buildQuantized(float[] matrix, ProgressListener pl) {
        long t0 = System.nanoTime();
        IndexWriterConfig cfg = new IndexWriterConfig();
        cfg.setRAMBufferSizeMB(Math.max(64, Math.min(2048, 2.0 * size * (dim * 4 + params.maxConn() * 8) / 1e6 + 64)));
        KnnVectorsFormat format = new Lucene99HnswScalarQuantizedVectorsFormat(params.maxConn(), params.beamWidth());
        cfg.setCodec(new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return format;
            }
        });
        try (IndexWriter w = new IndexWriter(dir, cfg)) {
            for (int r = 0; r < size; r++) {
                Document d = new Document();
                d.add(new KnnFloatVectorField(FIELD, row(matrix, r), VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT));
                d.add(new NumericDocValuesField(ROW, r));
                w.addDocument(d);
                progress(pl, r + 1, t0);
            }
            w.commit();
            DirectoryReader r = DirectoryReader.open(dir);
            this.segmentsBeforeMerge = r.leaves().size();
            if (segmentsBeforeMerge > 1) {
                // one graph searches faster and more accurately than several, and the search needs no merge of hits
                r.close();
                long m0 = System.nanoTime();
                w.forceMerge(1);
                w.commit();
                this.mergeNanos = System.nanoTime() - m0;
                r = DirectoryReader.open(dir);
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("hnsw build: " + e.getMessage(), e);
        }
    }

    /** The row of every document, so that a search maps hits without reading doc values per hit. */
    private static int[] rows(DirectoryReader reader) {
        int[] out = new int[reader.maxDoc()];
        try {
            for (LeafReaderContext leaf : reader.leaves()) {
                NumericDocValues dv = leaf.reader().getNumericDocValues(ROW);
                for (int d = 0; d < leaf.reader().maxDoc(); d++) {
                    if (dv == null || !dv.advanceExact(d)) {
                        throw new IllegalStateException("hnsw: document " + (leaf.docBase + d) + " has no row");
                    }
                    out[leaf.docBase + d] = (int) dv.longValue();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("hnsw build: " + e.getMessage(), e);
        }
        return out;
    }

    /** @return the number of vectors */
    @Override
    public int size() {
        return size;
    }

    /** @return the number of graphs searched: 1 (a quantized index is merged into one Lucene segment) */
    public int segments() {
        return reader == null ? 1 : reader.leaves().size();
    }

    /** @return the number of segments a quantized build flushed before the force-merge into one (1 for floats) */
    public int segmentsBeforeMerge() {
        return segmentsBeforeMerge;
    }

    /** @return how long the force-merge into one segment took, 0 when the build wrote one segment */
    public long mergeMillis() {
        return mergeNanos / 1_000_000;
    }

    /** @return the build and search parameters */
    public Params params() {
        return params;
    }

    /**
     * @param query a vector of length dim
     * @param k how many
     * @return approximately the rows of the k largest dot products, best first
     */
    @Override
    public int[] search(float[] query, int k) {
        return search(query, k, params.efSearch());
    }

    /**
     * @param query a vector of length dim
     * @param k how many
     * @param efSearch candidates to search (at least k are), overriding the index's {@link Params#efSearch()}
     * @return approximately the rows of the k largest dot products, best first
     */
    public int[] search(float[] query, int k, int efSearch) {
        if (query.length != dim) {
            throw new BadInputException("hnsw: query dimension " + query.length + " does not match the index dimension " + dim);
        }
        if (k < 1 || efSearch < 1) {
            throw new BadInputException("hnsw: k and efSearch must be >= 1, were " + k + " and " + efSearch);
        }
        try {
            int ef = Math.max(k, efSearch);
            if (graph != null) {
                // the on-heap graph's own thread-safe search: neighbour lists and vectors are read in place
                ScoreDoc[] hits = HnswGraphSearcher.search(DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(
                        VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT, vectors, query), ef, graph, null, Integer.MAX_VALUE)
                        .topDocs().scoreDocs;
                int n = Math.min(k, hits.length);
                int[] out = new int[n];
                for (int i = 0; i < n; i++) {
                    out[i] = hits[i].doc;
                }
                return out;
            }
            // each segment's graph is searched directly (no query rewrite, no doc values per hit); with one segment,
            // the usual case, its hits are already best first
            java.util.List<LeafReaderContext> leaves = reader.leaves();
            if (leaves.size() == 1) {
                LeafReaderContext leaf = leaves.get(0);
                TopDocs td = leaf.reader().searchNearestVectors(FIELD, query, ef, leaf.reader().getLiveDocs(), Integer.MAX_VALUE);
                if (rerankMatrix != null) {
                    return rerank(query, td.scoreDocs, leaf.docBase, k);
                }
                int n = Math.min(k, td.scoreDocs.length);
                int[] out = new int[n];
                for (int i = 0; i < n; i++) {
                    out[i] = docToRow[leaf.docBase + td.scoreDocs[i].doc];
                }
                return out;
            }
            TopDocs[] per = new TopDocs[leaves.size()];
            for (int l = 0; l < per.length; l++) {
                LeafReaderContext leaf = leaves.get(l);
                per[l] = leaf.reader().searchNearestVectors(FIELD, query, ef, leaf.reader().getLiveDocs(), Integer.MAX_VALUE);
                for (ScoreDoc sd : per[l].scoreDocs) {
                    sd.doc += leaf.docBase;
                }
            }
            if (rerankMatrix != null) {
                int total = 0;
                for (TopDocs t : per) {
                    total += t.scoreDocs.length;
                }
                ScoreDoc[] all = new ScoreDoc[total];
                int at = 0;
                for (TopDocs t : per) {
                    System.arraycopy(t.scoreDocs, 0, all, at, t.scoreDocs.length);
                    at += t.scoreDocs.length;
                }
                return rerank(query, all, 0, k);
            }
            TopDocs td = TopDocs.merge(k, per);
            int n = Math.min(k, td.scoreDocs.length);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = docToRow[td.scoreDocs[i].doc];
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("hnsw search: " + e.getMessage(), e);
        }
    }

    /**
     * Exact re-rank of a quantized search's candidates: the k largest float dot products, best first
     * (ties by row).
     */
    private int[] rerank(float[] query, ScoreDoc[] cand, int docBase, int k) {
        int c = cand.length;
        int[] rows = new int[c];
        float[] score = new float[c];
        for (int i = 0; i < c; i++) {
            int row = docToRow[docBase + cand[i].doc];
            rows[i] = row;
            score[i] = rerankMatrix.dot(query, row);
        }
        Integer[] order = new Integer[c];
        for (int i = 0; i < c; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> score[a] != score[b] ? Float.compare(score[b], score[a]) : Integer.compare(rows[a], rows[b]));
        int n = Math.min(k, c);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = rows[order[i]];
        }
        return out;
    }

    @Override
    public void close() {
        if (reader == null) {
            return;
        }
        try {
            reader.close();
            dir.close();
        } catch (IOException e) {
            throw new UncheckedIOException("hnsw close: " + e.getMessage(), e);
        }
    }
}
