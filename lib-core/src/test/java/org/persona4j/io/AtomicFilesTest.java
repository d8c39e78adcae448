package org.persona4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesANewFileAndReplacesAnOldOne(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("model.json");
        AtomicFiles.writeString(f, "one", false);
        assertEquals("one", Files.readString(f));
        AtomicFiles.writeString(f, "two ü", true);
        assertEquals("two ü", Files.readString(f, StandardCharsets.UTF_8));
        AtomicFiles.write(f, new byte[] {1, 2, 3}, false);
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        assertEquals(List.of("model.json"), names(dir), "no temporary file left behind");
    }

    @Test
    void aFailedWriteLeavesTheOldFileUntouchedAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("model.json");
        Files.writeString(f, "old content");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("half of the new con".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }, true));
        assertEquals("disk full", e.getMessage());
        assertEquals("old content", Files.readString(f));
        assertEquals(List.of("model.json"), names(dir));

        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(f, out -> {
            out.write('x');
            throw new UncheckedIOException(new IOException("serialiser failed"));
        }, false));
        assertEquals("old content", Files.readString(f));
        assertEquals(List.of("model.json"), names(dir));
    }

    @Test
    void aFailedRenameLeavesTheOldFileUntouched(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.json");
        Files.writeString(f, "old");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> out.write('n'), false, (from, to, options) -> {
            throw new IOException("rename refused");
        }));
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("p.json"), names(dir));
    }

    @Test
    void fallsBackToAPlainReplaceOnlyWhenAtomicMovesAreUnsupported(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.json");
        Files.writeString(f, "old");
        List<List<StandardCopyOption>> calls = new ArrayList<>();
        AtomicFiles.write(f, out -> out.write("new".getBytes(StandardCharsets.UTF_8)), false, (from, to, options) -> {
            calls.add(List.of(options));
            if (Arrays.asList(options).contains(StandardCopyOption.ATOMIC_MOVE)) {
                throw new AtomicMoveNotSupportedException(from.toString(), to.toString(), "test file system");
            }
            Files.move(from, to, options);
        });
        assertEquals(List.of(List.of(StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING),
                List.of(StandardCopyOption.REPLACE_EXISTING)), calls);
        assertEquals("new", Files.readString(f));
        assertEquals(List.of("p.json"), names(dir));
    }

    @Test
    void theTemporaryFileIsUniqueAndInTheTargetDirectory(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.json");
        Files.writeString(dir.resolve("p.json.tmp"), "someone else's temporary file");
        List<Path> seen = new ArrayList<>();
        AtomicFiles.write(f, out -> out.write('a'), false, (from, to, options) -> {
            seen.add(from);
            Files.move(from, to, options);
        });
        assertEquals(dir, seen.get(0).getParent());
        assertTrue(seen.get(0).getFileName().toString().endsWith(".tmp"));
        assertEquals("someone else's temporary file", Files.readString(dir.resolve("p.json.tmp")), "a fixed temp name would clobber it");
    }

    @Test
    void theNewFileIsNotOwnerOnlyLikeATemporaryFile(@TempDir Path dir) throws Exception {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Path plain = dir.resolve("plain");
        Files.writeString(plain, "x");
        Path atomic = dir.resolve("atomic");
        AtomicFiles.writeString(atomic, "x", false);
        Set<PosixFilePermission> want = Files.getPosixFilePermissions(plain);
        assertEquals(want, Files.getPosixFilePermissions(atomic), "same permissions as an ordinary new file");
    }

    @Test
    void aMissingDirectoryFails(@TempDir Path dir) {
        Path f = dir.resolve("no/such/dir/p.json");
        assertThrows(IOException.class, () -> AtomicFiles.writeString(f, "x", false));
        assertFalse(Files.exists(f));
    }
}
