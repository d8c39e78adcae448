package org.persona4j.models.nn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.persona4j.core.ModelFormatException;
import org.persona4j.io.FormatHeader;

/**
 * The binary form of a {@link LeanProfileNetwork}: the serving weights of a profile-model artifact
 * (entry {@code weights.bin}), read with no DL4J, no ND4J and no Java deserialization.
 *
 * <p>Layout, big-endian: the {@link FormatHeader} (magic {@code P4LW}, the format name
 * {@value #FORMAT}, one version byte), flags (int: bit 0 = residual
 * user vector), static feature size; the embedding inputs (count, then per input: vocabulary size,
 * width, {@code vocab * width} floats row-major); the LSTM layers (count, then per layer: input
 * size, hidden size, input weights {@code [nIn][4h]}, recurrent weights {@code [h][4h]}, bias
 * {@code [4h]}); three dense layers (projection, purchase head, category head: input size, output
 * size, activation ordinal, weights one row of {@code nIn} per output, bias); the item scorer (item
 * count, projection size, one row of weights per item, then one bias per item); with the churn
 * flag, the churn head last (as the other dense layers). A network without a churn head is written
 * as version 1, byte for byte as before the churn head existed; one with it as version 2, which
 * older readers refuse as too new.
 *
 * <p>Every count is checked against the bytes that remain before anything is allocated, so a
 * crafted or truncated entry fails with a {@link ModelFormatException} naming the field, never
 * with an {@link OutOfMemoryError}.
 */
public final class LeanWeights {
    /** The format name in the header. */
    public static final String FORMAT = "persona4j-lean-weights";
    /** The version this SDK writes and the newest it reads. */
    public static final int VERSION = 2;
    /** The header: magic {@code P4LW}, {@value #FORMAT}, version. */
    public static final FormatHeader HEADER = FormatHeader.binary(FORMAT, "lean weights",
            new byte[] {'P', '4', 'L', 'W'}, 1, VERSION);

    private static final int FLAG_RESIDUAL = 1;
    private static final int FLAG_CHURN = 2;

    private LeanWeights() {
    }

    /**
     * The exact size in bytes that {@link #write} produces for a network.
     *
     * @param n the network
     * @return the byte count
     */
    public static long byteSize(LeanProfileNetwork n) {
        long b = HEADER.length() + 4L * 2; // header, flags, static size
        b += 4;
        for (float[] t : n.embeddingTables()) {
            b += 8 + 4L * t.length;
        }
        b += 4;
        for (LstmLayer l : n.lstmLayers()) {
            b += 8 + 4L * (l.inputWeights().length + l.recurrentWeights().length + l.biases().length);
        }
        for (DenseLayer d : new DenseLayer[] {n.projectionLayer(), n.purchaseLayer(), n.categoryLayer()}) {
            b += 12 + 4L * (d.weightsTransposed().length + d.biases().length);
        }
        b += 8 + 4L * (n.itemOutputRows().length + n.itemBiases().length);
        if (n.hasChurnHead()) {
            b += 12 + 4L * (n.churnLayer().weightsTransposed().length + n.churnLayer().biases().length);
        }
        return b;
    }

