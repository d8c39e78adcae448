package org.persona4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.engine.JournalDurability;
import org.persona4j.engine.PersonaEngine;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.store.rocksdb.Durability;
import org.persona4j.store.rocksdb.RocksDbProfileStore;
import picocli.CommandLine;

/**
 * Nothing acknowledged is lost to {@code kill -9}: a child JVM ingests (in-process engine, or the
 * {@code serve} HTTP service) while the parent counts acknowledgements, then the child is killed
 * with SIGKILL and the parent reopens the same RocksDB store and event journal. Every acknowledged
 * event must be back, none twice; and some of them must have come from the journal alone (the
 * write-behind had not stored them), so the test shows the journal at work, not a lucky flush.
 */
class KillRecoveryTest {
    private static final Pattern PORT = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private static Process startJava(String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** A real SIGKILL ({@code kill -9}), as an operator or the OOM killer sends it. */
    private static void kill9(Process p) throws Exception {
        Process k = new ProcessBuilder("kill", "-9", String.valueOf(p.pid())).start();
        if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
            p.destroyForcibly(); // SIGKILL too, where no kill(1) is on the PATH
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the child died");
        assertEquals(137, p.exitValue(), "killed by SIGKILL (128 + 9)");
    }

    private static String awaitLine(BufferedReader r, String prefix, long timeoutMs) throws IOException {
        long end = System.currentTimeMillis() + timeoutMs;
        String line;
        while (System.currentTimeMillis() < end && (line = r.readLine()) != null) {
            if (line.contains(prefix)) {
                return line;
            }
        }
        return null;
    }

    @ParameterizedTest
    @EnumSource(JournalDurability.class)
    void engineKilledMidIngestLosesNoAcknowledgedEvent(JournalDurability durability) throws Exception {
        Path store = dir.resolve("db");
        Path journal = dir.resolve("journal");
        int threads = 4;
        Process child = startJava(KillChild.class.getName(), store.toString(), journal.toString(), String.valueOf(threads),
                durability.name());
        Map<String, Set<String>> acked = new ConcurrentHashMap<>();
        int ackCount = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertNotNull(awaitLine(r, "READY", 60_000), "the child started");
            long end = System.currentTimeMillis() + 60_000;
            String line;
            boolean killed = false;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(" ");
                if (f.length == 3 && f[0].equals("A")) {
                    int t = Integer.parseInt(f[1]);
                    int i = Integer.parseInt(f[2]);
                    acked.computeIfAbsent(KillChild.user(t, i), k -> new HashSet<>()).add(KillChild.item(t, i));
                    ackCount++;
                }
                if (!killed && (ackCount >= 3000 || System.currentTimeMillis() > end)) {
                    kill9(child); // lines already in the pipe were printed after their ingest returned: acknowledged too
                    killed = true;
                }
            }
        }
        assertTrue(ackCount >= 1000, "the child acknowledged events before the kill: " + ackCount);
        try (PersonaEngine recovered = KillChild.engine(store, journal, durability).build()) {
            long lost = 0;
            long recoveredEvents = 0;
            for (int u = 0; u < KillChild.USERS; u++) {
                String user = "u" + u;
                List<String> items = recovered.recentEvents(user).stream().map(BehaviorEvent::itemId).toList();
                Set<String> distinct = new HashSet<>(items);
                assertEquals(items.size(), distinct.size(), "user " + user + ": no event twice");
                recoveredEvents += items.size();
                for (String item : acked.getOrDefault(user, Set.of())) {
                    if (!distinct.contains(item)) {
                        lost++;
                    }
                }
            }
            assertEquals(0, lost, "acknowledged events lost (of " + ackCount + ")");
            assertTrue(recoveredEvents >= ackCount && recoveredEvents <= ackCount + threads,
                    "recovered " + recoveredEvents + " for " + ackCount + " acknowledged (+ at most one in flight per thread)");
            assertTrue(recovered.stats().eventsReplayed() > 0,
                    "some acknowledged events were only in the journal: " + recovered.stats());
        }
    }

    @Test
    void serveKilledMidStreamLosesNoEventItAnswered202() throws Exception {
        Path in = TinyS3Rec.write(dir, 4);
        Path model = dir.resolve("m.zip");
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(new StringWriter()));
        assertEquals(0, cl.execute("train", "--format", "s3rec", "--input", in.toString(), "--out", model.toString(), "--emb", "4",
                "--hidden", "6", "--proj", "4", "--max-len", "5", "--batch", "4", "--epochs", "1", "--threads", "1", "--seed", "3",
                "--quiet"));
        Path store = dir.resolve("serve-db");
        Process child = startJava(Main.class.getName(), "serve", "--port", "0", "--model", model.toString(), "--store",
                store.toString(), "--threads", "4");
        Map<String, Set<Long>> acked = new ConcurrentHashMap<>();
        AtomicInteger ackCount = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        int users = 300;
        long t0 = 1_700_000_000_000L;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String serving = awaitLine(r, "serving model", 120_000);
            assertNotNull(serving, "serve started");
            Matcher m = PORT.matcher(serving);
            assertTrue(m.find(), serving);
            URI events = URI.create("http://127.0.0.1:" + m.group(1) + "/events");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            AtomicInteger next = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                Thread th = new Thread(() -> {
                    while (!stop.get()) {
                        int n = next.getAndIncrement();
                        String user = "h" + (n % users);
                        long ts = t0 + n;
                        String body = "{\"userId\": \"" + user + "\", \"itemId\": \"" + (1 + n % 15) + "\", \"type\": \"VIEW\", "
                                + "\"timestamp\": " + ts + "}";
                        try {
                            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(10))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                            if (resp.statusCode() == 202) {
                                acked.computeIfAbsent(user, k -> ConcurrentHashMap.newKeySet()).add(ts);
                                ackCount.incrementAndGet();
                            }
                        } catch (IOException e) {
                            return; // the server is gone
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
                th.start();
                clients.add(th);
            }
            long end = System.currentTimeMillis() + 60_000;
            while (ackCount.get() < 1500 && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }
            kill9(child); // while the clients keep posting
            stop.set(true);
            for (Thread th : clients) {
                th.join(30_000);
            }
        }
        int answered = ackCount.get();
        assertTrue(answered >= 300, "events answered 202 before the kill: " + answered);
        try (PersonaEngine recovered = PersonaEngine.builder(DeepProfileModel.load(model))
                .store(RocksDbProfileStore.open(store, Durability.BUFFERED)).journal(ServeCommand.journalBeside(store))
                .historySize(50).build()) {
            long lost = 0;
            for (Map.Entry<String, Set<Long>> e : acked.entrySet()) {
                List<Long> times = recovered.recentEvents(e.getKey()).stream().map(BehaviorEvent::timestampMillis).toList();
                Set<Long> got = new HashSet<>(times);
                assertEquals(times.size(), got.size(), "user " + e.getKey() + ": no event twice");
                for (Long ts : e.getValue()) {
                    if (!got.contains(ts)) {
                        lost++;
                    }
                }
            }
            assertEquals(0, lost, "events answered 202 and lost (of " + answered + ")");
            assertTrue(recovered.stats().eventsReplayed() > 0, "some answered events were only in the journal: "
                    + recovered.stats());
        }
    }
}
