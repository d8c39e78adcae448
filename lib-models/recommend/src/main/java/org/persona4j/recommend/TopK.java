package org.persona4j.recommend;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Top-K selection over a dense score array with a bounded min-heap: O(n log k), deterministic
 * (equal scores are ordered by lower index first).
 */
public final class TopK {
    private TopK() {
    }

    /**
     * @param scores the scores
     * @param k how many to keep
     * @param admit which indices may be selected
     * @return the selected indices, best first
     */
    public static int[] select(float[] scores, int k, IntPredicate admit) {
        if (k <= 0) {
            return new int[0];
        }
        int[] heap = new int[k];
        int size = 0;
        for (int i = 0; i < scores.length; i++) {
            float s = scores[i];
            if (Float.isNaN(s) || s == Float.NEGATIVE_INFINITY) {
                continue;
            }
            if (size == k && !better(scores, i, heap[0])) {
                continue;
            }
            if (!admit.test(i)) {
                continue;
            }
            if (size < k) {
                heap[size] = i;
                siftUp(scores, heap, size++);
            } else {
                heap[0] = i;
                siftDown(scores, heap, size);
            }
        }
        Integer[] out = new Integer[size];
        for (int i = 0; i < size; i++) {
            out[i] = heap[i];
        }
        Arrays.sort(out, (a, b) -> better(scores, a, b) ? -1 : better(scores, b, a) ? 1 : 0);
        int[] r = new int[size];
        for (int i = 0; i < size; i++) {
            r[i] = out[i];
        }
        return r;
    }

    /** a ranks before b: higher score, then lower index. */
    static boolean better(float[] s, int a, int b) {
        return s[a] > s[b] || (s[a] == s[b] && a < b);
    }

    private static void siftUp(float[] s, int[] h, int i) {
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (better(s, h[p], h[i])) {
                int t = h[p];
                h[p] = h[i];
                h[i] = t;
                i = p;
            } else {
                return;
            }
        }
    }

    private static void siftDown(float[] s, int[] h, int n) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= n) {
                return;
            }
            int w = l;
            int r = l + 1;
            if (r < n && better(s, h[l], h[r])) {
                w = r;
            }
            if (better(s, h[i], h[w])) {
                int t = h[i];
                h[i] = h[w];
                h[w] = t;
                i = w;
            } else {
                return;
            }
        }
    }
}
