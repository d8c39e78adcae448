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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.persona4j.core.ModelFormatException;
import org.persona4j.io.AtomicFiles;
import org.persona4j.models.nn.LeanProfileNetwork;
import org.persona4j.models.nn.LeanWeights;

/**
 * Writes and reads the profile-model artifact: a zip with {@code manifest.json},
 * {@code encoder.json} and {@code weights.bin} ({@link LeanWeights}). The manifest records
 * {@code format} ({@value #FORMAT}), {@code formatVersion}, and the SHA-256 and uncompressed size
 * of the two other entries, checked on read. Writing is atomic (temporary file in the same folder,
 * then an atomic rename).
 *
 * <p>Reading is bounded: an entry whose size differs from the manifest's, whose uncompressed size
 * exceeds {@value #MAX_RATIO} times its compressed size (a zip bomb), or whose bytes do not match
 * their checksum is refused with a {@link ModelFormatException} before the model is used.
 *
 * <p>Signing (optional): written with an {@link ArtifactKey}, the manifest gets a
 * {@value #SIGNATURE} field {@code {"algorithm":"HMAC-SHA256","value":HEX}}, the HMAC of the
 * {@linkplain #canonicalManifest canonical manifest} (the manifest without that field, object keys
 * sorted, no whitespace, UTF-8). The manifest holds every other entry's SHA-256, so the signature
 * covers the whole artifact. Read with a key, a missing, unknown or wrong signature is refused
 * before any other entry is read; read without a key, the signature (if any) is not checked. Format-1
 * artifacts (DL4J weights) are refused here; {@link #readLegacy} hands their entries to the
 * training module, which upgrades them.
 */
public final class ModelArtifact {
    /** The format name in the manifest. */
    public static final String FORMAT = "persona4j-profile-model";
    /** The format version this SDK writes and the newest it reads. */
    public static final int FORMAT_VERSION = 2;
    /** The oldest format version this SDK serves from. */
    public static final int MIN_FORMAT_VERSION = 2;
    /** The format version whose weights are a DL4J network ({@link #readLegacy}). */
    public static final int LEGACY_FORMAT_VERSION = 1;
    /** The largest ratio of uncompressed to compressed size accepted for an entry. */
    public static final int MAX_RATIO = 64;

    static final String MANIFEST = "manifest.json";
    static final String ENCODER = "encoder.json";
    static final String WEIGHTS = "weights.bin";
    static final String LEGACY_WEIGHTS = "weights.dl4j";
    /** The manifest field holding the signature of a signed artifact. */
    public static final String SIGNATURE = "signature";
    private static final long MAX_MANIFEST = 16L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelArtifact() {
    }

    /**
     * Writes an artifact atomically. The manifest gets {@code format}, {@code formatVersion}, the
     * entry checksums and sizes added.
     *
     * @param file the target file (replaced if present)
     * @param contents manifest, encoder and network
     * @throws IOException when writing fails (the target is then untouched)
     */
    public static void write(Path file, ArtifactContents contents) throws IOException {
        write(file, contents, null);
    }

