package org.persona4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.persona4j.core.BadInputException;
import org.persona4j.core.ModelFormatException;

/**
 * The header of one on-disk format, written and checked in one place (in the spirit of Lucene's
 * {@code CodecUtil}): a magic number, a format name and a version, refused with a
 * {@link ModelFormatException} that says what was found and what was expected when the magic or
 * name is wrong or the version is too new or too old. Immutable and thread-safe.
 *
 * <p>Three layouts:
 * <ul>
 *   <li>{@link #binary}: {@code magic | name length (1 byte) | name (UTF-8) | version (1 byte)},
 *       for new binary formats;</li>
 *   <li>{@link #compactBinary}: {@code magic | version (1 byte)}, the layout of the binary formats
 *       that predate this class (the name is used in messages only);</li>
 *   <li>{@link #json}: the first two keys of a JSON object, {@value #JSON_FORMAT_KEY} (the name)
 *       and {@value #JSON_VERSION_KEY}. Files written before this convention carry the version
 *       under {@value #LEGACY_JSON_VERSION_KEY}; {@link #checkJson} reads either, and
 *       {@link #writeLegacyJson} keeps writing the old key where the exact bytes are pinned.</li>
 * </ul>
 *
 * <p>Messages start with the source ("/models/p.json: ", "rocksdb store /x, key 'u1': ") when one
 * is given, for example {@code "k: Unknown profile record format version 9 (too new): this SDK
 * supports versions 1 to 2"} or {@code "k: not a profile record: expected magic 0x5034 at byte 0,
 * found 0x7b22"}.
 */
public final class FormatHeader {
    /** The JSON key of the format name. */
    public static final String JSON_FORMAT_KEY = "format";
    /** The JSON key of the format version. */
    public static final String JSON_VERSION_KEY = "formatVersion";
    /** The JSON key of the format version in files written before {@link #JSON_VERSION_KEY}. */
    public static final String LEGACY_JSON_VERSION_KEY = "version";
    /** The largest version a binary header can hold (one unsigned byte). */
    public static final int MAX_BINARY_VERSION = 255;

    private enum Layout { BINARY, COMPACT_BINARY, JSON }

    private final Layout layout;
    private final String format;
    private final String description;
    private final byte[] magic;
    private final byte[] name;
    private final int minVersion;
    private final int currentVersion;

    private FormatHeader(Layout layout, String format, String description, byte[] magic, int minVersion, int currentVersion) {
        if (format == null || format.isBlank() || description == null || description.isBlank()) {
            throw new BadInputException("format header: 'format' and 'description' are required, were " + format + ", " + description);
        }
        if (minVersion < 0 || currentVersion < minVersion) {
            throw new BadInputException("format header " + format + ": versions must satisfy 0 <= min <= current, were "
                    + minVersion + ", " + currentVersion);
        }
        if (layout != Layout.JSON) {
            if (magic == null || magic.length == 0) {
                throw new BadInputException("format header " + format + ": a binary format needs a magic of at least one byte");
            }
            if (currentVersion > MAX_BINARY_VERSION) {
                throw new BadInputException("format header " + format + ": binary versions go up to " + MAX_BINARY_VERSION
                        + ", was " + currentVersion);
            }
        }
        this.layout = layout;
        this.format = format;
        this.description = description;
        this.magic = magic == null ? new byte[0] : magic.clone();
        this.name = format.getBytes(StandardCharsets.UTF_8);
        if (layout == Layout.BINARY && name.length > 255) {
            throw new BadInputException("format header: the name must fit in 255 UTF-8 bytes, was " + name.length);
        }
        this.minVersion = minVersion;
        this.currentVersion = currentVersion;
    }

    /**
     * A self-describing binary header: {@code magic | name length | name | version}.
     *
     * @param format the format name written after the magic ("persona4j-item-index")
     * @param description what the format is called in messages ("item index")
     * @param magic the leading bytes, at least one
     * @param minVersion the oldest version read
     * @param currentVersion the version written and the newest read, at most {@value #MAX_BINARY_VERSION}
     * @return the header
     */
    public static FormatHeader binary(String format, String description, byte[] magic, int minVersion, int currentVersion) {
        return new FormatHeader(Layout.BINARY, format, description, magic, minVersion, currentVersion);
    }

    /**
     * A compact binary header: {@code magic | version}; the description is not written, it names
     * the format in messages.
     *
     * @param description what the format is called in messages ("profile record")
     * @param magic the leading bytes, at least one
     * @param minVersion the oldest version read
     * @param currentVersion the version written and the newest read, at most {@value #MAX_BINARY_VERSION}
     * @return the header
     */
    public static FormatHeader compactBinary(String description, byte[] magic, int minVersion, int currentVersion) {
        return new FormatHeader(Layout.COMPACT_BINARY, description, description, magic, minVersion, currentVersion);
    }

