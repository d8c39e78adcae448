package org.persona4j.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.persona4j.core.BadInputException;
import org.persona4j.core.ModelFormatException;
import org.persona4j.core.Tag;
import org.persona4j.core.UserProfile;
import org.persona4j.io.FormatHeader;

/**
 * The binary encoding of a {@link UserProfile} used by every persona4j store: explicit, compact
 * and versioned, never Java serialization.
 *
 * <p>Layout of format version {@value #VERSION} (all integers in variable-length LEB128, signed
 * ones zig-zag encoded; floats and doubles as big-endian IEEE 754; strings as a byte length and
 * UTF-8):
 * <pre>
 *   magic 'P' '4' | version byte | userId | eventCount | updatedAt seconds, nanos
 *   | modelVersion (length + 1, 0 for none) | embedding (count, float32 each)
 *   | longTermEmbedding (count, float32 each; version 2 only)
 *   | interests, propensities, features (count, (name, float64) each)
 *   | segments (count, (segmenter, segment id) each)
 *   | tags (count, (id, text, float64 weight, evidence count, (key, value) each) each)
 *   | CRC32C of everything before, 4 bytes big-endian
 * </pre>
 *
 * <p>Versions: 1 has no long-term embedding; 2 adds it after the embedding. {@link #encode} writes
 * the oldest version that holds the profile: version 1 when the long-term embedding is empty (so
 * those records stay byte-for-byte what version 1 wrote, and older SDKs can still read them),
 * version 2 otherwise. {@link #decode} reads both; a version 1 record decodes with an empty
 * long-term embedding.
 *
 * <p>{@link #decode} refuses, with a {@link ModelFormatException} that names the record, the byte
 * offset and the field, records that are truncated, fail the checksum, carry a wrong magic, or were
 * written by a newer format version ("Unknown profile record format version 9 (too new)"). Lengths
 * are checked against the bytes left before anything is allocated, so damaged input cannot cause
 * huge allocations. Stateless and thread-safe.
 */
public final class ProfileCodec {
    /** The current (and newest readable) format version. */
    public static final int VERSION = 2;
    /** The oldest readable format version. */
    public static final int MIN_VERSION = 1;

    /** Magic 'P' '4', then the version byte. */
    private static final FormatHeader HEADER_FORMAT = FormatHeader.compactBinary("profile record", new byte[] {'P', '4'},
            MIN_VERSION, VERSION);
    private static final int HEADER = HEADER_FORMAT.length();
    private static final int TRAILER = 4;

    private ProfileCodec() {
    }

