package org.persona4j.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BadInputException;

class SafePathsTest {
    @TempDir
    Path tmp;

    @Test
    void relativePathsResolveInside() throws IOException {
        Path base = Files.createDirectory(tmp.resolve("base"));
        Path p = SafePaths.resolveUnder(base, "tenant-a/profiles", "store.path");
        assertEquals(base.toRealPath().resolve("tenant-a/profiles"), p);
        assertEquals(base.toRealPath().resolve("x"), SafePaths.resolveUnder(base, "./x", "store.path"));
    }

    @Test
    void escapesAreRefused() throws IOException {
        Path base = Files.createDirectory(tmp.resolve("base"));
        for (String bad : new String[] {"../outside", "a/../../outside", "a/..", "/etc/passwd", "", " ", "a\0b"}) {
            BadInputException e = assertThrows(BadInputException.class, () -> SafePaths.resolveUnder(base, bad, "store.path"), bad);
            assertTrue(e.getMessage().startsWith("field 'store.path': "), e.getMessage());
        }
    }

    @Test
    void symlinksLeadingOutsideAreRefused() throws IOException {
        Path base = Files.createDirectory(tmp.resolve("base"));
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.createSymbolicLink(base.resolve("link"), outside);
        Files.createSymbolicLink(base.resolve("dangling"), tmp.resolve("nowhere"));
        Files.createDirectory(base.resolve("inner"));
        Files.createSymbolicLink(base.resolve("inside-link"), base.resolve("inner"));
        BadInputException e = assertThrows(BadInputException.class, () -> SafePaths.resolveUnder(base, "link/db", "store.path"));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertThrows(BadInputException.class, () -> SafePaths.resolveUnder(base, "link", "store.path"));
        assertThrows(BadInputException.class, () -> SafePaths.resolveUnder(base, "dangling/db", "store.path"));
        assertEquals(base.toRealPath().resolve("inside-link/db"), SafePaths.resolveUnder(base, "inside-link/db", "store.path"));
    }

    @Test
    void missingBaseIsNamed() {
        BadInputException e = assertThrows(BadInputException.class, () -> SafePaths.resolveUnder(tmp.resolve("nope"), "x", "store.path"));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
