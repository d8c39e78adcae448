package org.persona4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks habits the whole code base keeps: a package-info.java in every package, no ND4J or DL4J
 * type outside the training module (lib-models/profile-train) and the examples, and no Java
 * serialization in main sources.
 */
class ProjectConventionsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> MODULES = List.of("lib-core", "lib-features", "lib-models/testkit",
            "lib-models/profile", "lib-models/profile-train", "lib-models/recommend", "lib-models/segment",
            "lib-models/engine", "lib-models/store-rocksdb", "lib-models/store-redis", "lib-examples");
    /** Every library module except the DL4J training module: serving and everything around it run without ND4J. */
    private static final List<String> ENGINE_FREE = List.of("lib-core", "lib-features", "lib-models/testkit",
            "lib-models/profile", "lib-models/recommend", "lib-models/segment", "lib-models/engine",
            "lib-models/store-rocksdb", "lib-models/store-redis");

    @Test
    void everyPackageHasPackageInfo() throws IOException {
        List<String> missing = new ArrayList<>();
        for (String m : MODULES) {
            Path src = ROOT.resolve(m).resolve("src/main/java");
            if (!Files.isDirectory(src)) {
                continue;
            }
            try (Stream<Path> dirs = Files.walk(src)) {
                dirs.filter(Files::isDirectory).forEach(d -> {
                    try (Stream<Path> files = Files.list(d)) {
                        boolean hasJava = files.anyMatch(f -> f.toString().endsWith(".java"));
                        if (hasJava && !Files.exists(d.resolve("package-info.java"))) {
                            missing.add(ROOT.relativize(d).toString());
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }
        assertTrue(missing.isEmpty(), "packages without package-info.java: " + missing);
    }

    @Test
    void engineFreeModulesDoNotImportNd4j() throws IOException {
        Pattern engine = Pattern.compile("^import\\s+(static\\s+)?org\\.(nd4j|deeplearning4j|bytedeco)\\.", Pattern.MULTILINE);
        List<String> offenders = new ArrayList<>();
        for (String m : ENGINE_FREE) {
            scan(ROOT.resolve(m).resolve("src/main/java"), engine, offenders);
        }
        assertTrue(offenders.isEmpty(), "ND4J/DL4J imported in an engine-free module: " + offenders);
    }

    @Test
    void noJavaSerialization() throws IOException {
        Pattern ser = Pattern.compile("\\b(ObjectInputStream|ObjectOutputStream)\\b");
        List<String> offenders = new ArrayList<>();
        for (String m : MODULES) {
            scan(ROOT.resolve(m).resolve("src/main/java"), ser, offenders);
        }
        assertTrue(offenders.isEmpty(), "Java serialization used in: " + offenders);
    }

    private static void scan(Path src, Pattern p, List<String> offenders) throws IOException {
        if (!Files.isDirectory(src)) {
            return;
        }
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".java"))::iterator) {
                if (p.matcher(Files.readString(f)).find()) {
                    offenders.add(ROOT.relativize(f).toString());
                }
            }
        }
    }
}
