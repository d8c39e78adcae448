package org.persona4j.features.aggregate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Catalog;
import org.persona4j.core.Item;

/**
 * Fitted price distributions per top-level category (and over all items), used to place a price
 * at its percentile within its category: the basis of price bands and price sensitivity.
 * Immutable and thread-safe.
 */
public final class PriceQuantiles {
    /** Number of stored quantile breakpoints per distribution (0 %, 5 %, ..., 100 %). */
    public static final int POINTS = 21;
    /** The key of the all-items distribution. */
    public static final String ALL = "*";

    private final Map<String, double[]> table;

    private PriceQuantiles(Map<String, double[]> table) {
        this.table = table;
    }

    /**
     * Rebuilds from saved breakpoints.
     *
     * @param table breakpoints (ascending, {@value #POINTS} finite values) per category name, {@link #ALL} for all items
     * @return the quantiles
     * @throws BadInputException on a malformed table
     */
    public static PriceQuantiles of(Map<String, double[]> table) {
        Map<String, double[]> t = new TreeMap<>();
        for (Map.Entry<String, double[]> e : table.entrySet()) {
            double[] q = e.getValue();
            if (e.getKey() == null || q == null || q.length != POINTS) {
                throw new BadInputException("price quantiles: entry '" + e.getKey() + "' must have " + POINTS + " breakpoints");
            }
            for (int i = 0; i < q.length; i++) {
                if (!Double.isFinite(q[i]) || (i > 0 && q[i] < q[i - 1])) {
                    throw new BadInputException("price quantiles: entry '" + e.getKey() + "' must be finite and ascending at " + i);
                }
            }
            t.put(e.getKey(), q.clone());
        }
        return new PriceQuantiles(Collections.unmodifiableMap(t));
    }

    /**
     * Fits on the known prices of the catalogue's items.
     *
     * @param catalog the catalogue
     * @return the quantiles (empty when no item has a price)
     */
    public static PriceQuantiles fit(Catalog catalog) {
        Map<String, List<Double>> byCat = new HashMap<>();
        for (Item it : catalog.items()) {
            if (!Double.isNaN(it.price())) {
                byCat.computeIfAbsent(ALL, k -> new ArrayList<>()).add(it.price());
                if (it.topCategory() != null) {
                    byCat.computeIfAbsent(it.topCategory(), k -> new ArrayList<>()).add(it.price());
                }
            }
        }
        return fromSamples(byCat);
    }

    /**
     * Fits on explicit samples.
     *
     * @param samples prices per category name ({@link #ALL} for all items); non-finite values ignored
     * @return the quantiles
     */
    public static PriceQuantiles fromSamples(Map<String, ? extends List<Double>> samples) {
        Map<String, double[]> t = new TreeMap<>();
        for (Map.Entry<String, ? extends List<Double>> e : samples.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
            if (v.length == 0) {
                continue;
            }
            Arrays.sort(v);
            double[] q = new double[POINTS];
            for (int i = 0; i < POINTS; i++) {
                double pos = i * (v.length - 1) / (double) (POINTS - 1);
                int lo = (int) Math.floor(pos);
                int hi = Math.min(v.length - 1, lo + 1);
                q[i] = v[lo] + (v[hi] - v[lo]) * (pos - lo);
            }
            t.put(e.getKey(), q);
        }
        return new PriceQuantiles(Collections.unmodifiableMap(t));
    }

    /** @return an empty table: every percentile is NaN */
    public static PriceQuantiles empty() {
        return new PriceQuantiles(Map.of());
    }

    /**
     * @param category a top-level category name, or null
     * @return the breakpoints for it, falling back to all items, or null when there are none
     */
    public double[] breakpoints(String category) {
        double[] q = category == null ? null : table.get(category);
        return q != null ? q : table.get(ALL);
    }

    /**
     * @param breakpoints from {@link #breakpoints}, may be null
     * @param price a price, NaN for unknown
     * @return the percentile of the price in [0, 1], or NaN when either is unknown
     */
    public static double percentile(double[] breakpoints, double price) {
        if (breakpoints == null || !Double.isFinite(price)) {
            return Double.NaN;
        }
        int n = breakpoints.length;
        if (price <= breakpoints[0]) {
            return 0;
        }
        if (price >= breakpoints[n - 1]) {
            return 1;
        }
        int j = 1;
        while (breakpoints[j] <= price) {
            j++;
        }
        double a = breakpoints[j - 1];
        double b = breakpoints[j];
        double frac = b > a ? (price - a) / (b - a) : 0;
        return (j - 1 + frac) / (n - 1);
    }

    /** @return the table, category name to breakpoints, sorted by name (copies) */
    public Map<String, double[]> table() {
        Map<String, double[]> m = new LinkedHashMap<>();
        table.forEach((k, v) -> m.put(k, v.clone()));
        return m;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PriceQuantiles)) {
            return false;
        }
        Map<String, double[]> t = ((PriceQuantiles) o).table;
        if (!t.keySet().equals(table.keySet())) {
            return false;
        }
        for (Map.Entry<String, double[]> e : table.entrySet()) {
            if (!Arrays.equals(e.getValue(), t.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return table.keySet().hashCode();
    }
}
