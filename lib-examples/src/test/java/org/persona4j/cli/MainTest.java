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

    @Test
    void slowTrainingShowsItsRateAndOneEtaForAllEpochs() {
        // 3 batches in 10 s of epoch 2; the trainer says 542.97 s are left for all epochs
        String s = ConsoleProgress.render(new Progress("epoch 2/4", 3, 40, "batches", 10_000_000_000L,
                Map.of("loss", 5.123456789, "events/s", 1234.5, "eta_s", 542.97)));
        assertTrue(s.contains("0.30 batches/s"), s);
        assertTrue(s.contains("ETA 9m03s"), s);
        assertEquals(1, s.split("ETA", -1).length - 1, "one ETA: " + s);
        assertTrue(!s.contains("eta_s"), s);
        assertTrue(s.contains("loss 5.123 ") || s.endsWith("loss 5.123"), s);
        assertTrue(s.contains("events/s 1,234") || s.contains("events/s 1,235"), s);
    }

    @Test
    void epochFiguresHaveFourSignificantDigits() {
        assertEquals(", validation hr@10 0.8500, ndcg@10 0.3969",
                TrainCommand.metrics(new java.util.LinkedHashMap<>(Map.of("hr@10", 0.85)) {{ put("ndcg@10", 0.39691792256274244); }}, ", validation "));
        assertEquals("", TrainCommand.metrics(Map.of(), "x"));
    }
}
