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

class QuickstartCommandTest {
    @Test
    void runsEndToEndOnASmallShop(@TempDir Path dir) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        int code = cl.execute("quickstart", "--users", "120", "--items", "300", "--epochs", "1", "--quiet", "--out", dir.toString());
        String text = out.toString();
        assertEquals(0, code, text);
        assertTrue(Files.exists(dir.resolve("shop/events.csv")));
        assertTrue(text.contains("0 skipped"), text);
        assertTrue(text.contains("users                            120"), text);
        assertTrue(Files.exists(dir.resolve("profile-model.zip")));
        assertTrue(text.contains("epoch 1: loss"), text);
        assertTrue(text.contains("purchase propensity"), text);
        assertTrue(text.contains("vectors: long-term user embeddings"), text);
        assertTrue(text.contains("agreement with the planted personas (adjusted Rand index): behaviour vectors"), text);
        assertTrue(Files.exists(dir.resolve("segments-model/segments.csv")));
        assertTrue(text.contains("quickstart finished"), text);
    }
}
