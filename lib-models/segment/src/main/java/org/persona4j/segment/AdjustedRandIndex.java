package org.persona4j.segment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;

/**
 * The adjusted Rand index (Hubert and Arabie) between two partitions of the same items: 1 for
 * identical partitions (up to relabelling), about 0 for independent ones, negative below chance.
 */
public final class AdjustedRandIndex {
    private AdjustedRandIndex() {
    }

    /**
     * @param a labels of the first partition
     * @param b labels of the second partition, same length
     * @param <A> label type of the first
     * @param <B> label type of the second
     * @return the adjusted Rand index; 1 when both partitions put every item in one group or each
     *         in its own (the index is undefined there and both partitions agree)
     * @throws BadInputException on different lengths or empty input
     */
    public static <A, B> double of(List<A> a, List<B> b) {
        if (a.size() != b.size()) {
            throw new BadInputException("adjusted Rand index: expected two labelings of the same items, sizes were "
                    + a.size() + " and " + b.size());
        }
        int n = a.size();
        if (n == 0) {
            throw new BadInputException("adjusted Rand index: no items");
        }
        Map<A, Integer> ia = new HashMap<>();
        Map<B, Integer> ib = new HashMap<>();
        int[] la = new int[n];
        int[] lb = new int[n];
        for (int i = 0; i < n; i++) {
            la[i] = ia.computeIfAbsent(a.get(i), x -> ia.size());
            lb[i] = ib.computeIfAbsent(b.get(i), x -> ib.size());
        }
        long[][] table = new long[ia.size()][ib.size()];
        long[] ra = new long[ia.size()];
        long[] rb = new long[ib.size()];
        for (int i = 0; i < n; i++) {
            table[la[i]][lb[i]]++;
            ra[la[i]]++;
            rb[lb[i]]++;
        }
        double index = 0;
        for (long[] row : table) {
            for (long c : row) {
                index += pairs(c);
            }
        }
        double sa = 0;
        for (long c : ra) {
            sa += pairs(c);
        }
        double sb = 0;
        for (long c : rb) {
            sb += pairs(c);
        }
        double expected = sa * sb / pairs(n);
        double max = (sa + sb) / 2;
        if (max == expected) {
            return 1.0;
        }
        return (index - expected) / (max - expected);
    }

    /**
     * @param a integer labels of the first partition
     * @param b integer labels of the second partition
     * @return the adjusted Rand index
     */
    public static double of(int[] a, int[] b) {
        return of(java.util.Arrays.stream(a).boxed().toList(), java.util.Arrays.stream(b).boxed().toList());
    }

    private static double pairs(long c) {
        return c * (c - 1) / 2.0;
    }
}
