package org.persona4j.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.ModelFormatException;
import org.persona4j.io.FormatHeader;

/**
 * The binary form of a user's recent events, the engine's durable per-user state: the header
 * {@code "P4LG" | version (1 byte)} (a {@link FormatHeader#compactBinary compact} header), the
 * user's total event count, the number of retained events, then each event's type, time and the
 * fields it carries. Written with {@link DataOutputStream} (never Java serialization); decoding
 * checks every length and refuses corrupt, truncated or too-new bytes with a
 * {@link ModelFormatException} that names the user. The bytes of version 1 are pinned by a golden
 * test ({@code EventLogGoldenBytesTest}).
 */
final class EventLogCodec {
    static final int MAGIC = 0x50344C47; // "P4LG"
    static final int VERSION = 1;
    /** The header: the magic's four bytes (big-endian, as {@code writeInt} wrote them) and the version byte. */
    static final FormatHeader HEADER = FormatHeader.compactBinary("P4LG event log",
            new byte[] {(byte) (MAGIC >>> 24), (byte) (MAGIC >>> 16), (byte) (MAGIC >>> 8), (byte) MAGIC}, VERSION, VERSION);

    private static final int F_ITEM = 1;
    private static final int F_SESSION = 2;
    private static final int F_QUERY = 4;
    private static final int F_RATING = 8;
    private static final int F_DWELL = 16;
    private static final int F_QUANTITY = 32;
    private static final int F_PRICE = 64;
    private static final int F_REVIEW = 128;

    private EventLogCodec() {
    }

    /** A decoded log: the retained events, oldest first, and how many events the user had in all. */
    record Log(List<BehaviorEvent> events, long totalEvents) {
    }

    static byte[] encode(Collection<BehaviorEvent> events, long totalEvents) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + events.size() * 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            HEADER.write(out, VERSION);
            out.writeLong(totalEvents);
            out.writeInt(events.size());
            for (BehaviorEvent e : events) {
                writeEvent(out, e);
            }
        } catch (java.io.UTFDataFormatException ex) {
            // an id longer than writeUTF can hold: retrying cannot help (the write-behind quarantines it)
            throw new org.persona4j.core.BadInputException("event log: an item or session id is too long to store ("
                    + ex.getMessage() + "); ids are limited to " + org.persona4j.core.Ids.maxIdBytes() + " UTF-8 bytes");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // cannot happen with a byte array
        }
        return bytes.toByteArray();
    }

    /**
     * Writes one event without its user id (the caller knows whose it is): type, flags, time and
     * the fields it carries.
     *
     * @param out where to write
     * @param e the event
     * @throws IOException from {@code out}; a {@link java.io.UTFDataFormatException} for an id over
     *     65,535 bytes
     */
    static void writeEvent(DataOutputStream out, BehaviorEvent e) throws IOException {
        int flags = (e.itemId() != null ? F_ITEM : 0)
                | (e.sessionId().isPresent() ? F_SESSION : 0)
                | (e.query().isPresent() ? F_QUERY : 0)
                | (!Double.isNaN(e.ratingOrNaN()) ? F_RATING : 0)
                | (e.dwellMillisOrMinus1() >= 0 ? F_DWELL : 0)
                | (e.quantity().isPresent() ? F_QUANTITY : 0)
                | (!Double.isNaN(e.priceOrNaN()) ? F_PRICE : 0)
                | (e.reviewText().isPresent() ? F_REVIEW : 0);
        out.writeByte(e.type().ordinal());
        out.writeByte(flags);
        out.writeLong(e.timestampMillis());
        if (e.itemId() != null) {
            out.writeUTF(e.itemId());
        }
        if ((flags & F_SESSION) != 0) {
            out.writeUTF(e.sessionId().get());
        }
        if ((flags & F_QUERY) != 0) {
            out.writeUTF(clip(e.query().get()));
        }
        if ((flags & F_RATING) != 0) {
            out.writeDouble(e.ratingOrNaN());
        }
        if ((flags & F_DWELL) != 0) {
            out.writeLong(e.dwellMillisOrMinus1());
        }
        if ((flags & F_QUANTITY) != 0) {
            out.writeInt(e.quantityOrOne());
        }
        if ((flags & F_PRICE) != 0) {
            out.writeDouble(e.priceOrNaN());
        }
        if ((flags & F_REVIEW) != 0) {
            out.writeUTF(clip(e.reviewText().get()));
        }
    }

    /**
     * Reads one event written by {@link #writeEvent}.
     *
     * @param in where to read
     * @param userId whose event it is
     * @param where names the event in errors
     * @return the event
     * @throws IOException from {@code in} ({@link EOFException} when truncated)
     * @throws ModelFormatException for an unknown type code
     */
    static BehaviorEvent readEvent(DataInputStream in, String userId, String where) throws IOException {
        int type = in.readUnsignedByte();
        if (type >= EventType.count()) {
            throw new ModelFormatException(where + ": unknown event type code " + type);
        }
        int flags = in.readUnsignedByte();
        long ts = in.readLong();
        String item = (flags & F_ITEM) != 0 ? in.readUTF() : null;
        BehaviorEvent.Builder b = BehaviorEvent.builder(userId, item, EventType.ofOrdinal(type), ts);
        if ((flags & F_SESSION) != 0) {
            b.session(in.readUTF());
        }
        if ((flags & F_QUERY) != 0) {
            b.query(in.readUTF());
        }
        if ((flags & F_RATING) != 0) {
            b.rating(in.readDouble());
        }
        if ((flags & F_DWELL) != 0) {
            b.dwellMillis(in.readLong());
        }
        if ((flags & F_QUANTITY) != 0) {
            b.quantity(in.readInt());
        }
        if ((flags & F_PRICE) != 0) {
            b.price(in.readDouble());
        }
        if ((flags & F_REVIEW) != 0) {
            b.reviewText(in.readUTF());
        }
        return b.build();
    }

    /** writeUTF refuses strings over 65535 bytes; long free text is cut (it is context, not identity). */
    private static String clip(String s) {
        return s.length() > 8_000 ? s.substring(0, 8_000) : s;
    }

    static Log decode(String userId, byte[] data) {
        String what = "event log of user " + userId;
        HEADER.check(data, what);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, HEADER.length(), data.length - HEADER.length()))) {
            long total = in.readLong();
            int n = in.readInt();
            if (total < n || n < 0 || n > data.length / 10) {
                throw new ModelFormatException(what + ": corrupt event count " + n + " for " + data.length + " bytes");
            }
            List<BehaviorEvent> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(readEvent(in, userId, what + ": event " + i));
            }
            if (in.available() != 0) {
                throw new ModelFormatException(what + ": " + in.available() + " trailing bytes after " + n + " events");
            }
            return new Log(out, total);
        } catch (EOFException ex) {
            throw new ModelFormatException(what + ": truncated (" + data.length + " bytes)", ex);
        } catch (BadInputException ex) {
            throw new ModelFormatException(what + ": corrupt field: " + ex.getMessage(), ex);
        } catch (IOException ex) {
            throw new ModelFormatException(what + ": unreadable: " + ex.getMessage(), ex);
        }
    }
}
