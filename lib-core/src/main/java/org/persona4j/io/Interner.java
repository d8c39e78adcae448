package org.persona4j.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns byte ranges into shared {@code String}s, so that an id seen a million times is one object
 * and costs no allocation after the first time. Bounded: past {@code maxSize} distinct ids new ones
 * are still returned, just not remembered. Not thread-safe.
 */
final class Interner {
    private final int maxSize;
    private String[] values;
    private byte[][] keys;
    private int[] hashes;
    private int mask;
    private int size;

    Interner(int maxSize) {
        this.maxSize = maxSize;
        int cap = 1 << 12;
        values = new String[cap];
        keys = new byte[cap][];
        hashes = new int[cap];
        mask = cap - 1;
    }

    String intern(byte[] b, int s, int e) {
        int h = 1;
        for (int p = s; p < e; p++) {
            h = 31 * h + b[p];
        }
        h ^= h >>> 16;
        h *= 0x9E3779B1;
        h ^= h >>> 15;
        int i = h & mask;
        String v;
        while ((v = values[i]) != null) {
            if (hashes[i] == h) {
                byte[] k = keys[i];
                if (Arrays.equals(k, 0, k.length, b, s, e)) {
                    return v;
                }
            }
            i = (i + 1) & mask;
        }
        v = new String(b, s, e - s, StandardCharsets.UTF_8);
        if (size < maxSize) {
            values[i] = v;
            keys[i] = Arrays.copyOfRange(b, s, e);
            hashes[i] = h;
            if (++size * 2 > values.length) {
                grow();
            }
        }
        return v;
    }

    private void grow() {
        String[] ov = values;
        byte[][] ok = keys;
        int[] oh = hashes;
        int cap = ov.length * 2;
        values = new String[cap];
        keys = new byte[cap][];
        hashes = new int[cap];
        mask = cap - 1;
        for (int j = 0; j < ov.length; j++) {
            if (ov[j] != null) {
                int i = oh[j] & mask;
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                values[i] = ov[j];
                keys[i] = ok[j];
                hashes[i] = oh[j];
            }
        }
    }
}
