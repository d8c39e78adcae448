package org.persona4j.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns byte ranges into shared {@code String}s, so that an id seen a million times is one object
 * and costs no allocation after the first time. Bounded: past {@code maxSize} distinct ids new ones
 * are still returned, just not remembered. With {@link #recent(int)} it is instead a small
 * direct-mapped cache that remembers only recently seen ids (for mostly unique ids such as
 * sessions, where a growing table would only cost memory and cache misses). Not thread-safe.
 *
 * <p>Keys of up to 16 bytes (most ids) are packed into two longs stored inline with the hash in
 * one {@code long[]}, so a lookup touches one cache line and no key object; longer keys are kept
 * as byte arrays.
 */
final class Interner {
    private static final int STRIDE = 4;

    private final int maxSize;
    private final boolean direct;
    /** Per slot: meta (hash << 32 | length + 1; 0 = empty), key bytes 0-7, key bytes 8-15, unused. */
    private long[] slots;
    private String[] values;
    private byte[][] longKeys;
    private int mask;
    private int size;

    Interner(int maxSize) {
        this(maxSize, 1 << 12, false);
    }

    /** @return a fixed-size cache of {@code slots} (a power of two) recently seen ids */
    static Interner recent(int slots) {
        return new Interner(slots, slots, true);
    }

    private Interner(int maxSize, int cap, boolean direct) {
        this.maxSize = maxSize;
        this.direct = direct;
        slots = new long[cap * STRIDE];
        values = new String[cap];
        longKeys = new byte[cap][];
        mask = cap - 1;
    }

    String intern(byte[] b, int s, int e) {
        int len = e - s;
        long k0 = 0;
        long k1 = 0;
        int h;
        if (len <= 16) {
            int p = s;
            int end0 = Math.min(e, s + 8);
            for (int sh = 0; p < end0; p++, sh += 8) {
                k0 |= (b[p] & 0xFFL) << sh;
            }
            for (int sh = 0; p < e; p++, sh += 8) {
                k1 |= (b[p] & 0xFFL) << sh;
            }
            long x = (k0 * 0x9E3779B97F4A7C15L) ^ (k1 * 0xC2B2AE3D27D4EB4FL) ^ len;
            x ^= x >>> 29;
            x *= 0xBF58476D1CE4E5B9L;
            h = (int) (x ^ (x >>> 32));
        } else {
            int hh = 1;
            for (int p = s; p < e; p++) {
                hh = 31 * hh + b[p];
            }
            hh ^= hh >>> 16;
            hh *= 0x9E3779B1;
            h = hh ^ (hh >>> 15);
        }
        long meta = ((long) h << 32) | (len + 1);
        int i = h & mask;
        long[] sl = slots;
        if (direct) {
            int o = i * STRIDE;
            if (sl[o] == meta && matches(sl, o, i, len, k0, k1, b, s, e)) {
                return values[i];
            }
            String v = new String(b, s, len, StandardCharsets.UTF_8);
            put(i, meta, k0, k1, b, s, e, v);
            return v;
        }
        for (;;) {
            int o = i * STRIDE;
            long m = sl[o];
            if (m == 0) {
                break;
            }
            if (m == meta && matches(sl, o, i, len, k0, k1, b, s, e)) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        String v = new String(b, s, len, StandardCharsets.UTF_8);
        if (size < maxSize) {
            put(i, meta, k0, k1, b, s, e, v);
            if (++size * 2 > values.length) {
                grow();
            }
        }
        return v;
    }

    private boolean matches(long[] sl, int o, int i, int len, long k0, long k1, byte[] b, int s, int e) {
        if (len <= 16) {
            return sl[o + 1] == k0 && sl[o + 2] == k1;
        }
        byte[] k = longKeys[i];
        return Arrays.equals(k, 0, k.length, b, s, e);
    }

    private void put(int i, long meta, long k0, long k1, byte[] b, int s, int e, String v) {
        int o = i * STRIDE;
        slots[o] = meta;
        slots[o + 1] = k0;
        slots[o + 2] = k1;
        values[i] = v;
        longKeys[i] = e - s > 16 ? Arrays.copyOfRange(b, s, e) : null;
    }

    private void grow() {
        long[] os = slots;
        String[] ov = values;
        byte[][] ok = longKeys;
        int cap = ov.length * 2;
        slots = new long[cap * STRIDE];
        values = new String[cap];
        longKeys = new byte[cap][];
        mask = cap - 1;
        for (int j = 0; j < ov.length; j++) {
            long m = os[j * STRIDE];
            if (m != 0) {
                int i = (int) (m >>> 32) & mask;
                while (slots[i * STRIDE] != 0) {
                    i = (i + 1) & mask;
                }
                int o = i * STRIDE;
                slots[o] = m;
                slots[o + 1] = os[j * STRIDE + 1];
                slots[o + 2] = os[j * STRIDE + 2];
                values[i] = ov[j];
                longKeys[i] = ok[j];
            }
        }
    }
}
