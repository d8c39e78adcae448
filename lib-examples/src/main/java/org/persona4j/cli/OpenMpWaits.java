package org.persona4j.cli;

/**
 * Makes the OpenMP runtime's idle workers sleep instead of spin ({@code OMP_WAIT_POLICY=PASSIVE}),
 * before ND4J's native library (and with it the OpenMP runtime) loads. ND4J runs its element-wise
 * operations on OpenMP workers and its matrix products on OpenBLAS's own threads; with the default
 * active policy the OpenMP workers spin after every operation and take the cores from OpenBLAS's
 * threads. Training alternates the two kinds of operation at every step of the LSTM recurrence, and
 * on a 2-core machine it ran 1.65x faster with the passive policy (docs/benchmarks.md). The CLI is
 * the process owner, so it may set the variable for itself; the library never does (a host process
 * sets it in its own environment). A value already in the environment is kept.
 */
final class OpenMpWaits {
    static final String VARIABLE = "OMP_WAIT_POLICY";
    /** The policy in force, for reports. */
    static final String PROPERTY = "persona4j.omp.wait_policy";

    private OpenMpWaits() {
    }

    /**
     * Sets {@code OMP_WAIT_POLICY=PASSIVE} in this process's C environment unless it is set or
     * {@code keep} is true; records the policy in force in {@link #PROPERTY}.
     *
     * @return the policy in force, or null for the runtime's default
     */
    static String select(boolean keep) {
        String current = System.getenv(VARIABLE);
        String policy = current;
        if (current == null && !keep) {
            try {
                BenchTrainCommand.CLib c = (BenchTrainCommand.CLib) com.sun.jna.Native.loadLibrary("c", BenchTrainCommand.CLib.class);
                if (c.setenv(VARIABLE, "PASSIVE", 0) == 0) {
                    policy = "PASSIVE";
                }
            } catch (LinkageError | RuntimeException e) {
                policy = null;
            }
        }
        if (policy != null) {
            System.setProperty(PROPERTY, policy);
        } else {
            System.clearProperty(PROPERTY);
        }
        return policy;
    }

    /** @return the policy in force as {@link #select} left it, or "default" */
    static String inForce() {
        return System.getProperty(PROPERTY, "default");
    }
}
