package org.persona4j.models.backend;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * What ND4J runs on, as plain values: backend (CPU or CUDA), native build (the nd4j-native
 * classifier found on the class path, e.g. {@code linux-x86_64-avx2}), default floating-point
 * data type, OpenMP and BLAS thread counts, BLAS vendor and ND4J version. {@link #current()} only
 * reads; it changes no global setting (it does load the backend if it was not loaded yet).
 *
 * @param backend {@code CPU} or {@code CUDA} (or the backend class name if neither)
 * @param nativeBuild the native build variant, {@code unknown} if it cannot be told
 * @param dataType ND4J's default floating-point data type, e.g. {@code FLOAT}
 * @param ompThreads OpenMP's maximum thread count
 * @param blasThreads the BLAS library's maximum thread count
 * @param blasVendor the BLAS vendor, e.g. {@code OPENBLAS}
 * @param nd4jVersion the ND4J version from its jar manifest, {@code unknown} if absent
 */
public record BackendInfo(String backend, String nativeBuild, String dataType, int ompThreads,
                          int blasThreads, String blasVendor, String nd4jVersion) {

    private static final String[] CPU_BUILDS = {
        "linux-x86_64-onednn-avx512", "linux-x86_64-onednn-avx2", "linux-x86_64-onednn",
        "linux-x86_64-avx512", "linux-x86_64-avx2", "linux-x86_64",
        "linux-arm64", "macosx-x86_64", "macosx-arm64", "windows-x86_64"};

    /** Reads the current backend's description. */
    public static BackendInfo current() {
        boolean cpu = Nd4j.getEnvironment().isCPU();
        String backendClass = Nd4j.getBackend().getClass().getSimpleName();
        String backend = cpu ? "CPU" : backendClass.toLowerCase(java.util.Locale.ROOT).contains("cuda") ? "CUDA" : backendClass;
        int omp = -1;
        try {
            omp = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        } catch (RuntimeException | LinkageError e) {
            omp = Nd4j.getEnvironment().maxThreads();
        }
        int blas = -1;
        String vendor = "unknown";
        try {
            blas = Nd4j.factory().blas().getMaxThreads();
            vendor = String.valueOf(Nd4j.factory().blas().getBlasVendor());
        } catch (RuntimeException | LinkageError e) {
            // the backend has no BLAS wrapper to ask; keep the unknowns
        }
        String version = Nd4j.class.getPackage().getImplementationVersion();
        return new BackendInfo(backend, cpu ? cpuBuild() : "cuda", Nd4j.defaultFloatingPointType().name(), omp, blas,
                vendor, version == null ? nd4jVersionFromPom() : version);
    }

    private static String cpuBuild() {
        // the native library javacpp actually loaded names its build directory
        try {
            for (String path : org.bytedeco.javacpp.Loader.getLoadedLibraries().values()) {
                if (path != null && path.contains("jnind4jcpu")) {
                    for (String b : CPU_BUILDS) {
                        if (path.contains("/" + b + "/") || path.contains("\\" + b + "\\")) {
                            return b;
                        }
                    }
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // fall back to the class path below
        }
        ClassLoader cl = BackendInfo.class.getClassLoader();
        for (String b : CPU_BUILDS) {
            String dir = "org/nd4j/linalg/cpu/nativecpu/bindings/" + b + "/";
            if (cl.getResource(dir + "libjnind4jcpu.so") != null || cl.getResource(dir + "libjnind4jcpu.dylib") != null
                    || cl.getResource(dir + "jnind4jcpu.dll") != null) {
                return b;
            }
        }
        return "unknown";
    }

    private static String nd4jVersionFromPom() {
        try (var in = Nd4j.class.getClassLoader().getResourceAsStream("META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** The fields as an ordered map (for JSON reports). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend);
        m.put("native_build", nativeBuild);
        m.put("data_type", dataType);
        m.put("omp_threads", ompThreads);
        m.put("blas_threads", blasThreads);
        m.put("blas_vendor", blasVendor);
        m.put("nd4j_version", nd4jVersion);
        return m;
    }
}
