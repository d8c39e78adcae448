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

/** The CLI's error cases (README, "CLI errors"): one line naming what and where, no stack trace. */
class CliErrorsTest {
    @TempDir
    Path dir;

    private record Result(int rc, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new Result(rc, out.toString(), err.toString().strip());
    }

    private static void noStackTrace(Result r) {
        assertTrue(!r.err.contains("\tat ") && !r.err.contains("Exception"), r.err);
    }

    @Test
    void aMissingModelIsOneLineBeforeAnyDataIsRead() throws Exception {
        Path events = dir.resolve("events.csv");
        Files.writeString(events, "user_id,item_id,event_type,timestamp\nu1,i1,view,1700000000000\n");
        Path nope = dir.resolve("nope.zip");
        Result serve = run("serve", "--port", "0", "--model", nope.toString(), "--store", dir.resolve("db").toString());
        assertEquals(2, serve.rc, serve.err);
        assertEquals("error: --model: file not found: " + nope, serve.err);
        Result segment = run("segment", "--input", events.toString(), "--model", nope.toString(), "--out", dir.resolve("seg").toString());
        assertEquals(2, segment.rc, segment.err);
        assertEquals("error: --model: file not found: " + nope, segment.err);
        assertTrue(!segment.out.contains("read "), "no data read before the check: " + segment.out);
    }

    @Test
    void segmentRefusesBadKBeforeReadingAnything() throws Exception {
        Path events = dir.resolve("events.csv");
        Files.writeString(events, "user_id,item_id,event_type,timestamp\nu1,i1,view,1700000000000\n");
        Result r = run("segment", "--input", events.toString(), "--out", dir.resolve("seg").toString(), "--k-min", "5", "--k-max", "3");
        assertEquals(2, r.rc, r.err);
        assertTrue(!r.out.contains("read "), "nothing read: " + r.out);
        assertEquals(1, r.err.lines().count(), r.err);
    }

    @Test
    void aMissingInputIsOneLineAndNoNativeBanner() {
        Path nope = dir.resolve("nope.csv");
        Result r = run("train", "--format", "events-csv", "--input", nope.toString(), "--out", dir.resolve("m.zip").toString());
        assertEquals(2, r.rc, r.err);
        assertEquals("error: --input: file not found: " + nope, r.err);
    }

    @Test
    void aMisspeltOptionIsNamedWithTheNearestOne() {
        Result r = run("train", "--fromat", "events-csv", "--input", "x.csv", "--out", "m.zip");
        assertEquals(2, r.rc, r.err);
        assertTrue(r.err.startsWith("Unknown option: '--fromat'"), r.err);
        assertTrue(r.err.contains("--format"), "suggests --format: " + r.err);
        assertTrue(!r.err.contains("Missing required option"), r.err);
        noStackTrace(r);
    }

    @Test
    void evaluateListNeedsNoDataAndTheOthersNameWhatIsMissing() {
        Result list = run("evaluate", "--list");
        assertEquals(0, list.rc, list.err);
        assertTrue(list.out.contains("itemknn") && list.out.contains("pop"), list.out);
        Result missing = run("evaluate", "--format", "s3rec");
        assertEquals(2, missing.rc, missing.err);
        assertTrue(missing.err.startsWith("Missing required option: '--input=<input>'"), missing.err);
        noStackTrace(missing);
    }

    @Test
    void ioFailuresGetOneLine() {
        assertEquals("file not found: /x/y.zip", Main.oneLine(new java.nio.file.NoSuchFileException("/x/y.zip")));
        assertEquals("permission denied: /root/m.zip", Main.oneLine(new java.nio.file.AccessDeniedException("/root/m.zip")));
        assertEquals("file not found: /a", Main.oneLine(new java.io.UncheckedIOException(new java.nio.file.NoSuchFileException("/a"))));
        assertEquals(null, Main.oneLine(new IllegalStateException("a bug")), "a bug keeps its stack trace");
    }
}