    /**
     * Writes an artifact atomically, signed with the key when one is given.
     *
     * @param file the target file (replaced if present)
     * @param contents manifest, encoder and network (a {@value #SIGNATURE} field in the manifest is
     *     dropped: it belonged to another file)
     * @param key the signing key, or null for an unsigned artifact
     * @throws IOException when writing fails (the target is then untouched)
     */
    public static void write(Path file, ArtifactContents contents, ArtifactKey key) throws IOException {
        ObjectNode m = contents.manifest().deepCopy();
        m.remove(SIGNATURE);
        m.put("format", FORMAT);
        m.put("formatVersion", FORMAT_VERSION);
        byte[] enc = contents.encoderJson().getBytes(StandardCharsets.UTF_8);
        ObjectNode sums = m.putObject("sha256");
        ObjectNode sizes = m.putObject("sizes");
        sums.put(ENCODER, sha256(enc));
        sizes.put(ENCODER, enc.length);
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        AtomicFiles.write(abs, os -> {
            ZipOutputStream zip = new ZipOutputStream(os);
            put(zip, ENCODER, enc);
            ZipEntry we = new ZipEntry(WEIGHTS);
            we.setTime(0L);
            zip.putNextEntry(we);
            MessageDigest md = sha();
            CountingDigestStream ws = new CountingDigestStream(zip, md);
            LeanWeights.write(contents.network(), ws);
            zip.closeEntry();
            sums.put(WEIGHTS, hex(md.digest()));
            sizes.put(WEIGHTS, ws.count);
            if (key != null) {
                // sign what a reader will parse: the manifest as JSON text, read back
                String sig = key.sign(canonicalManifest(JSON.readTree(JSON.writeValueAsBytes(m))));
                ObjectNode s = m.putObject(SIGNATURE);
                s.put("algorithm", ArtifactKey.ALGORITHM);
                s.put("value", sig);
            }
            put(zip, MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
            zip.finish();
        }, true);
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
     *     has a bad checksum or size, or has a format version outside {@value #MIN_FORMAT_VERSION}..{@value #FORMAT_VERSION}
     */
    public static ArtifactContents read(Path file) throws IOException {
        return read(file, null);
    }

    /**
     * Reads and checks an artifact; with a key, it must carry a valid signature under that key.
     *
     * @param file the artifact
     * @param key the key the artifact must be signed with, or null to accept unsigned artifacts
     *     (a signature is then not checked)
     * @return its contents
     * @throws IOException when the file cannot be opened at all (missing, unreadable)
     * @throws ModelFormatException as {@link #read(Path)}, and, with a key, when the artifact is
     *     unsigned, signed with another algorithm, or its signature does not match
     */
    public static ArtifactContents read(Path file, ArtifactKey key) throws IOException {
        return open(file, false, key, (zip, mn) -> {
            String enc = new String(entry(zip, mn, ENCODER, file), StandardCharsets.UTF_8);
            ZipEntry we = sized(zip, mn, WEIGHTS, file);
            MessageDigest md = sha();
            LeanProfileNetwork net;
            try (InputStream in = new java.security.DigestInputStream(zip.getInputStream(we), md)) {
                net = LeanWeights.read(in, we.getSize(), file + "!" + WEIGHTS);
            }
            checkDigest(file, mn, WEIGHTS, hex(md.digest()));
            return new ArtifactContents(mn, enc, net);
        });
    }

    /**
     * Reads a format-1 artifact's entries (checked against the manifest's checksums), for the
     * training module's upgrade. Nothing here deserializes the DL4J weights.
     *
     * @param file the artifact
     * @return its entries
     * @throws IOException when the file cannot be opened
     * @throws ModelFormatException when it is not a format-1 artifact or is corrupt
     */
    public static LegacyContents readLegacy(Path file) throws IOException {
        return open(file, true, null, (zip, mn) -> {
            byte[] enc = entry(zip, mn, ENCODER, file);
            byte[] w = entry(zip, mn, LEGACY_WEIGHTS, file);
            return new LegacyContents(mn, new String(enc, StandardCharsets.UTF_8), w);
        });
    }

    /**
     * Reads only the manifest, with its format checked but not its version.
     *
     * @param file the artifact
     * @return the manifest
     * @throws IOException when the file cannot be opened
     * @throws ModelFormatException when it is not an artifact
     */
    public static ObjectNode manifest(Path file) throws IOException {
        return open(file, null, null, (zip, mn) -> mn);
    }

    private interface Body<T> {
        T read(ZipFile zip, ObjectNode manifest) throws IOException;
    }

    /** Opens the zip, reads and checks the manifest (legacy: null = any version). */
    private static <T> T open(Path file, Boolean legacy, ArtifactKey key, Body<T> body) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            JsonNode mn;
            ZipEntry me = zip.getEntry(MANIFEST);
            if (me == null) {
                throw new ModelFormatException(file + ": model artifact has no entry '" + MANIFEST + "'");
            }
            try (InputStream in = zip.getInputStream(me)) {
                mn = JSON.readTree(bounded(in, MAX_MANIFEST, file, MANIFEST));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ModelFormatException(file + ": " + MANIFEST + " is not valid JSON: " + e.getOriginalMessage(), e);
            }
            if (!(mn instanceof ObjectNode) || !FORMAT.equals(mn.path("format").asText())) {
                throw new ModelFormatException(file + ": not a persona4j profile model (manifest format '"
                        + (mn == null ? "" : mn.path("format").asText()) + "', expected '" + FORMAT + "')");
            }
            int v = mn.path("formatVersion").asInt(-1);
            if (Boolean.TRUE.equals(legacy)) {
                if (v != LEGACY_FORMAT_VERSION) {
                    throw new ModelFormatException(file + ": expected a format-" + LEGACY_FORMAT_VERSION
                            + " artifact to upgrade, found format version " + v);
                }
            } else if (Boolean.FALSE.equals(legacy) && (v < MIN_FORMAT_VERSION || v > FORMAT_VERSION)) {
                ModelFormatException e = ModelFormatException.unsupportedVersion("model artifact", v, MIN_FORMAT_VERSION, FORMAT_VERSION);
                String hint = v == LEGACY_FORMAT_VERSION
                        ? "; its weights are a DL4J network: convert it once with `persona4j upgrade-model --in "
                          + file.getFileName() + " --out NEW.zip` (persona4j-profile-train)"
                        : "";
                throw new ModelFormatException(file + ": " + e.getMessage() + hint);
            }
            if (key != null) {
                verify(file, (ObjectNode) mn, key);
            }
            return body.read(zip, (ObjectNode) mn);
        } catch (ZipException e) {
            throw new ModelFormatException(file + ": not a readable model artifact zip (truncated or corrupt): " + e.getMessage(), e);
        } catch (java.io.EOFException e) {
            throw new ModelFormatException(file + ": model artifact is truncated: " + e.getMessage(), e);
        }
    }

    private static void verify(Path file, ObjectNode mn, ArtifactKey key) throws IOException {
        JsonNode sig = mn.get(SIGNATURE);
        if (sig == null || sig.isNull()) {
            throw new ModelFormatException(file + ": model artifact is not signed (" + MANIFEST + " has no '"
                    + SIGNATURE + "'), but a signing key is required: refusing it; sign it with "
                    + "DeepProfileModel.save(path, key) or `persona4j train --sign-key-file`");
        }
        String alg = sig.path("algorithm").asText("");
        if (!ArtifactKey.ALGORITHM.equals(alg)) {
            throw new ModelFormatException(file + ": model artifact signature algorithm '" + alg + "', expected '"
                    + ArtifactKey.ALGORITHM + "'");
        }
        String value = sig.path("value").asText("");
        ObjectNode unsigned = mn.deepCopy();
        unsigned.remove(SIGNATURE);
        if (value.length() != 64 || !key.verify(canonicalManifest(unsigned), value)) {
            throw new ModelFormatException(file + ": model artifact signature does not match (" + ArtifactKey.ALGORITHM
                    + " over " + MANIFEST + "): the artifact was altered after signing, or signed with another key");
        }
    }

    /**
     * The bytes a signature covers: the manifest without its {@value #SIGNATURE} field, object keys
     * sorted (recursively), no whitespace, UTF-8.
     *
     * @param manifest a manifest as parsed from {@code manifest.json}
     * @return its canonical bytes
     * @throws IOException never in practice (serialization to memory)
     */
    public static byte[] canonicalManifest(JsonNode manifest) throws IOException {
        JsonNode m = manifest;
        if (m instanceof ObjectNode o && o.has(SIGNATURE)) {
            o = o.deepCopy();
            o.remove(SIGNATURE);
            m = o;
        }
        return JSON.writeValueAsBytes(sorted(m));
    }

    private static JsonNode sorted(JsonNode n) {
        if (n.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            java.util.List<String> names = new java.util.ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            java.util.Collections.sort(names);
            for (String k : names) {
                out.set(k, sorted(n.get(k)));
            }
            return out;
        }
        if (n.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
            n.forEach(x -> out.add(sorted(x)));
            return out;
        }
        return n;
    }

    /** The entry, present and (when the manifest records sizes) of the recorded, plausible size. */
    private static ZipEntry sized(ZipFile zip, JsonNode m, String name, Path file) {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new ModelFormatException(file + ": model artifact has no entry '" + name + "'");
        }
        long size = e.getSize();
        long recorded = m.path("sizes").path(name).asLong(-1);
        if (m.path("sizes").has(name) && size != recorded) {
            throw new ModelFormatException(file + ": entry '" + name + "' is " + size + " bytes, the manifest says " + recorded);
        }
        long packed = e.getCompressedSize();
        if (size < 0 || (packed >= 0 && size > (long) MAX_RATIO * packed + (1 << 20))) {
            throw new ModelFormatException(file + ": entry '" + name + "' unpacks to " + size + " bytes from " + packed
                    + " (more than " + MAX_RATIO + "x): refused");
        }
        return e;
    }

