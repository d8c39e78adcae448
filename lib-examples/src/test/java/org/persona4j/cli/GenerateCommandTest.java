package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheFilesAndASummary() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        int rc = cl.execute("generate", "--users", "50", "--items", "80", "--seed", "5", "--days", "7", "--noise", "--quiet",
                "--out", dir.toString());
        assertEquals(0, rc, out.toString());
        for (String f : new String[] {"events.csv", "items.csv", "users.csv", "personas.csv", "personas.json"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertEquals(51, Files.readAllLines(dir.resolve("personas.csv")).size());
        String s = out.toString();
        assertTrue(s.contains("PURCHASE") && s.contains("users      50") && s.contains("events.csv"), s);
    }

    @Test
    void badOptionsAreUsageErrors() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("generate", "--users", "0", "--out", dir.toString()));
        assertTrue(err.toString().contains("'users'"), err.toString());
        assertEquals(2, cl.execute("generate", "--preset", "huge", "--out", dir.toString()));
    }
}
