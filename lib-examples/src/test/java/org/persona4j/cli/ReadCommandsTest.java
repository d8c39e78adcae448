package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReadCommandsTest {
    @TempDir
    Path dir;

    private static final String EVENTS = "user_id,item_id,event_type,timestamp\nu1,i1,VIEW,1000\nu1,i2,buy,2000\nu2,i1,VIEW,3000\n";

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void statsPrintsTableAndReport() throws IOException {
        Path f = dir.resolve("events.csv");
        Files.writeString(f, EVENTS + "u3,i3,JUMP,4000\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(2, run(out, err, "stats", "--format", "events-csv", "--input", f.toString(), "--quiet"));
        assertTrue(err.toString().contains("events.csv:5: field 'event_type'"), err.toString());
        out = new StringWriter();
        assertEquals(0, run(out, new StringWriter(), "stats", "--format", "events-csv", "--input", f.toString(), "--lenient", "--quiet"));
        String s = out.toString();
        assertTrue(s.matches("(?s).*events\\s+3\\n.*"), s);
        assertTrue(s.matches("(?s).*users\\s+2\\n.*"), s);
        assertTrue(s.contains("PURCHASE"), s);
        assertTrue(s.matches("(?s).*event_type: unknown event type\\s+1\\n.*"), s);
    }

    @Test
    void statsLoadCountsSideFiles() throws IOException {
        Files.writeString(dir.resolve("events.csv"), EVENTS);
        Files.writeString(dir.resolve("items.csv"), "item_id,category_path\ni1,A > B\ni2,A\ni3,C\n");
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, new StringWriter(), "stats", "--format", "events-csv", "--input", dir.toString(), "--load", "--quiet"));
        assertTrue(out.toString().matches("(?s).*catalogue items\\s+3\\n.*"), out.toString());
        assertTrue(out.toString().matches("(?s).*user records\\s+0\\n.*"), out.toString());
    }

    @Test
    void unknownFormatIsAUsageError() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "stats", "--format", "xml", "--input", "x"));
        assertTrue(err.toString().contains("events-csv, taobao"), err.toString());
    }

    @Test
    void benchReadWritesJson() throws IOException {
        Path f = dir.resolve("events.csv");
        Files.writeString(f, EVENTS);
        Path json = dir.resolve("bench.json");
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, new StringWriter(), "bench-read", "--format", "events-csv", "--input", f.toString(),
                "--repeat", "3", "--json", json.toString(), "--quiet"));
        JsonNode n = new ObjectMapper().readTree(json.toFile());
        assertEquals(3, n.get("events").asLong());
        assertEquals(3, n.get("runSeconds").size());
        assertTrue(n.get("bestEventsPerSecond").asDouble() >= n.get("medianEventsPerSecond").asDouble());
        assertTrue(out.toString().contains("best"), out.toString());
    }
}