    /**
     * Writes a network.
     *
     * @param n the network
     * @param os the target (not closed)
     * @throws IOException when writing fails
     */
    public static void write(LeanProfileNetwork n, OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os, 1 << 16));
        HEADER.write(out, n.hasChurnHead() ? 2 : 1);
        out.writeInt((n.itemResidual() ? FLAG_RESIDUAL : 0) | (n.hasChurnHead() ? FLAG_CHURN : 0));
        out.writeInt(n.staticSize());
        int[] vocab = n.vocabSizes();
        int[] dims = n.embeddingWidths();
        float[][] tables = n.embeddingTables();
        out.writeInt(vocab.length);
        for (int k = 0; k < vocab.length; k++) {
            out.writeInt(vocab[k]);
            out.writeInt(dims[k]);
            floats(out, tables[k]);
        }
        LstmLayer[] lstm = n.lstmLayers();
        out.writeInt(lstm.length);
        for (LstmLayer l : lstm) {
            out.writeInt(l.nIn());
            out.writeInt(l.hidden());
            floats(out, l.inputWeights());
            floats(out, l.recurrentWeights());
            floats(out, l.biases());
        }
        for (DenseLayer d : new DenseLayer[] {n.projectionLayer(), n.purchaseLayer(), n.categoryLayer()}) {
            dense(out, d);
        }
        out.writeInt(n.itemCount());
        out.writeInt(n.projectionSize());
        floats(out, n.itemOutputRows());
        floats(out, n.itemBiases());
        if (n.hasChurnHead()) {
            dense(out, n.churnLayer());
        }
        out.flush();
    }

    private static void dense(DataOutputStream out, DenseLayer d) throws IOException {
        out.writeInt(d.nIn());
        out.writeInt(d.nOut());
        out.writeInt(d.activation().ordinal());
        floats(out, d.weightsTransposed());
        floats(out, d.biases());
    }

    private static void floats(DataOutputStream out, float[] v) throws IOException {
        byte[] buf = new byte[Math.min(v.length, 8192) * 4];
        int i = 0;
        while (i < v.length) {
            int m = Math.min(v.length - i, buf.length / 4);
            for (int j = 0; j < m; j++) {
                int bits = Float.floatToRawIntBits(v[i + j]);
                buf[4 * j] = (byte) (bits >>> 24);
                buf[4 * j + 1] = (byte) (bits >>> 16);
                buf[4 * j + 2] = (byte) (bits >>> 8);
                buf[4 * j + 3] = (byte) bits;
            }
            out.write(buf, 0, 4 * m);
            i += m;
        }
    }

    /**
     * Reads a network.
     *
     * @param is the bytes of exactly one network
     * @param length the number of bytes the entry holds (from the archive), the bound for every count
     * @param where what to name in errors (file and entry)
     * @return the network
     * @throws IOException when reading fails
     * @throws ModelFormatException when the bytes are not this format, are too new, truncated, or
     *     the shapes do not fit together
     */
    public static LeanProfileNetwork read(InputStream is, long length, String where) throws IOException {
        Reader r = new Reader(new DataInputStream(new java.io.BufferedInputStream(is, 1 << 16)), length, where);
        r.need(HEADER.length(), "header");
        int version = HEADER.read(r.in, where);
        int flags = r.i("flags");
        int known = version >= 2 ? FLAG_RESIDUAL | FLAG_CHURN : FLAG_RESIDUAL;
        if ((flags & ~known) != 0) {
            throw new ModelFormatException(where + ": unknown lean weights flags " + flags + " for version " + version);
        }
        int staticSize = r.nonNegative("static feature size");
        int inputs = r.positive("embedding input count");
        int[] vocab = new int[inputs];
        int[] dims = new int[inputs];
        float[][] tables = new float[inputs][];
        for (int k = 0; k < inputs; k++) {
            vocab[k] = r.positive("embedding " + k + " vocabulary size");
            dims[k] = r.positive("embedding " + k + " width");
            tables[k] = r.floats((long) vocab[k] * dims[k], "embedding " + k + " table");
        }
        int layers = r.positive("LSTM layer count");
        LstmLayer[] lstm = new LstmLayer[layers];
        for (int l = 0; l < layers; l++) {
            int nIn = r.positive("LSTM " + l + " input size");
            int h = r.positive("LSTM " + l + " hidden size");
            float[] w = r.floats(4L * h * nIn, "LSTM " + l + " input weights");
            float[] rw = r.floats(4L * h * h, "LSTM " + l + " recurrent weights");
            float[] b = r.floats(4L * h, "LSTM " + l + " bias");
            lstm[l] = shaped(() -> new LstmLayer(nIn, h, w, rw, b), where);
        }
        DenseLayer[] dense = new DenseLayer[4];
        String[] names = {"projection", "purchase head", "category head", "churn head"};
        for (int d = 0; d < 3; d++) {
            dense[d] = dense(r, names[d], where);
        }
        int items = r.positive("item count");
        int p = r.positive("item projection size");
        float[] itemOut = r.floats((long) items * p, "item output weights");
        float[] itemBias = r.floats(items, "item bias");
        if ((flags & FLAG_CHURN) != 0) {
            dense[3] = dense(r, names[3], where);
        }
        if (r.remaining != 0) {
            throw new ModelFormatException(where + ": " + r.remaining + " bytes after the lean weights");
        }
        boolean residual = (flags & FLAG_RESIDUAL) != 0;
        return shaped(() -> new LeanProfileNetwork(vocab, dims, tables, lstm, dense[0], itemOut, itemBias, staticSize,
                dense[1], dense[2], residual, dense[3]), where);
    }

    private static DenseLayer dense(Reader r, String name, String where) throws IOException {
        Activation[] acts = Activation.values();
        int nIn = r.positive(name + " input size");
        int nOut = r.positive(name + " output size");
        int a = r.i(name + " activation");
        if (a < 0 || a >= acts.length) {
            throw new ModelFormatException(where + ": " + name + " activation " + a + " is not one of 0.." + (acts.length - 1));
        }
        float[] w = r.floats((long) nIn * nOut, name + " weights");
        float[] b = r.floats(nOut, name + " bias");
        Activation act = acts[a];
        return shaped(() -> new DenseLayer(nIn, nOut, w, b, act), where);
    }

    private static <T> T shaped(java.util.function.Supplier<T> make, String where) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": the lean weights' shapes do not fit: " + e.getMessage(), e);
        }
    }

    /** Reads fields while counting the bytes left, so that no count can ask for more than the entry holds. */
    private static final class Reader {
        final DataInputStream in;
        final String where;
        long remaining;

        Reader(DataInputStream in, long length, String where) {
            this.in = in;
            this.remaining = length;
            this.where = where;
        }

        int i(String field) throws IOException {
            need(4, field);
            try {
                return in.readInt();
            } catch (EOFException e) {
                throw new ModelFormatException(where + ": truncated at " + field, e);
            }
        }

        int positive(String field) throws IOException {
            int v = i(field);
            if (v <= 0) {
                throw new ModelFormatException(where + ": " + field + " must be > 0, was " + v);
            }
            return v;
        }

        int nonNegative(String field) throws IOException {
            int v = i(field);
            if (v < 0) {
                throw new ModelFormatException(where + ": " + field + " must be >= 0, was " + v);
            }
            return v;
        }

        float[] floats(long count, String field) throws IOException {
            if (count > Integer.MAX_VALUE - 8) {
                throw new ModelFormatException(where + ": " + field + " of " + count + " values is larger than an array can hold");
            }
            need(4 * count, field);
            float[] v = new float[(int) count];
            byte[] buf = new byte[(int) Math.min(count, 8192) * 4];
            int i = 0;
            try {
                while (i < count) {
                    int m = (int) Math.min(count - i, buf.length / 4);
                    in.readFully(buf, 0, 4 * m);
                    for (int j = 0; j < m; j++) {
                        v[i + j] = Float.intBitsToFloat(((buf[4 * j] & 0xff) << 24) | ((buf[4 * j + 1] & 0xff) << 16)
                                | ((buf[4 * j + 2] & 0xff) << 8) | (buf[4 * j + 3] & 0xff));
                    }
                    i += m;
                }
            } catch (EOFException e) {
                throw new ModelFormatException(where + ": truncated in " + field, e);
            }
            for (int j = 0; j < v.length; j++) {
                if (!Float.isFinite(v[j])) {
                    throw new ModelFormatException(where + ": " + field + " holds a non-finite value at index " + j);
                }
            }
            return v;
        }

        void need(long bytes, String field) {
            if (bytes > remaining) {
                throw new ModelFormatException(where + ": " + field + " needs " + bytes + " bytes, only " + remaining
                        + " remain in the entry");
            }
            remaining -= bytes;
        }
    }
}