    /**
     * A JSON header: keys {@value #JSON_FORMAT_KEY} and {@value #JSON_VERSION_KEY}.
     *
     * @param format the value of {@value #JSON_FORMAT_KEY} ("persona4j-feature-pipeline")
     * @param description what the format is called in messages ("feature pipeline")
     * @param minVersion the oldest version read
     * @param currentVersion the version written and the newest read
     * @return the header
     */
    public static FormatHeader json(String format, String description, int minVersion, int currentVersion) {
        return new FormatHeader(Layout.JSON, format, description, null, minVersion, currentVersion);
    }

    /** @return the format name */
    public String format() {
        return format;
    }

    /** @return what the format is called in messages */
    public String description() {
        return description;
    }

    /** @return the oldest version read */
    public int minVersion() {
        return minVersion;
    }

    /** @return the version written by default and the newest read */
    public int currentVersion() {
        return currentVersion;
    }

    /** @return a copy of the magic bytes (empty for JSON) */
    public byte[] magic() {
        return magic.clone();
    }

    /** @return the number of bytes of a binary header */
    public int length() {
        requireBinary("length");
        return magic.length + (layout == Layout.BINARY ? 1 + name.length : 0) + 1;
    }

    // ---------------------------------------------------------------- binary

    /**
     * @param version the version to record, within {@code [minVersion, currentVersion]}
     * @return the header bytes
     */
    public byte[] toBytes(int version) {
        requireBinary("toBytes");
        checkWritable(version);
        byte[] b = Arrays.copyOf(magic, length());
        int p = magic.length;
        if (layout == Layout.BINARY) {
            b[p++] = (byte) name.length;
            System.arraycopy(name, 0, b, p, name.length);
            p += name.length;
        }
        b[p] = (byte) version;
        return b;
    }

    /**
     * Writes the header.
     *
     * @param out the stream
     * @param version the version to record, within {@code [minVersion, currentVersion]}
     * @throws IOException when writing fails
     */
    public void write(OutputStream out, int version) throws IOException {
        out.write(toBytes(version));
    }

    /**
     * Checks the header at the start of {@code bytes}.
     *
     * @param bytes the data, may be null
     * @param source where the data came from, for messages; may be null
     * @return the version found, within {@code [minVersion, currentVersion]}; the body starts at {@link #length()}
     * @throws ModelFormatException on missing or truncated data, a wrong magic or name, or a version out of range
     */
    public int check(byte[] bytes, String source) {
        requireBinary("check");
        if (bytes == null) {
            throw new ModelFormatException(prefix(source) + "no bytes (null), expected a " + description);
        }
        checkMagic(bytes, bytes.length, source);
        int p = magic.length;
        if (layout == Layout.BINARY) {
            if (bytes.length <= p) {
                throw truncated(bytes.length, source);
            }
            int n = bytes[p++] & 0xff;
            if (bytes.length < p + n) {
                throw truncated(bytes.length, source);
            }
            checkName(Arrays.copyOfRange(bytes, p, p + n), source);
            p += n;
        }
        if (bytes.length <= p) {
            throw truncated(bytes.length, source);
        }
        return checkVersion(bytes[p] & 0xff, source);
    }

    /**
     * Reads and checks a header from a stream, leaving it positioned at the body.
     *
     * @param in the stream
     * @param source where the data came from, for messages; may be null
     * @return the version found
     * @throws ModelFormatException on a truncated header, a wrong magic or name, or a version out of range
     * @throws IOException when reading fails
     */
    public int read(InputStream in, String source) throws IOException {
        requireBinary("read");
        byte[] m = new byte[magic.length];
        int n = in.readNBytes(m, 0, m.length);
        checkMagic(m, n, source);
        int read = n;
        if (layout == Layout.BINARY) {
            int len = in.read();
            if (len < 0) {
                throw truncated(read, source);
            }
            read++;
            byte[] nm = in.readNBytes(len);
            read += nm.length;
            if (nm.length < len) {
                throw truncated(read, source);
            }
            checkName(nm, source);
        }
        int v = in.read();
        if (v < 0) {
            throw truncated(read, source);
        }
        return checkVersion(v, source);
    }

