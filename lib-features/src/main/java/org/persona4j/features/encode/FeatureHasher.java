package org.persona4j.features.encode;

import java.nio.charset.StandardCharsets;
import org.persona4j.core.BadInputException;

/**
 * Feature hashing ("the hashing trick") for very large id or token spaces: MurmurHash3 (x86, 32
 * bit) of the UTF-8 bytes, reduced to a bucket, with an independent sign bit so that collisions
 * cancel in expectation. Stable across JVMs and runs. Immutable and thread-safe.
 *
 * @param buckets the number of buckets, {@code >= 1}
 * @param seed the hash seed
 */
public record FeatureHasher(int buckets, int seed) {
    /** Validates. @throws BadInputException when {@code buckets < 1} */
    public FeatureHasher {
        if (buckets < 1) {
            throw new BadInputException("feature hasher: 'buckets' must be >= 1, was " + buckets);
        }
    }

    /**
     * @param key the key, not null
     * @return its bucket in {@code [0, buckets)}
     */
    public int bucket(String key) {
        return Math.floorMod(murmur3(key, seed), buckets);
    }

    /**
     * @param key the key, not null
     * @return +1 or -1, independent of the bucket
     */
    public int sign(String key) {
        return (murmur3(key, seed ^ 0x5bd1e995) & 1) == 0 ? 1 : -1;
    }

    /**
     * Adds {@code sign(key) * value} to {@code out[offset + bucket(key)]}.
     *
     * @param key the key; null is ignored
     * @param value the value to add
     * @param out the vector
     * @param offset where the hashed block starts
     */
    public void add(String key, float value, float[] out, int offset) {
        if (key != null) {
            out[offset + bucket(key)] += sign(key) * value;
        }
    }

    /**
     * MurmurHash3 x86 32-bit of the UTF-8 bytes of a string.
     *
     * @param key the text, not null
     * @param seed the seed
     * @return the hash
     */
    public static int murmur3(String key, int seed) {
        byte[] data = key.getBytes(StandardCharsets.UTF_8);
        int h = seed;
        int n = data.length;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            int k = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
            k *= 0xcc9e2d51;
            k = Integer.rotateLeft(k, 15);
            k *= 0x1b873593;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int rem = n - i;
        if (rem > 0) {
            int k = 0;
            if (rem == 3) {
                k ^= (data[i + 2] & 0xff) << 16;
            }
            if (rem >= 2) {
                k ^= (data[i + 1] & 0xff) << 8;
            }
            k ^= data[i] & 0xff;
            k *= 0xcc9e2d51;
            k = Integer.rotateLeft(k, 15);
            k *= 0x1b873593;
            h ^= k;
        }
        h ^= n;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
