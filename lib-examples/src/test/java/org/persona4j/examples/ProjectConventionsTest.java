package org.persona4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
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
            "lib-models/engine", "lib-models/store-rocksdb", "lib-models/store-redis", "lib-models/spring-boot-starter",
            "lib-models/profile-eval", "lib-spark", "lib-examples");
    /** Every library module except the DL4J training module: serving and everything around it run without ND4J. */
    private static final List<String> ENGINE_FREE = List.of("lib-core", "lib-features", "lib-models/testkit",
            "lib-models/profile", "lib-models/recommend", "lib-models/segment", "lib-models/engine",
            "lib-models/store-rocksdb", "lib-models/store-redis", "lib-models/spring-boot-starter", "lib-models/profile-eval",
            "lib-spark");

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

    /**
     * A host that imports persona4j-bom gets the third-party versions the build uses: every
     * third-party library the root pom manages for main code is managed by the BOM too, and every
     * version property the BOM uses has the root pom's value.
     */
    @Test
    void bomPinsTheVersionsTheBuildUses() throws Exception {
        Document root = parse(ROOT.resolve("pom.xml"));
        Document bom = parse(ROOT.resolve("bom/pom.xml"));
        Map<String, String> rootProps = properties(root);
        Map<String, String> bomProps = properties(bom);
        for (Map.Entry<String, String> e : bomProps.entrySet()) {
            assertEquals(rootProps.get(e.getKey()), e.getValue(), "bom/pom.xml property " + e.getKey() + " differs from pom.xml's");
        }
        // test-only and tool libraries a host never inherits from the SDK's main jars
        java.util.Set<String> notForHosts = java.util.Set.of("org.slf4j:slf4j-simple", "info.picocli:picocli", "org.junit:junit-bom",
                "org.openjdk.jmh:jmh-core", "org.openjdk.jmh:jmh-generator-annprocess", "org.assertj:assertj-core",
                // the Spring Boot starter's Spring and Micrometer: the host's own Spring Boot version manages
                // them, so the BOM must not pin them (imported before Boot's BOM it would override the host's)
                "org.springframework:spring-framework-bom", "io.micrometer:micrometer-bom",
                "org.springframework.boot:spring-boot", "org.springframework.boot:spring-boot-autoconfigure",
                "org.springframework.boot:spring-boot-actuator", "org.springframework.boot:spring-boot-actuator-autoconfigure",
                "org.springframework.boot:spring-boot-test");
        TreeSet<String> missing = new TreeSet<>();
        Map<String, String> bomManaged = managed(bom, bomProps);
        for (Map.Entry<String, String> e : managed(root, rootProps).entrySet()) {
            String ga = e.getKey();
            String[] parts = ga.split(":");
            if (parts[0].equals("org.persona4j") || notForHosts.contains(parts[0] + ":" + parts[1])) {
                continue;
            }
            if (!e.getValue().equals(bomManaged.get(ga))) {
                missing.add(ga + " " + e.getValue() + " (bom: " + bomManaged.get(ga) + ")");
            }
        }
        assertTrue(missing.isEmpty(), "third-party versions the build manages but the BOM does not pin alike: " + missing);
    }

    private static Document parse(Path pom) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(pom.toFile());
    }

    private static Map<String, String> properties(Document d) {
        Map<String, String> out = new TreeMap<>();
        for (Node n = d.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el && el.getTagName().equals("properties")) {
                for (Node p = el.getFirstChild(); p != null; p = p.getNextSibling()) {
                    if (p instanceof Element pe) {
                        out.put(pe.getTagName(), pe.getTextContent().trim());
                    }
                }
            }
        }
        return out;
    }

    /** groupId:artifactId[:classifier] of the top-level dependencyManagement → resolved version. */
    private static Map<String, String> managed(Document d, Map<String, String> props) {
        Map<String, String> out = new TreeMap<>();
        for (Node n = d.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el && el.getTagName().equals("dependencyManagement")) {
                NodeList deps = el.getElementsByTagName("dependency");
                for (int i = 0; i < deps.getLength(); i++) {
                    Element dep = (Element) deps.item(i);
                    String classifier = child(dep, "classifier");
                    if (classifier != null && classifier.startsWith("${")) {
                        classifier = props.getOrDefault(classifier.substring(2, classifier.length() - 1), classifier);
                        if (classifier.startsWith("${")) {
                            classifier = props.getOrDefault(classifier.substring(2, classifier.length() - 1), classifier);
                        }
                    }
                    String version = child(dep, "version");
                    if (version != null && version.startsWith("${")) {
                        version = props.getOrDefault(version.substring(2, version.length() - 1), version);
                    }
                    out.put(child(dep, "groupId") + ":" + child(dep, "artifactId") + (classifier == null ? "" : ":" + classifier), version);
                }
            }
        }
        return out;
    }

    private static String child(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        return l.getLength() == 0 ? null : l.item(0).getTextContent().trim();
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
