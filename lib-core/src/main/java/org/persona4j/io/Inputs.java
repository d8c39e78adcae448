package org.persona4j.io;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.persona4j.core.BadInputException;

/** Opening files (gzip-aware, byte-counting) and finding a format's main file in a folder. */
final class Inputs {
    private Inputs() {
    }

    /** An input stream that counts the raw bytes read from the file. */
    static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                count++;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /** @return true when the name ends in {@code .gz} */
    static boolean gzipped(Path p) {
        return p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gz");
    }

    /** @return the file name without {@code .gz} */
    static String baseName(Path p) {
        String n = p.getFileName().toString();
        return gzipped(p) ? n.substring(0, n.length() - 3) : n;
    }

    /**
     * @param counting receives the raw stream, so progress can count file bytes
     * @return the decoded stream (gunzipped when the name ends in .gz)
     */
    static InputStream open(Path file, Counting[] counting) {
        try {
            Counting c = new Counting(Files.newInputStream(file));
            if (counting != null) {
                counting[0] = c;
            }
            if (!gzipped(file)) {
                return c;
            }
            try {
                return new GZIPInputStream(c, 1 << 16);
            } catch (ZipException | EOFException e) {
                c.close();
                throw new BadInputException(file.toString(), -1, null, "not a valid gzip file: " + e.getMessage(), e);
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(file.toString(), -1, null, "file not found");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    /** @return the first line of the file (decoded, BOM removed), or "" when empty */
    static String firstLine(Path file) {
        try (InputStream in = open(file, null)) {
            byte[] b = new byte[8192];
            int n = 0;
            int r;
            while (n < b.length && (r = in.read(b, n, b.length - n)) > 0) {
                n += r;
            }
            int s = n >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
            int e = s;
            while (e < n && b[e] != '\n' && b[e] != '\r') {
                e++;
            }
            return new String(b, s, e - s, StandardCharsets.UTF_8);
        } catch (ZipException | EOFException e) {
            throw new BadInputException(file.toString(), 1, null, "corrupt gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** @return the file's size in bytes, or -1 */
    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The format's main file: the path itself when it is a file, else the conventional file in the folder.
     *
     * @throws BadInputException when nothing (or more than one candidate) fits
     */
    static Path mainFile(DataFormat format, Path path) {
        if (path == null) {
            throw new BadInputException("input path must not be null");
        }
        if (!Files.isDirectory(path)) {
            if (!Files.exists(path)) {
                throw new BadInputException(path.toString(), -1, null, "file not found");
            }
            return path;
        }
        List<String> preferred;
        List<String> suffixes;
        switch (format) {
            case EVENTS_CSV:
                preferred = List.of("events.csv");
                suffixes = List.of();
                break;
            case TAOBAO:
                preferred = List.of("UserBehavior.csv");
                suffixes = List.of(".csv");
                break;
            case RETAILROCKET:
                preferred = List.of("events.csv");
                suffixes = List.of();
                break;
            case MOVIELENS:
                preferred = List.of("u.data", "ratings.dat", "ratings.csv");
                suffixes = List.of();
                break;
            case RECBOLE:
                preferred = List.of();
                suffixes = List.of(".inter");
                break;
            case S3REC:
                preferred = List.of();
                suffixes = List.of(".txt");
                break;
            case SESSIONS:
                preferred = List.of();
                suffixes = List.of(".csv", ".txt", ".tsv", ".dat");
                break;
            default:
                throw new IllegalStateException(format.toString());
        }
        for (String name : preferred) {
            for (String n : List.of(name, name + ".gz")) {
                if (Files.isRegularFile(path.resolve(n))) {
                    return path.resolve(n);
                }
            }
        }
        List<Path> found = new ArrayList<>();
        try (var s = Files.list(path)) {
            s.filter(Files::isRegularFile).sorted().forEach(f -> {
                String n = baseName(f).toLowerCase(java.util.Locale.ROOT);
                for (String suf : suffixes) {
                    if (n.endsWith(suf)) {
                        found.add(f);
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path, e);
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        throw new BadInputException(path.toString(), -1, null, (found.isEmpty() ? "no " : "several ") + format.cliName()
                + " input files in this folder" + (found.isEmpty() ? "" : " " + found) + ": expected "
                + (preferred.isEmpty() ? "one file ending in " + suffixes : "one of " + preferred)
                + "; name the file itself");
    }
}
