package org.persona4j.examples.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java block in the README and docs/ is compiled code: it is preceded by
 * {@code <!-- snippet: NAME -->}, and its lines are exactly the region between
 * {@code // snippet:start NAME} and {@code // snippet:end} of a class in this package (which
 * {@code mvn verify} compiles), give or take indentation; its imports are that class's imports.
 */
class DocSnippetsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Where snippet regions live: this package, the Spring Boot starter's test application and the Spark jobs' tests. */
    private static final List<Path> SOURCES = List.of(Path.of("src/test/java/org/persona4j/examples/docs"),
            ROOT.resolve("lib-models/spring-boot-starter/src/test/java"), ROOT.resolve("lib-examples/hosts/spark-job/src/test/java"),
            ROOT.resolve("lib-examples/hosts/spark-train-job/src/test/java"));
    private static final Pattern MARKER = Pattern.compile("^<!--\\s*snippet:\\s*([a-z0-9-]+)\\b.*-->\\s*$");

    private record Region(Path file, List<String> lines, List<String> imports) {
    }

    @Test
    void everyJavaBlockInTheDocsIsCompiledSource() throws IOException {
        Map<String, Region> regions = regions();
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path doc : docs) {
            List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).strip().equals("```java")) {
                    continue;
                }
                String where = ROOT.relativize(doc) + ":" + (i + 1);
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                    end++;
                }
                List<String> block = lines.subList(i + 1, end);
                int m = i - 1;
                while (m >= 0 && lines.get(m).isBlank()) {
                    m--;
                }
                Matcher mk = m >= 0 ? MARKER.matcher(lines.get(m).strip()) : null;
                if (mk == null || !mk.matches()) {
                    if (!ALLOWED_UNMARKED.contains(ROOT.relativize(doc).toString())) {
                        problems.add(where + ": a java block without a <!-- snippet: NAME --> line before it");
                    }
                    i = end;
                    continue;
                }
                Region r = regions.get(mk.group(1));
                if (r == null) {
                    problems.add(where + ": no '// snippet:start " + mk.group(1) + "' in " + SOURCES);
                } else {
                    compare(where, block, r, problems);
                    checked++;
                }
                i = end;
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(checked >= 1, "no snippet checked");
    }

    /** Pages whose Java blocks need not be compiled snippets: none. */
    private static final java.util.Set<String> ALLOWED_UNMARKED = java.util.Set.of();

    private static void compare(String where, List<String> block, Region r, List<String> problems) {
        List<String> body = new ArrayList<>();
        for (String l : block) {
            if (l.startsWith("import ")) {
                if (!r.imports.contains(l.strip())) {
                    problems.add(where + ": import not in " + r.file.getFileName() + ": " + l.strip());
                }
            } else {
                body.add(l.stripTrailing());
            }
        }
        while (!body.isEmpty() && body.get(0).isEmpty()) {
            body.remove(0);
        }
        while (!body.isEmpty() && body.get(body.size() - 1).isEmpty()) {
            body.remove(body.size() - 1);
        }
        List<String> src = r.lines;
        int n = Math.max(body.size(), src.size());
        for (int k = 0; k < n; k++) {
            String d = k < body.size() ? body.get(k) : "<end>";
            String s = k < src.size() ? src.get(k) : "<end>";
            if (!d.equals(s)) {
                problems.add(where + ", line " + (k + 1) + " of the block differs from " + r.file.getFileName()
                        + "\n    doc:    " + d + "\n    source: " + s);
                return;
            }
        }
    }

    private static Map<String, Region> regions() throws IOException {
        Map<String, Region> out = new HashMap<>();
        List<Path> files = new ArrayList<>();
        for (Path root : SOURCES) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
            }
        }
        {
            for (Path f : files) {
                List<String> lines = Files.readAllLines(f);
                List<String> imports = lines.stream().filter(l -> l.startsWith("import ")).map(String::strip).toList();
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i).strip();
                    if (l.startsWith("// snippet:start ")) {
                        String name = l.substring("// snippet:start ".length()).strip().split("\\s+")[0];
                        List<String> region = new ArrayList<>();
                        int j = i + 1;
                        while (j < lines.size() && !lines.get(j).strip().equals("// snippet:end")) {
                            region.add(lines.get(j));
                            j++;
                        }
                        if (out.put(name, new Region(f, dedent(region), imports)) != null) {
                            throw new IllegalStateException("snippet " + name + " defined twice");
                        }
                        i = j;
                    }
                }
            }
        }
        return out;
    }

    private static List<String> dedent(List<String> lines) {
        int indent = Integer.MAX_VALUE;
        for (String l : lines) {
            if (!l.isBlank()) {
                indent = Math.min(indent, l.length() - l.stripLeading().length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            out.add(l.isBlank() ? "" : l.substring(indent).stripTrailing());
        }
        return out;
    }
}
