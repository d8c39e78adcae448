package org.persona4j.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.UserProfile;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;

/**
 * Erasure on disk: after {@link RocksDbProfileStore#delete(String)} and the erasure pass, no file
 * of the store directory (data files, write-ahead logs, MANIFEST, info LOG, OPTIONS, ...) holds
 * the deleted user's id, as raw UTF-8 bytes or in hex, while the other users' ids are still found
 * in the data files, which shows the scan can see ids.
 *
 * <p><b>Why the raw byte scan is valid here.</b> The store compresses data blocks (RocksDB's
 * default, LZ4) and RocksDB delta-encodes the keys of a block (a key shares its prefix with the
 * key before it), so in production files an id need not appear as contiguous bytes even when it
 * is there. These tests open the store with the package-private tuning hook set to
 * {@link CompressionType#NO_COMPRESSION} and a block restart interval of 1 (every key written in
 * full); values (profile records, which contain the user id) are never delta-encoded. Each test
 * first asserts that the deleted id's bytes <i>are</i> present in the files before the erasure
 * pass (in the data files and in the write-ahead log), so a negative result afterwards is not an
 * artefact of the encoding. Compression only changes how blocks are stored, not which records a
 * compaction keeps, so the production configuration drops the same records.
 */
class RocksDbErasureTest {
    static final String GONE = "erase-me-7f3a";
    static final List<String> KEPT = List.of("keep-alpha-91c2", "zz-keep-omega-4d0e");
    static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path tmp;

    /** No compression, every key written in full: ids appear as raw bytes wherever they are stored. */
    static final Consumer<ColumnFamilyOptions> PLAIN = o -> o.setCompressionType(CompressionType.NO_COMPRESSION)
            .setBottommostCompressionType(CompressionType.NO_COMPRESSION)
            .setTableFormatConfig(new BlockBasedTableConfig().setBlockRestartInterval(1).setIndexBlockRestartInterval(1));

    static UserProfile user(String id, int version) {
        return new UserProfile(id, new float[] {version, 1, 2}, Map.of("interest-of-" + id, 0.7), Map.of(), Map.of("v", (double) version),
                List.of(), Map.of(), version, Instant.ofEpochSecond(1_700_000_000L + version), "model-" + version);
    }

    static byte[] stateOf(String id, int version) {
        return ("state-of-" + id + "-" + version).getBytes(StandardCharsets.UTF_8);
    }

    /** Three versions of every user: one compacted to the last level, one in a level-0 file, one only in the WAL. */
    static void writeUsers(RocksDbProfileStore s) {
        for (int version = 1; version <= 3; version++) {
            for (String id : concat(GONE, KEPT)) {
                s.save(user(id, version), Map.of("lstm", stateOf(id, version), "seq", stateOf(id, -version)));
            }
            if (version == 1) {
                s.compact();
            } else if (version == 2) {
                s.flush();
            }
        }
    }

    static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** @return the names of the files of {@code dir} (every file, recursively) holding {@code id} raw or in hex */
    static List<String> filesHolding(Path dir, String id) throws IOException {
        byte[] raw = id.getBytes(StandardCharsets.UTF_8);
        String hex = HexFormat.of().formatHex(raw);
        byte[] lower = hex.getBytes(StandardCharsets.US_ASCII);
        byte[] upper = hex.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        List<String> out = new ArrayList<>();
        for (Path f : regularFiles(dir)) {
            byte[] b;
            try {
                b = Files.readAllBytes(f);
            } catch (NoSuchFileException e) {
                continue; // deleted by RocksDB (a background pass) since the listing
            }
            if (contains(b, raw) || contains(b, lower) || contains(b, upper)) {
                out.add(dir.relativize(f).toString());
            }
        }
        return out;
    }

