package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.Progress;
import picocli.CommandLine;

class MainTest {
    @Test
    void helpListsDiscoveredSubcommands() {
        CommandLine cl = Main.commandLine();
        StringWriter sw = new StringWriter();
        cl.setOut(new PrintWriter(sw));
        assertEquals(0, cl.execute("--help"));
        assertTrue(sw.toString().contains("info"), sw.toString());
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, cl.execute("no-such-command"));
    }

    @Test
    void progressLineShowsRateAndEta() {
        String s = ConsoleProgress.render(new Progress("read", 50, 100, "events", 1_000_000_000L, Map.of()));
        assertTrue(s.contains("50%"), s);
        assertTrue(s.contains("50 events/s"), s);
        assertTrue(s.contains("ETA 0m01s"), s);
    }
}
