package org.persona4j.features.encode;

import java.util.Arrays;
import java.util.Locale;
import org.persona4j.core.BadInputException;

/**
 * A numeric normaliser fitted on training values only, then applied unchanged to any value.
 * Kinds: {@link Kind#IDENTITY}, {@link Kind#ZSCORE} ({@code (x - mean) / sd}), {@link Kind#MINMAX}
 * ({@code (x - min) / (max - min)}, clipped to [0, 1]), {@link Kind#LOG1P}
 * ({@code log(1 + max(0, x))}), {@link Kind#LOG1P_ZSCORE} (log1p then z-score) and
 * {@link Kind#QUANTILE} (the empirical CDF of the training values, piecewise linear, in [0, 1]).
 *
 * <p>Policy for non-finite input: NaN and infinities are replaced by the training mean before the
 * transform (so a missing value becomes an average one); NaN training values are ignored during
 * fitting. Immutable and thread-safe; {@link #params()} round-trips through {@link #of}.
 */
public final class NumericNormalizer {
    /** The normalisation kinds. */
    public enum Kind {
        /** Unchanged (non-finite replaced by the training mean). */
        IDENTITY,
        /** Standard score. */
        ZSCORE,
        /** Scaled to [0, 1] by the training range, clipped. */
        MINMAX,
        /** {@code log(1 + max(0, x))}. */
        LOG1P,
        /** {@code log1p} followed by a standard score. */
        LOG1P_ZSCORE,
        /** Empirical CDF in [0, 1] from up to 101 training quantiles. */
        QUANTILE;

        /**
         * @param s the name, case-insensitive
         * @return the kind
         * @throws BadInputException when unknown
         */
        public static Kind parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new BadInputException("normalizer kind \"" + s + "\": expected one of " + Arrays.toString(values()));
            }
        }
    }

    private static final int QUANTILES = 101;

    private final Kind kind;
    /** [mean(raw), a, b] for most kinds; for QUANTILE [mean(raw), q0..q100]. */
    private final double[] params;

    private NumericNormalizer(Kind kind, double[] params) {
        this.kind = kind;
        this.params = params;
    }

    /**
     * Rebuilds a fitted normaliser from saved parameters.
     *
     * @param kind the kind
     * @param params the parameters from {@link #params()}
     * @return the normaliser
     * @throws BadInputException when the parameters do not fit the kind
     */
    public static NumericNormalizer of(Kind kind, double[] params) {
        if (kind == null || params == null) {
            throw new BadInputException("normalizer: 'kind' and 'params' are required");
        }
        int need = kind == Kind.QUANTILE ? -1 : 3;
        if ((need > 0 && params.length != need) || (need < 0 && params.length < 2)) {
            throw new BadInputException("normalizer " + kind + ": expected " + (need > 0 ? need : ">= 2")
                    + " parameters, got " + params.length);
        }
        for (int i = 0; i < params.length; i++) {
            if (!Double.isFinite(params[i])) {
                throw new BadInputException("normalizer " + kind + ": 'params[" + i + "]' must be finite, was " + params[i]);
            }
        }
        return new NumericNormalizer(kind, params.clone());
    }

    /**
     * Fits on training values (non-finite values are ignored; an empty sample gives a neutral fit).
     *
     * @param kind the kind
     * @param values the training values
     * @return the fitted normaliser
     */
    public static NumericNormalizer fit(Kind kind, double[] values) {
        if (kind == null) {
            throw new BadInputException("normalizer: 'kind' is required");
        }
        double[] v = Arrays.stream(values == null ? new double[0] : values).filter(Double::isFinite).toArray();
        double mean = mean(v);
        switch (kind) {
            case IDENTITY:
            case LOG1P:
                return new NumericNormalizer(kind, new double[] {mean, 0, 1});
            case ZSCORE:
                return new NumericNormalizer(kind, new double[] {mean, mean, sd(v, mean)});
            case LOG1P_ZSCORE: {
                double[] l = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    l[i] = Math.log1p(Math.max(0, v[i]));
                }
                double m = mean(l);
                return new NumericNormalizer(kind, new double[] {mean, m, sd(l, m)});
            }
            case MINMAX: {
                double lo = 0;
                double hi = 1;
                if (v.length > 0) {
                    lo = Arrays.stream(v).min().getAsDouble();
                    hi = Arrays.stream(v).max().getAsDouble();
                }
                return new NumericNormalizer(kind, new double[] {mean, lo, hi});
            }
            case QUANTILE: {
                double[] p = new double[QUANTILES + 1];
                p[0] = mean;
                if (v.length == 0) {
                    Arrays.fill(p, 1, p.length, 0.0);
                } else {
                    double[] s = v.clone();
                    Arrays.sort(s);
                    for (int q = 0; q < QUANTILES; q++) {
                        double pos = q * (s.length - 1) / (double) (QUANTILES - 1);
                        int lo = (int) Math.floor(pos);
                        int hi = Math.min(s.length - 1, lo + 1);
                        p[q + 1] = s[lo] + (s[hi] - s[lo]) * (pos - lo);
                    }
                }
                return new NumericNormalizer(kind, p);
            }
            default:
                throw new IllegalStateException("unhandled kind " + kind);
        }
    }

    private static double mean(double[] v) {
        if (v.length == 0) {
            return 0;
        }
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double sd(double[] v, double mean) {
        if (v.length < 2) {
            return 1;
        }
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(s / v.length);
        return sd > 1e-12 ? sd : 1;
    }

    /**
     * @param x a raw value; non-finite is replaced by the training mean
     * @return the normalised value, finite
     */
    public double apply(double x) {
        if (!Double.isFinite(x)) {
            x = params[0];
        }
        switch (kind) {
            case IDENTITY:
                return x;
            case LOG1P:
                return Math.log1p(Math.max(0, x));
            case ZSCORE:
                return (x - params[1]) / params[2];
            case LOG1P_ZSCORE:
                return (Math.log1p(Math.max(0, x)) - params[1]) / params[2];
            case MINMAX: {
                double r = params[2] - params[1];
                if (r <= 0) {
                    return 0;
                }
                return Math.min(1, Math.max(0, (x - params[1]) / r));
            }
            case QUANTILE:
                return cdf(x);
            default:
                throw new IllegalStateException("unhandled kind " + kind);
        }
    }

    private double cdf(double x) {
        int n = params.length - 1;
        if (x <= params[1]) {
            return 0;
        }
        if (x >= params[n]) {
            return 1;
        }
        // binary search the first breakpoint > x
        int lo = 1;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (params[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int j = lo; // params[j] > x >= params[j-1]
        double a = params[j - 1];
        double b = params[j];
        double frac = b > a ? (x - a) / (b - a) : 0;
        return ((j - 2) + frac) / (n - 1);
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return a copy of the fitted parameters (first the training mean of the raw values) */
    public double[] params() {
        return params.clone();
    }

    /** @return the smallest value {@link #apply} can return for training-range inputs (a schema bound) */
    public double lowerBound() {
        switch (kind) {
            case MINMAX:
            case QUANTILE:
            case LOG1P:
                return 0;
            default:
                return Double.NEGATIVE_INFINITY;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumericNormalizer && ((NumericNormalizer) o).kind == kind
                && Arrays.equals(((NumericNormalizer) o).params, params);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(params);
    }

    @Override
    public String toString() {
        return "NumericNormalizer{" + kind + ", params=" + (params.length > 4 ? params.length + " values" : Arrays.toString(params)) + "}";
    }
}
