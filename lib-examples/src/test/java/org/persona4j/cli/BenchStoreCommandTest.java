package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchStoreCommandTest {
    @TempDir
    Path tmp;

    @Test
    void smallRunReportsEveryStoreAndOperation() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        Path json = tmp.resolve("figures.json");
        int rc = cl.execute("bench-store", "--stores", "in-memory,rocksdb-buffered", "--threads", "2", "--users", "50", "--ops", "200",
                "--dim", "8", "--dir", tmp.resolve("db").toString(), "--json", json.toString());
        assertEquals(0, rc, out.toString());
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertEquals(4, doc.get("results").size(), doc.toString());
        for (JsonNode r : doc.get("results")) {
            assertEquals(200, r.get("ops").asLong());
            assertTrue(r.get("opsPerSecond").asDouble() > 0);
            assertTrue(r.get("p99Micros").asDouble() >= r.get("p50Micros").asDouble());
        }
        assertTrue(out.toString().contains("rocksdb-buffered   get"), out.toString());
    }

    @Test
    void unknownStoreIsAUsageError() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("bench-store", "--stores", "mongo", "--users", "5", "--ops", "10"));
        assertTrue(err.toString().contains("unknown store 'mongo'"), err.toString());
    }
}
