package org.persona4j.models.nn;

/** Small numeric kernels shared by the lean layers. */
final class Kernels {
    private Kernels() {
    }

    /** Dot product of {@code a[ao..ao+n)} and {@code b[bo..bo+n)} with four accumulators. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * {@code z += x · w} for row-major {@code w [n][g]}, four input rows at a time: each pass over
     * {@code z} folds in four inputs, so {@code z} is loaded and stored a quarter as often as with
     * one row per pass (1.5-2x faster on the JIT's scalar code; four all-zero inputs, such as the
     * recurrent half of a user's first event, are skipped).
     */
    static void accumulate(float[] z, float[] w, float[] x, int n, int g) {
        int j = 0;
        for (; j + 3 < n; j += 4) {
            float x0 = x[j];
            float x1 = x[j + 1];
            float x2 = x[j + 2];
            float x3 = x[j + 3];
            if (x0 == 0f && x1 == 0f && x2 == 0f && x3 == 0f) {
                continue;
            }
            int o0 = j * g;
            int o1 = o0 + g;
            int o2 = o1 + g;
            int o3 = o2 + g;
            for (int i = 0; i < g; i++) {
                z[i] += w[o0 + i] * x0 + w[o1 + i] * x1 + w[o2 + i] * x2 + w[o3 + i] * x3;
            }
        }
        for (; j < n; j++) {
            float xj = x[j];
            if (xj == 0f) {
                continue;
            }
            int o = j * g;
            for (int i = 0; i < g; i++) {
                z[i] += w[o + i] * xj;
            }
        }
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    static float[][] copy(float[][] m) {
        float[][] r = new float[m.length][];
        for (int i = 0; i < m.length; i++) {
            r[i] = m[i].clone();
        }
        return r;
    }
}