    /**
     * @param profile the profile
     * @return its encoding: format version 1 when it has no long-term embedding, else {@value #VERSION}
     * @throws BadInputException when the profile is null
     */
    public static byte[] encode(UserProfile profile) {
        if (profile == null) {
            throw new BadInputException("ProfileCodec.encode: field 'profile': required, was null");
        }
        float[] longTerm = profile.longTermEmbedding();
        int version = longTerm.length == 0 ? 1 : VERSION;
        Out out = new Out(64 + (profile.embeddingSize() + longTerm.length) * 4);
        out.writeBytes(HEADER_FORMAT.toBytes(version));
        out.string(profile.userId());
        out.varLong(profile.eventCount());
        out.varLong(zigZag(profile.updatedAt().getEpochSecond()));
        out.varLong(profile.updatedAt().getNano());
        if (profile.modelVersion() == null) {
            out.varLong(0);
        } else {
            byte[] b = profile.modelVersion().getBytes(StandardCharsets.UTF_8);
            out.varLong(b.length + 1L);
            out.write(b, 0, b.length);
        }
        float[] e = profile.embedding();
        out.varLong(e.length);
        for (float f : e) {
            out.int32(Float.floatToIntBits(f));
        }
        if (version >= 2) {
            out.varLong(longTerm.length);
            for (float f : longTerm) {
                out.int32(Float.floatToIntBits(f));
            }
        }
        out.doubles(profile.interests());
        out.doubles(profile.propensities());
        out.doubles(profile.features());
        out.varLong(profile.segments().size());
        for (Map.Entry<String, String> s : profile.segments().entrySet()) {
            out.string(s.getKey());
            out.string(s.getValue());
        }
        out.varLong(profile.tags().size());
        for (Tag t : profile.tags()) {
            out.string(t.id());
            out.string(t.text());
            out.int64(Double.doubleToLongBits(t.weight()));
            out.varLong(t.evidence().size());
            for (Map.Entry<String, String> ev : t.evidence().entrySet()) {
                out.string(ev.getKey());
                out.string(ev.getValue());
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(out.buffer(), 0, out.size());
        out.int32((int) crc.getValue());
        return out.toByteArray();
    }

    /**
     * Decodes a record, describing it as "profile record" in errors.
     *
     * @param bytes an encoded profile
     * @return the profile
     * @throws ModelFormatException when the record is damaged, truncated or of an unknown version
     */
    public static UserProfile decode(byte[] bytes) {
        return decode(bytes, "profile record");
    }

    /**
     * Decodes a record.
     *
     * @param bytes an encoded profile
     * @param where where the record came from, used in error messages ("rocksdb store /var/p4j, key 'u1'")
     * @return the profile
     * @throws ModelFormatException when the record is damaged, truncated or of an unknown version
     */
    public static UserProfile decode(byte[] bytes, String where) {
        if (bytes == null) {
            throw new ModelFormatException(where + ": no bytes (null)");
        }
        if (bytes.length < HEADER + TRAILER) {
            throw new ModelFormatException(where + ": truncated: " + bytes.length + " bytes, a profile record has at least "
                    + (HEADER + TRAILER));
        }
        int version = HEADER_FORMAT.check(bytes, where);
        int bodyEnd = bytes.length - TRAILER;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bodyEnd);
        int expected = (int) crc.getValue();
        int found = ((bytes[bodyEnd] & 0xff) << 24) | ((bytes[bodyEnd + 1] & 0xff) << 16) | ((bytes[bodyEnd + 2] & 0xff) << 8)
                | (bytes[bodyEnd + 3] & 0xff);
        if (expected != found) {
            throw new ModelFormatException(String.format("%s: checksum mismatch over bytes 0..%d: expected CRC32C %08x, found %08x"
                    + " (the record is damaged or truncated)", where, bodyEnd, expected, found));
        }
        In in = new In(bytes, HEADER, bodyEnd, where);
        try {
            String userId = in.string("userId");
            long eventCount = in.varLong("eventCount");
            long seconds = unZigZag(in.varLong("updatedAt.seconds"));
            long nanos = in.varLong("updatedAt.nanos");
            if (nanos > 999_999_999L) {
                throw in.corrupt("updatedAt.nanos", "expected 0..999999999, was " + nanos);
            }
            Instant updatedAt;
            try {
                updatedAt = Instant.ofEpochSecond(seconds, nanos);
            } catch (DateTimeException e) {
                throw in.corrupt("updatedAt.seconds", "out of the Instant range: " + seconds);
            }
            long mv = in.varLong("modelVersion");
            String modelVersion = null;
            if (mv > 0) {
                modelVersion = in.utf8((int) Math.min(mv - 1, Integer.MAX_VALUE), "modelVersion");
            }
            int n = in.count("embedding", 4);
            float[] embedding = new float[n];
            for (int i = 0; i < n; i++) {
                embedding[i] = Float.intBitsToFloat(in.int32("embedding"));
            }
            float[] longTerm = new float[0];
            if (version >= 2) {
                int nl = in.count("longTermEmbedding", 4);
                longTerm = new float[nl];
                for (int i = 0; i < nl; i++) {
                    longTerm[i] = Float.intBitsToFloat(in.int32("longTermEmbedding"));
                }
            }
            Map<String, Double> interests = in.doubles("interests");
            Map<String, Double> propensities = in.doubles("propensities");
            Map<String, Double> features = in.doubles("features");
            int ns = in.count("segments", 2);
            Map<String, String> segments = new LinkedHashMap<>();
            for (int i = 0; i < ns; i++) {
                segments.put(in.string("segments[" + i + "].key"), in.string("segments[" + i + "].value"));
            }
            int nt = in.count("tags", 11);
            List<Tag> tags = new ArrayList<>(nt);
            for (int i = 0; i < nt; i++) {
                String f = "tags[" + i + "]";
                String id = in.string(f + ".id");
                String text = in.string(f + ".text");
                double weight = Double.longBitsToDouble(in.int64(f + ".weight"));
                int ne = in.count(f + ".evidence", 2);
                Map<String, String> ev = new LinkedHashMap<>();
                for (int j = 0; j < ne; j++) {
                    ev.put(in.string(f + ".evidence[" + j + "].key"), in.string(f + ".evidence[" + j + "].value"));
                }
                tags.add(new Tag(id, text, weight, ev));
            }
            if (in.pos != bodyEnd) {
                throw in.corrupt("end", (bodyEnd - in.pos) + " unexpected bytes after the last field");
            }
            return new UserProfile(userId, embedding, longTerm, interests, propensities, features, tags, segments, eventCount,
                    updatedAt, modelVersion);
        } catch (BadInputException e) {
            throw new ModelFormatException(where + ": decoded values are invalid: " + e.getMessage(), e);
        }
    }

    /**
     * @param bytes bytes that may be a profile record
     * @return the format version in the header, or -1 when the bytes do not start like a record
     */
    public static int versionOf(byte[] bytes) {
        return HEADER_FORMAT.versionOf(bytes);
    }

    private static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unZigZag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /** A growable byte buffer with the writers the format needs. */
    private static final class Out extends ByteArrayOutputStream {
        Out(int size) {
            super(size);
        }

        byte[] buffer() {
            return buf;
        }

        void varLong(long v) {
            while ((v & ~0x7FL) != 0) {
                write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }

        void int32(int v) {
            write(v >>> 24);
            write(v >>> 16);
            write(v >>> 8);
            write(v);
        }

        void int64(long v) {
            int32((int) (v >>> 32));
            int32((int) v);
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varLong(b.length);
            write(b, 0, b.length);
        }

        void doubles(Map<String, Double> m) {
            varLong(m.size());
            for (Map.Entry<String, Double> e : m.entrySet()) {
                string(e.getKey());
                int64(Double.doubleToLongBits(e.getValue()));
            }
        }
    }

    /** A bounds-checked reader that names the field and offset in every error. */
    private static final class In {
        private final byte[] b;
        private final int end;
        private final String where;
        int pos;

        In(byte[] b, int pos, int end, String where) {
            this.b = b;
            this.pos = pos;
            this.end = end;
            this.where = where;
        }

        ModelFormatException corrupt(String field, String reason) {
            return new ModelFormatException(where + ": corrupt at byte " + pos + " of " + (end + TRAILER) + ", field '" + field
                    + "': " + reason);
        }

        private void need(int n, String field) {
            if (n < 0 || end - pos < n) {
                throw new ModelFormatException(where + ": truncated at byte " + pos + " of " + (end + TRAILER) + ", field '"
                        + field + "': needs " + n + " bytes, " + (end - pos) + " left");
            }
        }

        long varLong(String field) {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                need(1, field);
                int x = b[pos++];
                result |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    if (result < 0 && !field.startsWith("updatedAt.seconds")) {
                        throw corrupt(field, "negative length or count " + result);
                    }
                    return result;
                }
            }
            throw corrupt(field, "variable-length integer longer than 10 bytes");
        }

        int count(String field, int minBytesEach) {
            long n = varLong(field + ".count");
            if (n > (end - pos) / minBytesEach) {
                throw new ModelFormatException(where + ": truncated or corrupt at byte " + pos + ", field '" + field
                        + "': count " + n + " cannot fit in the " + (end - pos) + " bytes left");
            }
            return (int) n;
        }

        int int32(String field) {
            need(4, field);
            int v = ((b[pos] & 0xff) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
            pos += 4;
            return v;
        }

        long int64(String field) {
            long hi = int32(field) & 0xffffffffL;
            long lo = int32(field) & 0xffffffffL;
            return (hi << 32) | lo;
        }

        String utf8(int len, String field) {
            need(len, field);
            String s = new String(b, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }

        String string(String field) {
            long len = varLong(field + ".length");
            need((int) Math.min(len, Integer.MAX_VALUE), field);
            return utf8((int) len, field);
        }

        Map<String, Double> doubles(String field) {
            int n = count(field, 9);
            Map<String, Double> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String k = string(field + "[" + i + "].key");
                m.put(k, Double.longBitsToDouble(int64(field + "[" + i + "].value")));
            }
            return m;
        }
    }
}
