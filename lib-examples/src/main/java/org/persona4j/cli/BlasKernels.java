package org.persona4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Picks OpenBLAS's AVX-512 kernels on CPUs that have AVX-512 but that the OpenBLAS bundled with
 * ND4J (0.3.21) does not recognise, before the native libraries load. That OpenBLAS falls back to
 * older kernels on such CPUs (SSE3 "Prescott" on Intel model 207, the AVX2 Zen kernels on AMD Zen 4),
 * which halves the speed of the training GEMMs; {@code OPENBLAS_CORETYPE=SkylakeX} selects the
 * AVX-512 kernels a newer OpenBLAS would pick. The CLI is the process owner, so it may set the
 * variable for itself; the library never does. A value already in the environment is kept (set
 * {@code OPENBLAS_CORETYPE} to any kernel name, or {@code PERSONA4J_BLAS_CORETYPE=keep}, to opt out).
 */
final class BlasKernels {
    static final String VARIABLE = "OPENBLAS_CORETYPE";
    private static final List<String> AVX512 = List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");

    private BlasKernels() {
    }

    /**
     * Sets {@code OPENBLAS_CORETYPE=SkylakeX} in this process's C environment when it is unset and the
     * CPU has AVX-512 (F, CD, BW, DQ, VL); must run before ND4J loads its native libraries.
     *
     * @return the kernel setting in force after the call, or null for OpenBLAS's own detection
     */
    static String select() {
        String current = System.getenv(VARIABLE);
        if (current != null || "keep".equalsIgnoreCase(System.getenv("PERSONA4J_BLAS_CORETYPE"))) {
            return current;
        }
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
                || !Set.of("amd64", "x86_64").contains(System.getProperty("os.arch", ""))) {
            return null;
        }
        if (!hasAvx512(Path.of("/proc/cpuinfo"))) {
            return null;
        }
        try {
            BenchTrainCommand.CLib c = (BenchTrainCommand.CLib) com.sun.jna.Native.loadLibrary("c", BenchTrainCommand.CLib.class);
            return c.setenv(VARIABLE, "SkylakeX", 0) == 0 ? "SkylakeX" : null;
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    /** Whether the first CPU's flags in a {@code /proc/cpuinfo} file include every AVX-512 subset the kernels use. */
    static boolean hasAvx512(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("flags")) {
                    Set<String> flags = Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                    return flags.containsAll(AVX512);
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
