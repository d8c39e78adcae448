package org.persona4j.synth;

/**
 * A small SplitMix64 generator. Every stream is seeded from the shop seed and the coordinates of
 * what it generates (user, day, item), so results never depend on the order or the thread in
 * which the pieces are produced. Uses {@link StrictMath} so that files are byte-identical on every
 * JVM. Not thread-safe; cheap to create.
 */
final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    /** @return a seed for the stream at coordinates (a, b) of the shop with the given seed */
    static long seedOf(long seed, long a, long b) {
        return mix(mix(seed + GOLDEN * (a + 1)) ^ (b * 0xD1B54A32D192ED03L + 0x632BE59BD9B4E019L));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** @return uniform in [0, 1) */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** @return uniform in [0, n), n in [1, 2^31) */
    int nextInt(int n) {
        return (int) (((nextLong() >>> 33) * n) >>> 31);
    }

    /** @return uniform in [lo, hi] */
    int between(int lo, int hi) {
        return lo + nextInt(hi - lo + 1);
    }

    boolean chance(double p) {
        return nextDouble() < p;
    }

    /** @return a standard normal deviate (Box-Muller) */
    double gaussian() {
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /** @return exp(mu + sigma * N(0,1)) */
    double logNormal(double mu, double sigma) {
        return StrictMath.exp(mu + sigma * gaussian());
    }

    /** @return a Poisson deviate (Knuth; meant for small means) */
    int poisson(double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        double l = StrictMath.exp(-Math.min(lambda, 60));
        int k = 0;
        double p = nextDouble();
        while (p > l) {
            k++;
            p *= nextDouble();
        }
        return k;
    }

    /** @return failures before the first success with success probability p */
    int geometric(double p) {
        double u = 1.0 - nextDouble();
        return (int) Math.floor(StrictMath.log(u) / StrictMath.log(1.0 - p));
    }

    /** @return an index drawn from cumulative weights (last element = total) */
    int pick(double[] cumulative) {
        double x = nextDouble() * cumulative[cumulative.length - 1];
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > x) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    <T> T of(T[] values) {
        return values[nextInt(values.length)];
    }
}