    /**
     * @param bytes data that may start with this header, may be null
     * @return the version recorded in it (in range or not), or -1 when the data does not start with
     *     this format's magic (and name)
     */
    public int versionOf(byte[] bytes) {
        requireBinary("versionOf");
        if (bytes == null || bytes.length < length() || !Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length)) {
            return -1;
        }
        int p = magic.length;
        if (layout == Layout.BINARY) {
            if ((bytes[p] & 0xff) != name.length || !Arrays.equals(bytes, p + 1, p + 1 + name.length, name, 0, name.length)) {
                return -1;
            }
            p += 1 + name.length;
        }
        return bytes[p] & 0xff;
    }

    private void checkMagic(byte[] b, int n, String source) {
        int k = Math.min(n, magic.length);
        if (!Arrays.equals(b, 0, k, magic, 0, k)) {
            throw new ModelFormatException(prefix(source) + "not a " + description + ": expected magic 0x" + hex(magic, magic.length)
                    + " at byte 0, found 0x" + hex(b, k) + (k < magic.length ? " (only " + k + " bytes)" : ""));
        }
        if (n < magic.length) {
            throw truncated(n, source);
        }
    }

    private void checkName(byte[] found, String source) {
        if (!Arrays.equals(found, name)) {
            throw new ModelFormatException(prefix(source) + "not a " + description + ": expected format name \"" + format
                    + "\" after the magic, found \"" + new String(found, StandardCharsets.UTF_8) + "\"");
        }
    }

    private ModelFormatException truncated(int n, String source) {
        return new ModelFormatException(prefix(source) + "truncated " + description + " header: " + n + " bytes, expected "
                + length());
    }

    private static String hex(byte[] b, int n) {
        return HexFormat.of().formatHex(b, 0, n);
    }

    private void requireBinary(String what) {
        if (layout == Layout.JSON) {
            throw new IllegalStateException("format header " + format + " is a JSON header: " + what + " is for binary headers");
        }
    }

    // ---------------------------------------------------------------- versions

    /**
     * @param found a version read from a file
     * @param source where it came from, for messages; may be null
     * @return {@code found} when within {@code [minVersion, currentVersion]}
     * @throws ModelFormatException naming both when too new or too old
     */
    public int checkVersion(int found, String source) {
        if (found < minVersion || found > currentVersion) {
            throw new ModelFormatException(prefix(source)
                    + ModelFormatException.unsupportedVersion(description, found, minVersion, currentVersion).getMessage());
        }
        return found;
    }

    private void checkWritable(int version) {
        if (version < minVersion || version > currentVersion) {
            throw new BadInputException("format header " + format + ": cannot write version " + version + ", expected "
                    + minVersion + " to " + currentVersion);
        }
    }

    private static String prefix(String source) {
        return source == null ? "" : source + ": ";
    }

    // ---------------------------------------------------------------- JSON

    /**
     * Puts {@value #JSON_FORMAT_KEY} and {@value #JSON_VERSION_KEY} into {@code root} (call it
     * first, so that they lead the file).
     *
     * @param root the object
     * @param version the version to record, within {@code [minVersion, currentVersion]}
     * @return {@code root}
     */
    public ObjectNode writeJson(ObjectNode root, int version) {
        return putJson(root, JSON_VERSION_KEY, version);
    }

    /**
     * Puts {@value #JSON_FORMAT_KEY} and the legacy {@value #LEGACY_JSON_VERSION_KEY} key, for
     * formats whose exact bytes are pinned (golden files, hashes of the text).
     *
     * @param root the object
     * @param version the version to record, within {@code [minVersion, currentVersion]}
     * @return {@code root}
     */
    public ObjectNode writeLegacyJson(ObjectNode root, int version) {
        return putJson(root, LEGACY_JSON_VERSION_KEY, version);
    }

    private ObjectNode putJson(ObjectNode root, String versionKey, int version) {
        requireJson("writeJson");
        checkWritable(version);
        root.put(JSON_FORMAT_KEY, format);
        root.put(versionKey, version);
        return root;
    }

    /**
     * Checks the header of a parsed JSON file: {@value #JSON_FORMAT_KEY} must be this format and
     * {@value #JSON_VERSION_KEY} (or, in older files, {@value #LEGACY_JSON_VERSION_KEY}) an integer
     * within range.
     *
     * @param root the parsed file, may be null
     * @param source where it came from, for messages; may be null
     * @return the version found
     * @throws ModelFormatException when it is not an object of this format or the version is missing or out of range
     */
    public int checkJson(JsonNode root, String source) {
        requireJson("checkJson");
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(prefix(source) + "not a " + description + " file: expected a JSON object with \""
                    + JSON_FORMAT_KEY + "\": \"" + format + "\", found " + (root == null ? "nothing" : root.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        JsonNode f = root.get(JSON_FORMAT_KEY);
        if (f == null || !f.isTextual() || !format.equals(f.asText())) {
            throw new ModelFormatException(prefix(source) + "not a " + description + " file: expected \"" + JSON_FORMAT_KEY
                    + "\": \"" + format + "\", found " + (f == null ? "no \"" + JSON_FORMAT_KEY + "\" key" : f.toString()));
        }
        JsonNode v = root.get(JSON_VERSION_KEY);
        String key = JSON_VERSION_KEY;
        if (v == null) {
            v = root.get(LEGACY_JSON_VERSION_KEY);
            key = LEGACY_JSON_VERSION_KEY;
        }
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ModelFormatException(prefix(source) + "field '" + key + "': expected an integer format version, found "
                    + (v == null ? "nothing (neither \"" + JSON_VERSION_KEY + "\" nor \"" + LEGACY_JSON_VERSION_KEY + "\")" : v.toString()));
        }
        return checkVersion(v.asInt(), source);
    }

    private void requireJson(String what) {
        if (layout != Layout.JSON) {
            throw new IllegalStateException("format header " + format + " is a binary header: " + what + " is for JSON headers");
        }
    }

    @Override
    public String toString() {
        return "FormatHeader{" + layout + " " + format + ", versions " + minVersion + ".." + currentVersion
                + (magic.length > 0 ? ", magic 0x" + hex(magic, magic.length) : "") + "}";
    }
}
