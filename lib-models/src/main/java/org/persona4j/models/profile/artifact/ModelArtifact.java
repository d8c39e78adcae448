package org.persona4j.models.profile.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.persona4j.core.ModelFormatException;

/**
 * Writes and reads the profile-model artifact: a zip with {@code manifest.json},
 * {@code encoder.json} and {@code weights.dl4j}. The manifest records {@code format}
 * ({@value #FORMAT}), {@code formatVersion}, and the SHA-256 of the two other entries, which are
 * checked on read. Writing is atomic (temporary file in the same folder, then rename).
 */
public final class ModelArtifact {
    /** The format name in the manifest. */
    public static final String FORMAT = "persona4j-profile-model";
    /** The format version this SDK writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;
    /** The oldest format version this SDK reads. */
    public static final int MIN_FORMAT_VERSION = 1;

    static final String MANIFEST = "manifest.json";
    static final String ENCODER = "encoder.json";
    static final String WEIGHTS = "weights.dl4j";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelArtifact() {
    }

    /**
     * Writes an artifact atomically. The manifest gets {@code format}, {@code formatVersion} and the
     * entry checksums added.
     *
     * @param file the target file (replaced if present)
     * @param contents manifest, encoder and weights
     * @throws IOException when writing fails (the target is then untouched)
     */
    public static void write(Path file, ArtifactContents contents) throws IOException {
        ObjectNode m = contents.manifest().deepCopy();
        m.put("format", FORMAT);
        m.put("formatVersion", FORMAT_VERSION);
        byte[] enc = contents.encoderJson().getBytes(StandardCharsets.UTF_8);
        ObjectNode sums = m.putObject("sha256");
        sums.put(ENCODER, sha256(enc));
        sums.put(WEIGHTS, sha256(contents.weights()));
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                put(zip, MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
                put(zip, ENCODER, enc);
                put(zip, WEIGHTS, contents.weights());
            }
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default permissions
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(0L); // reproducible bytes
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /**
     * Reads and checks an artifact.
     *
     * @param file the artifact
     * @return its contents
     * @throws IOException when the file cannot be opened at all (missing, unreadable)
     * @throws ModelFormatException when it is not a zip, is truncated or corrupt, misses an entry,
     *     has a bad checksum, or has a format version outside {@value #MIN_FORMAT_VERSION}..{@value #FORMAT_VERSION}
     */
    public static ArtifactContents read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            JsonNode mn;
            try {
                mn = JSON.readTree(entry(zip, MANIFEST, file));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ModelFormatException(file + ": " + MANIFEST + " is not valid JSON: " + e.getOriginalMessage(), e);
            }
            if (!(mn instanceof ObjectNode) || !FORMAT.equals(mn.path("format").asText())) {
                throw new ModelFormatException(file + ": not a persona4j profile model (manifest format '"
                        + mn.path("format").asText() + "', expected '" + FORMAT + "')");
            }
            int v = mn.path("formatVersion").asInt(-1);
            if (v < MIN_FORMAT_VERSION || v > FORMAT_VERSION) {
                ModelFormatException e = ModelFormatException.unsupportedVersion("model artifact", v, MIN_FORMAT_VERSION, FORMAT_VERSION);
                throw new ModelFormatException(file + ": " + e.getMessage());
            }
            byte[] enc = entry(zip, ENCODER, file);
            byte[] weights = entry(zip, WEIGHTS, file);
            check(file, mn, ENCODER, enc);
            check(file, mn, WEIGHTS, weights);
            return new ArtifactContents((ObjectNode) mn, new String(enc, StandardCharsets.UTF_8), weights);
        } catch (ZipException e) {
            throw new ModelFormatException(file + ": not a readable model artifact zip (truncated or corrupt): " + e.getMessage(), e);
        } catch (java.io.EOFException e) {
            throw new ModelFormatException(file + ": model artifact is truncated: " + e.getMessage(), e);
        }
    }

    private static byte[] entry(ZipFile zip, String name, Path file) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new ModelFormatException(file + ": model artifact has no entry '" + name + "' (expected "
                    + MANIFEST + ", " + ENCODER + ", " + WEIGHTS + ")");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        }
    }

    private static void check(Path file, JsonNode m, String name, byte[] data) {
        String expected = m.path("sha256").path(name).asText("");
        String actual = sha256(data);
        if (!expected.equals(actual)) {
            throw new ModelFormatException(file + ": entry '" + name + "' is corrupt: SHA-256 expected " + expected + ", found " + actual);
        }
    }

    /**
     * @param data bytes
     * @return their SHA-256 as lower-case hex
     */
    public static String sha256(byte[] data) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(data);
            StringBuilder sb = new StringBuilder(64);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
