package org.persona4j.recommend;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
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
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Progress;
import org.persona4j.core.ProgressListener;

/**
 * Approximate maximum-inner-product search with Lucene's HNSW graph, held in memory
 * ({@link ByteBuffersDirectory}). Built once from a row-major matrix; searches are thread-safe.
 * Close it to release the index.
 */
public final class HnswVectorIndex implements AutoCloseable {
    private static final String FIELD = "v";
    private static final String ROW = "row";
    private final ByteBuffersDirectory dir;
    private final DirectoryReader reader;
    private final int dim;
    private final int size;
    /** Row of each document (global doc id), read once from the doc values after the build. */
    private final int[] docToRow;

    /**
     * HNSW build parameters.
     *
     * @param maxConn neighbours per node (Lucene's M), 2..512
     * @param beamWidth candidates while building, 1..3200
     * @param efSearch candidates while searching (at least k), {@code >= 1}
     */
    public record Params(int maxConn, int beamWidth, int efSearch) {
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
        }

        /** @return M 16, beam width 100, ef 100 */
        public static Params defaults() {
            return new Params(16, 100, 100);
        }
    }

    private final Params params;

    /**
     * Builds the graph.
     *
     * @param matrix row-major vectors, {@code n * dim} values
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
        this.dir = new ByteBuffersDirectory();
        long t0 = System.nanoTime();
        IndexWriterConfig cfg = new IndexWriterConfig();
        cfg.setRAMBufferSizeMB(Math.max(64, Math.min(2048, 2.0 * size * (dim * 4 + params.maxConn() * 8) / 1e6 + 64)));
        cfg.setCodec(new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return new Lucene99HnswVectorsFormat(params.maxConn(), params.beamWidth());
            }
        });
        try (IndexWriter w = new IndexWriter(dir, cfg)) {
            for (int r = 0; r < size; r++) {
                float[] v = new float[dim];
                System.arraycopy(matrix, r * dim, v, 0, dim);
                Document d = new Document();
                d.add(new KnnFloatVectorField(FIELD, v, VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT));
                d.add(new NumericDocValuesField(ROW, r));
                w.addDocument(d);
                if ((r + 1) % 10_000 == 0 || r + 1 == size) {
                    pl.onProgress(new Progress("hnsw build", r + 1, size, "vectors", System.nanoTime() - t0, java.util.Map.of()));
                }
            }
            w.commit();
            this.reader = DirectoryReader.open(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("hnsw build: " + e.getMessage(), e);
        }
        this.docToRow = rows(reader);
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
    public int size() {
        return size;
    }

    /** @return the number of Lucene segments (one graph each) */
    public int segments() {
        return reader.leaves().size();
    }

    /**
     * @param query a vector of length dim
     * @param k how many
     * @return approximately the rows of the k largest dot products, best first
     */
    public int[] search(float[] query, int k) {
        if (query.length != dim) {
            throw new BadInputException("hnsw: query dimension " + query.length + " does not match the index dimension " + dim);
        }
        try {
            int ef = Math.max(k, params.efSearch());
            // each segment's graph is searched directly (no query rewrite, no doc values per hit); with one segment,
            // the usual case, its hits are already best first
            java.util.List<LeafReaderContext> leaves = reader.leaves();
            if (leaves.size() == 1) {
                LeafReaderContext leaf = leaves.get(0);
                TopDocs td = leaf.reader().searchNearestVectors(FIELD, query, ef, leaf.reader().getLiveDocs(), Integer.MAX_VALUE);
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

    @Override
    public void close() {
        try {
            reader.close();
            dir.close();
        } catch (IOException e) {
            throw new UncheckedIOException("hnsw close: " + e.getMessage(), e);
        }
    }
}
