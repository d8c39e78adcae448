package org.persona4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files atomically: readers see the old content or the new one, never a partial file.
 * The content goes to a temporary file with a unique name in the target's directory
 * ({@link Files#createTempFile}), optionally forced to the device, then replaces the target with
 * {@link StandardCopyOption#ATOMIC_MOVE} (falling back to a plain replace only on file systems
 * that do not support atomic moves); with {@code fsync} the directory is forced too, so that the
 * rename survives a crash. On any failure the temporary file is deleted and the target is left
 * untouched. The new file gets the permissions an ordinary new file would get (not the
 * owner-only ones of a temporary file). Thread-safe; concurrent writers of one target each
 * replace it whole, the last rename winning.
 */
public final class AtomicFiles {
    private static final int BUFFER = 1 << 16;
    private static final FileAttribute<?>[] POSIX_DEFAULT = {
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-")) // minus the umask, as for any new file
    };

    /** Writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        /**
         * @param out the stream to the temporary file (closed by the caller)
         * @throws IOException when writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Moves the temporary file over the target; replaceable in tests. */
    @FunctionalInterface
    interface Mover {
        void move(Path from, Path to, StandardCopyOption... options) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * @param file the target (its directory must exist)
     * @param bytes the new content
     * @param fsync whether to force the file and its directory to the device before returning
     * @throws IOException when writing or renaming fails (the target is then unchanged)
     */
    public static void write(Path file, byte[] bytes, boolean fsync) throws IOException {
        write(file, out -> out.write(bytes), fsync);
    }

    /**
     * @param file the target (its directory must exist)
     * @param text the new content, written as UTF-8
     * @param fsync whether to force the file and its directory to the device before returning
     * @throws IOException when writing or renaming fails (the target is then unchanged)
     */
    public static void writeString(Path file, String text, boolean fsync) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8), fsync);
    }

    /**
     * @param file the target (its directory must exist)
     * @param content writes the new content
     * @param fsync whether to force the file and its directory to the device before returning
     * @throws IOException when writing or renaming fails, or what {@code content} throws (the target is then unchanged)
     */
    public static void write(Path file, Content content, boolean fsync) throws IOException {
        write(file, content, fsync, Files::move);
    }

    static void write(Path file, Content content, boolean fsync, Mover mover) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null) {
            throw new IOException("atomic write: " + file + " has no parent directory");
        }
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path tmp = posix
                ? Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", POSIX_DEFAULT)
                : Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER);
                content.writeTo(out);
                out.flush();
                if (fsync) {
                    ch.force(true);
                }
            }
            try {
                mover.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                mover.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException suppressed) {
                    // the original failure is the one to report; a stray ".tmp" file is harmless
                }
            }
        }
        if (fsync) {
            forceDirectory(dir);
        }
    }

    /** Forces a directory's entries to the device; a no-op where directories cannot be opened (Windows). */
    private static void forceDirectory(Path dir) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        try (ch) {
            ch.force(true);
        }
    }
}