    /** Every regular file under {@code dir}; files RocksDB deletes during the walk are left out. */
    static List<Path> regularFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return files;
    }

    static void assertErased(Path dir) throws IOException {
        assertEquals(List.of(), filesHolding(dir, GONE), "files still holding the deleted id");
        for (String id : KEPT) {
            assertTrue(filesHolding(dir, id).stream().anyMatch(f -> f.endsWith(".sst")), "the scan finds the kept user " + id);
        }
    }

    static void assertPresentBeforeErasure(Path dir) throws IOException {
        List<String> holding = filesHolding(dir, GONE);
        assertTrue(holding.stream().anyMatch(f -> f.endsWith(".sst")), "data files hold the id before erasure: " + holding);
        assertTrue(holding.stream().anyMatch(f -> f.endsWith(".log")), "the WAL holds the id before erasure: " + holding);
    }

    static void assertKeptUsersServe(RocksDbProfileStore s) {
        assertTrue(s.load(GONE).isEmpty());
        assertEquals(Map.of(), s.statesOf(GONE));
        for (String id : KEPT) {
            assertEquals(user(id, 3), s.load(id).orElseThrow());
            assertEquals(2, s.statesOf(id).size());
        }
        assertEquals(KEPT.size(), s.size());
    }

    @Test
    void compactDeletedErasesTheUserFromEveryFileWhileTheStoreIsOpen() throws Exception {
        Path dir = tmp.resolve("forced");
        try (RocksDbProfileStore s = RocksDbProfileStore.open(dir, Durability.SYNC, NEVER, PLAIN)) {
            writeUsers(s);
            assertPresentBeforeErasure(dir);
            assertTrue(s.delete(GONE));
            assertTrue(s.compactDeleted(), "an erasure was pending");
            // no close, no reopen: the MANIFEST and the logs are already clean
            assertErased(dir);
            assertKeptUsersServe(s);
            assertFalse(s.compactDeleted(), "nothing pending any more");
        }
        assertErased(dir);
        try (RocksDbProfileStore s = RocksDbProfileStore.open(dir, Durability.SYNC, NEVER, PLAIN)) {
            assertKeptUsersServe(s);
            assertFalse(s.compactDeleted(), "the pending marker was cleared");
        }
    }

    @Test
    void theBackgroundPassErasesWithinTheDelay() throws Exception {
        Path dir = tmp.resolve("scheduled");
        try (RocksDbProfileStore s = RocksDbProfileStore.open(dir, Durability.BUFFERED, Duration.ofMillis(200), PLAIN)) {
            writeUsers(s);
            assertPresentBeforeErasure(dir);
            assertTrue(s.delete(GONE));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!filesHolding(dir, GONE).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertErased(dir);
            assertKeptUsersServe(s);
        }
    }

    @Test
    void aZeroDelayErasesInsideDelete() throws Exception {
        Path dir = tmp.resolve("sync");
        try (RocksDbProfileStore s = RocksDbProfileStore.open(dir, Durability.SYNC, Duration.ZERO, PLAIN)) {
            writeUsers(s);
            assertPresentBeforeErasure(dir);
            assertTrue(s.delete(GONE));
            assertErased(dir);
            assertKeptUsersServe(s);
            assertFalse(s.compactDeleted());
        }
    }

    @Test
    void closeRunsThePendingErasure() throws Exception {
        Path dir = tmp.resolve("close");
        try (RocksDbProfileStore s = RocksDbProfileStore.open(dir, Durability.SYNC, NEVER, PLAIN)) {
            writeUsers(s);
            assertTrue(s.delete(GONE));
            assertPresentBeforeErasure(dir);
        }
        assertErased(dir);
    }

    @Test
    void stateOnlyUsersAndManyUsersAreErasedToo() throws Exception {
        Path dir = tmp.resolve("many");
        List<String> gone = new ArrayList<>();
        try (RocksDbProfileStore s = RocksDbProfileStore.open(dir, Durability.BUFFERED, NEVER, PLAIN)) {
            writeUsers(s);
            // more users than one pass compacts range by range: the pass compacts everything
            for (int i = 0; i < RocksDbProfileStore.MAX_ERASURE_RANGES + 4; i++) {
                String id = "gone-state-only-" + i + "-b71e";
                gone.add(id);
                s.putState(id, "lstm", stateOf(id, 1));
            }
            s.flush();
            gone.forEach(s::delete);
            s.delete(GONE);
            assertTrue(s.compactDeleted());
            assertKeptUsersServe(s);
        }
        assertErased(dir);
        for (String id : gone) {
            assertEquals(List.of(), filesHolding(dir, id), id);
        }
    }

    /**
     * A child JVM deletes a user and is killed (SIGKILL) before any erasure pass; the marker
     * written with the delete makes the next open erase it.
     */
    @Test
    void anErasureInterruptedByACrashIsRedoneAfterOpen() throws Exception {
        Path dir = tmp.resolve("crash");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ErasureCrashWriter.class.getName(), dir.toString());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = pb.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("DELETED", r.readLine());
            child.toHandle().destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "child did not die");
        } finally {
            child.destroyForcibly();
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        assertTrue(filesHolding(dir, GONE).stream().anyMatch(f -> f.endsWith(".sst")), "the crash left the bytes");
        try (RocksDbProfileStore s = RocksDbProfileStore.open(dir, Durability.SYNC, NEVER, PLAIN)) {
            assertTrue(s.compactDeleted(), "the interrupted erasure is pending after open");
            assertErased(dir);
            assertKeptUsersServe(s);
        }
    }

    /** The child of {@link #anErasureInterruptedByACrashIsRedoneAfterOpen}. */
    static final class ErasureCrashWriter {
        private ErasureCrashWriter() {
        }

        public static void main(String[] args) throws InterruptedException {
            PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
            RocksDbProfileStore s = RocksDbProfileStore.open(Path.of(args[0]), Durability.SYNC, NEVER, PLAIN);
            writeUsers(s);
            s.delete(GONE);
            out.println("DELETED");
            out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
