package org.persona4j.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.persona4j.core.ModelFormatException;

/**
 * The serving weights' binary form, without DL4J: a seeded random network written by
 * {@link LeanWeights#write} and read back by {@link LeanWeights#read} serves identically, and
 * truncated bytes fail with a {@link ModelFormatException} that names the field.
 */
class LeanWeightsTest {
    static final long SEED = 20261122L;
    // embedding inputs: item, type, category, gap
    static final int[] VOCAB = {17, 6, 5, 9};
    static final int[] DIMS = {4, 2, 3, 2};
    static final int HIDDEN = 5;
    static final int PROJ = 4; // == item embedding width, so the residual user vector is allowed
    static final int STATIC = 2;
    static final int CATEGORIES = 5;

    static float[][] matrix(Random r, int rows, int cols) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) (r.nextGaussian() * 0.6);
            }
        }
        return m;
    }

    static float[] vector(Random r, int n) {
        return matrix(r, 1, n)[0];
    }

    /** Two LSTM layers, static features and the residual user vector: every part of the format is used. */
    static LeanProfileNetwork randomNetwork(long seed, boolean residual) {
        Random r = new Random(seed);
        float[][][] emb = new float[VOCAB.length][][];
        int in = 0;
        for (int k = 0; k < VOCAB.length; k++) {
            emb[k] = matrix(r, VOCAB[k], DIMS[k]);
            in += DIMS[k];
        }
        LstmLayer[] lstm = {
            new LstmLayer(matrix(r, in, 4 * HIDDEN), matrix(r, HIDDEN, 4 * HIDDEN), vector(r, 4 * HIDDEN)),
            new LstmLayer(matrix(r, HIDDEN, 4 * HIDDEN), matrix(r, HIDDEN, 4 * HIDDEN), vector(r, 4 * HIDDEN)),
        };
        DenseLayer proj = new DenseLayer(matrix(r, HIDDEN, PROJ), vector(r, PROJ), Activation.IDENTITY);
        float[][] itemW = matrix(r, PROJ, VOCAB[0]);
        float[] itemB = vector(r, VOCAB[0]);
        DenseLayer purchase = new DenseLayer(matrix(r, HIDDEN + STATIC, 1), vector(r, 1), Activation.SIGMOID);
        DenseLayer cats = new DenseLayer(matrix(r, HIDDEN + STATIC, CATEGORIES), vector(r, CATEGORIES), Activation.SIGMOID);
        return new LeanProfileNetwork(emb, lstm, proj, itemW, itemB, STATIC, purchase, cats, residual);
    }

    static byte[] bytes(LeanProfileNetwork n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LeanWeights.write(n, out);
        return out.toByteArray();
    }

    static LeanProfileNetwork read(byte[] b) throws IOException {
        return LeanWeights.read(new ByteArrayInputStream(b), b.length, "test!weights.bin");
    }

    @Test
    void writtenAndReadBackServesIdentically() throws Exception {
        System.out.println("LeanWeightsTest seed " + SEED);
        for (boolean residual : new boolean[] {false, true}) {
            LeanProfileNetwork a = randomNetwork(SEED, residual);
            byte[] b = bytes(a);
            assertEquals(LeanWeights.byteSize(a), b.length, "byteSize is exact");
            LeanProfileNetwork back = read(b);
            assertArrayEquals(b, bytes(back), "rewriting gives the same bytes");
            assertEquals(residual, back.itemResidual());
            assertEquals(a.itemCount(), back.itemCount());
            assertEquals(a.projectionSize(), back.projectionSize());
            assertEquals(a.staticSize(), back.staticSize());
            assertEquals(a.categoryCount(), back.categoryCount());
            for (int i = 0; i < a.itemCount(); i++) {
                assertArrayEquals(a.itemVector(i), back.itemVector(i), "item vector " + i);
            }
            Random r = new Random(SEED + 1);
            for (int trial = 0; trial < 20; trial++) {
                ProfileNetState sa = a.initialState();
                ProfileNetState sb = back.initialState();
                float[] stat = trial % 3 == 0 ? null : vector(r, STATIC);
                assertArrayEquals(a.heads(sa, stat), back.heads(sb, stat), "cold-start heads");
                int len = 1 + r.nextInt(10);
                for (int t = 0; t < len; t++) {
                    int[] idx = new int[VOCAB.length];
                    for (int k = 0; k < idx.length; k++) {
                        idx[k] = r.nextInt(VOCAB[k]);
                    }
                    sa = a.step(sa, idx);
                    sb = back.step(sb, idx);
                    for (int l = 0; l < sa.layers(); l++) {
                        assertArrayEquals(sa.hidden(l), sb.hidden(l), "trial " + trial + " step " + t + " layer " + l);
                        assertArrayEquals(sa.cell(l), sb.cell(l), "trial " + trial + " step " + t + " layer " + l);
                    }
                    float[] ua = a.userVector(sa);
                    assertArrayEquals(ua, back.userVector(sb));
                    float[] scores = a.scores(ua);
                    assertEquals(a.itemCount(), scores.length);
                    assertArrayEquals(scores, back.scores(back.userVector(sb)), "trial " + trial + " step " + t);
                    assertArrayEquals(a.heads(sa, stat), back.heads(sb, stat), "trial " + trial + " step " + t);
                }
            }
        }
        // a different seed gives different bytes (the test would not notice weights read as zeros otherwise)
        assertTrue(!Arrays.equals(bytes(randomNetwork(SEED, false)), bytes(randomNetwork(SEED + 7, false))));
    }

    @Test
    void truncatedBytesNameTheField() throws Exception {
        byte[] b = bytes(randomNetwork(SEED, true));
        // layout: the header, flags, static size, input count, then vocabulary size, width and table of input 0
        int h = LeanWeights.HEADER.length();
        assertTruncated(b, 2, "header");
        assertTruncated(b, h - 1, "header");
        assertTruncated(b, h + 2, "flags");
        assertTruncated(b, h + 6, "static feature size");
        assertTruncated(b, h + 10, "embedding input count");
        assertTruncated(b, h + 14, "embedding 0 vocabulary size");
        assertTruncated(b, h + 18, "embedding 0 width");
        assertTruncated(b, h + 30, "embedding 0 table");
        assertTruncated(b, b.length - 1, "item bias");
        // every cut fails as a format error, never with another exception
        for (int cut = 0; cut < b.length; cut += 7) {
            byte[] t = Arrays.copyOf(b, cut);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> read(t), "cut at " + cut);
            assertTrue(e.getMessage().startsWith("test!weights.bin: "), e.getMessage());
            // the stream ends early while the declared length is the whole entry
            assertThrows(ModelFormatException.class,
                    () -> LeanWeights.read(new ByteArrayInputStream(t), b.length, "test!weights.bin"), "stream cut at " + cut);
        }
        // bytes after the network are refused too
        byte[] longer = Arrays.copyOf(b, b.length + 4);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> read(longer));
        assertTrue(e.getMessage().contains("4 bytes after"), e.getMessage());
    }

    @Test
    void newerOrForeignBytesAreRefused() throws Exception {
        byte[] b = bytes(randomNetwork(SEED, false));
        int h = LeanWeights.HEADER.length();
        byte[] newer = b.clone();
        newer[h - 1] = (byte) (LeanWeights.VERSION + 1); // the version byte ends the header
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> read(newer));
        assertTrue(e.getMessage().contains("too new"), e.getMessage());
        byte[] foreign = b.clone();
        foreign[0] = 'X';
        e = assertThrows(ModelFormatException.class, () -> read(foreign));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        byte[] flags = b.clone();
        flags[h] = 1; // an unknown flag bit
        e = assertThrows(ModelFormatException.class, () -> read(flags));
        assertTrue(e.getMessage().contains("flags"), e.getMessage());
    }

    private static void assertTruncated(byte[] b, int cut, String field) {
        byte[] t = Arrays.copyOf(b, cut);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> read(t), "cut at " + cut);
        assertTrue(e.getMessage().contains(field), "cut at " + cut + ": " + e.getMessage());
        ModelFormatException s = assertThrows(ModelFormatException.class,
                () -> LeanWeights.read(new ByteArrayInputStream(t), b.length, "test!weights.bin"), "stream cut at " + cut);
        assertTrue(s.getMessage().contains("truncated") && s.getMessage().contains(field), "stream cut at " + cut + ": " + s.getMessage());
    }
}
