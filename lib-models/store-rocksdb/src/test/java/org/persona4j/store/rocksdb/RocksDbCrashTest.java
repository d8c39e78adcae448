package org.persona4j.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.UserProfile;

/**
 * A child JVM writes to a {@link Durability#SYNC} store and reports each acknowledged write; the
 * test kills it with SIGKILL in the middle of the stream and checks, after reopening, that every
 * acknowledged write is there, profile and state.
 */
class RocksDbCrashTest {
    @TempDir
    Path tmp;

    static UserProfile expected(String id, int i) {
        return new UserProfile(id, new float[] {i, -i, 0.5f}, Map.of("c" + (i % 7), 0.5), Map.of(), Map.of("i", (double) i),
                List.of(), Map.of(), i, Instant.ofEpochSecond(1_700_000_000L + i), "crash-test");
    }

    static byte[] state(int i) {
        return ("state-" + i).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        Path dir = tmp.resolve("db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-cp", cp, CrashWriter.class.getName(), dir.toString());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = pb.start();
        List<String> acked = new ArrayList<>();
        long killAfterAcks = 300;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        boolean ready = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.equals("READY")) {
                    ready = true;
                } else if (line.startsWith("ACK ")) {
                    acked.add(line.substring(4));
                }
                if (acked.size() >= killAfterAcks || System.nanoTime() > deadline) {
                    // SIGKILL on Linux: no shutdown hooks, no close(), no flush. Through the
                    // ProcessHandle, so our end of the pipe stays open to drain what was sent.
                    child.toHandle().destroyForcibly();
                    break;
                }
            }
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "child did not die");
            // acknowledgements already in the pipe when the child died count too
            while ((line = r.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acked.add(line.substring(4));
                }
            }
        } finally {
            child.destroyForcibly();
        }
        assertTrue(ready, "child never opened the store");
        assertTrue(acked.size() > 10, "child acknowledged only " + acked.size() + " writes");
        System.out.println("RocksDbCrashTest: child killed after " + acked.size() + " acknowledged writes, exit " + child.exitValue());
        assertEquals(137, child.exitValue(), "killed by SIGKILL (128 + 9)");
        try (RocksDbProfileStore s = RocksDbProfileStore.open(dir, Durability.SYNC)) {
            for (String id : acked) {
                int i = Integer.parseInt(id.substring(1));
                assertEquals(expected(id, i), s.load(id).orElseThrow(() -> new AssertionError("lost acknowledged write " + id)));
                assertArrayEquals(state(i), s.getState(id, "lstm").orElseThrow(() -> new AssertionError("lost state of " + id)));
            }
            assertTrue(s.size() >= acked.size(), "size " + s.size() + " < acknowledged " + acked.size());
        }
    }
}