    private static byte[] entry(ZipFile zip, JsonNode m, String name, Path file) throws IOException {
        ZipEntry e = sized(zip, m, name, file);
        byte[] data;
        try (InputStream in = zip.getInputStream(e)) {
            data = bounded(in, e.getSize(), file, name);
        }
        checkDigest(file, m, name, sha256(data));
        return data;
    }

    /** Reads at most {@code max} bytes; more is an error (the entry lied about its size). */
    private static byte[] bounded(InputStream in, long max, Path file, String name) throws IOException {
        if (max > Integer.MAX_VALUE - 8) {
            throw new ModelFormatException(file + ": entry '" + name + "' of " + max + " bytes is too large");
        }
        byte[] data = in.readNBytes((int) max);
        if (in.read() != -1) {
            throw new ModelFormatException(file + ": entry '" + name + "' is larger than " + max + " bytes");
        }
        return data;
    }

    private static void checkDigest(Path file, JsonNode m, String name, String actual) {
        String expected = m.path("sha256").path(name).asText("");
        if (!expected.equals(actual)) {
            throw new ModelFormatException(file + ": entry '" + name + "' is corrupt: SHA-256 expected " + expected + ", found " + actual);
        }
    }

    /**
     * @param data bytes
     * @return their SHA-256 as lower-case hex
     */
    public static String sha256(byte[] data) {
        return hex(sha().digest(data));
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    private static String hex(byte[] d) {
        StringBuilder sb = new StringBuilder(64);
        for (byte b : d) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    /** Passes bytes to the zip entry while digesting and counting them; does not close the zip. */
    private static final class CountingDigestStream extends java.io.FilterOutputStream {
        private final MessageDigest md;
        long count;

        CountingDigestStream(OutputStream out, MessageDigest md) {
            super(out);
            this.md = md;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            md.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            md.update(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
