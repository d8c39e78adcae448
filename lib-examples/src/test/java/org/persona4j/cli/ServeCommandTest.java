package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve} failures that must read as one line, with exit code 1 and no stack trace. */
class ServeCommandTest {
    @TempDir
    Path dir;

    private static int run(StringWriter err, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void portInUseIsOneLineAndExitCodeOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            StringWriter err = new StringWriter();
            int rc = run(err, "serve", "--port", String.valueOf(port), "--model", dir.resolve("m.zip").toString(),
                    "--store", dir.resolve("db").toString());
            assertEquals(1, rc, err.toString());
            String e = err.toString().strip();
            assertEquals(1, e.lines().count(), e);
            assertTrue(e.contains("port " + port) && e.contains("already in use") && e.contains("--port"), e);
            assertTrue(!e.contains("Exception") && !e.contains("\tat "), e);
        }
    }

    @Test
    void badBindAddressAndShortTokenAreNamed() throws Exception {
        StringWriter err = new StringWriter();
        // an address of no interface here (TEST-NET-3)
        int rc = run(err, "serve", "--port", "0", "--bind", "203.0.113.7", "--model", dir.resolve("m.zip").toString(),
                "--store", dir.resolve("db").toString());
        assertEquals(1, rc, err.toString());
        assertTrue(err.toString().contains("--bind") && err.toString().strip().lines().count() == 1, err.toString());
        Path token = dir.resolve("token");
        java.nio.file.Files.writeString(token, "short\n");
        err = new StringWriter();
        rc = run(err, "serve", "--port", "0", "--token-file", token.toString(), "--model", dir.resolve("m.zip").toString(),
                "--store", dir.resolve("db").toString());
        assertEquals(2, rc, err.toString());
        assertTrue(err.toString().contains("token file") && err.toString().contains("16"), err.toString());
    }
}
