package org.persona4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.persona4j.core.BadInputException;

/**
 * Splits a byte stream into records of fields without creating objects per field: the fields of the
 * current record are ranges of {@link #buf}, valid until the next call to {@link #next()}.
 *
 * <p>With quoting on, fields follow RFC 4180: a field that starts with a double quote runs to the
 * matching closing quote, may hold delimiters, line breaks and doubled quotes ({@code ""}). Lines
 * end with LF, CRLF or a lone CR. A UTF-8 byte order mark at the start is skipped. A malformed
 * record (unclosed quote, text after a closing quote) is still returned, with {@link #syntaxError()}
 * set, so the caller decides whether to fail or skip. A stray quote never swallows the rows after
 * it: when a quoted cell is not closed before the end of the input (or within {@value #MAX_QUOTED}
 * bytes), or runs over line breaks and is followed by text other than a delimiter, the malformed
 * record is only the line the quote opened on, and reading goes on at the next line.
 *
 * <p>Every record is checked to be UTF-8 ({@link #encodingError()}), with a decoder that reports
 * malformed input instead of replacing it, so distinct byte strings never become one id.
 * {@link #terminated()} tells whether the record ended with a line break. Not thread-safe.
 */
final class RecordReader implements AutoCloseable {
    private static final int NEED_MORE = 0;
    private static final int RECORD = 1;
    private static final int END = 2;
    private static final int MAX_RECORD = 64 << 20;
    /** A quoted cell still open after this many bytes is taken for a stray quote. */
    static final int MAX_QUOTED = 1 << 20;

    private final InputStream in;
    private final String source;
    private final byte delim;
    private final boolean quoting;

    /** The buffer holding the current record's bytes. */
    byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private boolean eof;
    private boolean started;
    private boolean skipLf;

    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private byte[] kinds = new byte[16];
    private int count;
    private long linesDone;
    private long recordLine;
    private int recStart;
    private boolean terminated;
    private String syntaxError;
    private String encodingError;
    private CharsetDecoder decoder;
    private CharBuffer chars;
    private byte[] scratch = new byte[256];
    private boolean collapse;

    RecordReader(InputStream in, String source, byte delim, boolean quoting) {
        this.in = in;
        this.source = source;
        this.delim = delim;
        this.quoting = quoting;
    }

    /** Treats runs of delimiters as one and ignores leading and trailing ones (for space-separated files). */
    void collapseEmptyFields() {
        collapse = true;
    }

    /**
     * Reads the next record.
     *
     * @return false at the end of the input
     * @throws IOException on a read failure
     */
    boolean next() throws IOException {
        if (!started) {
            started = true;
            fill();
            if (limit - pos >= 3 && (buf[pos] & 0xFF) == 0xEF && (buf[pos + 1] & 0xFF) == 0xBB && (buf[pos + 2] & 0xFF) == 0xBF) {
                pos += 3;
            }
        }
        for (;;) {
            int r = tryParse();
            if (r == RECORD) {
                return true;
            }
            if (r == END) {
                count = 0;
                return false;
            }
            fill();
        }
    }

    private void fill() throws IOException {
        if (eof) {
            return;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            if (buf.length >= MAX_RECORD) {
                throw new BadInputException(source, linesDone + 1, null,
                        "record longer than " + MAX_RECORD + " bytes (an unclosed quote?)");
            }
            byte[] nb = new byte[buf.length * 2];
            System.arraycopy(buf, 0, nb, 0, limit);
            buf = nb;
        }
        int n;
        try {
            n = in.read(buf, limit, buf.length - limit);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            eof = true;
            throw new BadInputException(source, linesDone + 1, null, "corrupt or truncated gzip data: " + e.getMessage(), e);
        }
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    private void addField(int n, int s, int e, byte kind) {
        if (n == starts.length) {
            int len = n * 2;
            starts = java.util.Arrays.copyOf(starts, len);
            ends = java.util.Arrays.copyOf(ends, len);
            kinds = java.util.Arrays.copyOf(kinds, len);
        }
        starts[n] = s;
        ends[n] = e;
        kinds[n] = kind;
    }

    private int tryParse() {
        final byte[] b = buf;
        final int lim = limit;
        final byte d = delim;
        int p = pos;
        if (skipLf) {
            if (p < lim) {
                if (b[p] == '\n') {
                    p++;
                    pos = p;
                }
                skipLf = false;
            } else if (!eof) {
                return NEED_MORE;
            } else {
                skipLf = false;
            }
        }
        if (p >= lim) {
            return eof ? END : NEED_MORE;
        }
        recStart = p;
        int n = 0;
        int extraLines = 0;
        String err = null;
        for (;;) {
            if (quoting && p < lim && b[p] == '"') {
                int s = ++p;
                boolean escaped = false;
                boolean closed = false;
                while (p < lim) {
                    byte c = b[p];
                    if (c == '"') {
                        if (p + 1 >= lim) {
                            if (!eof) {
                                return NEED_MORE;
                            }
                            closed = true;
                            break;
                        }
                        if (b[p + 1] == '"') {
                            escaped = true;
                            p += 2;
                            continue;
                        }
                        closed = true;
                        break;
                    }
                    if (c == '\n') {
                        extraLines++;
                    }
                    p++;
                }
                if (!closed) {
                    int le = lineEnd(recStart, lim);
                    boolean capped = p - recStart >= MAX_QUOTED && le >= 0;
                    if (!eof && !capped) {
                        return NEED_MORE;
                    }
                    // recover: the record is the opening line alone; reading goes on at the next line
                    return recover(le < 0 ? lim : le, "unclosed quote: expected a closing '\"' "
                            + (capped ? "within " + (MAX_QUOTED >> 20) + " MiB" : "before the end of the input")
                            + "; this line is skipped and reading goes on at the next line");
                }
                addField(n++, s, p, escaped ? (byte) 2 : (byte) 1);
                p++;
                if (p >= lim) {
                    if (!eof) {
                        return NEED_MORE;
                    }
                    return finish(n, p, extraLines, err);
                }
                byte c = b[p];
                if (c == d) {
                    p++;
                    continue;
                }
                if (c == '\n' || c == '\r') {
                    return finish(n, p, extraLines, err);
                }
                err = "unexpected character " + showByte(c) + " after a closing quote: expected the delimiter or the end of the line";
                if (extraLines > 0) {
                    // the quoted cell ran over line breaks and then went wrong: most likely a stray
                    // quote; skip only its opening line and read on at the next one
                    return recover(lineEnd(recStart, lim), err + " (the quoted cell started on this line and ran over "
                            + extraLines + " line break(s)); this line is skipped and reading goes on at the next line");
                }
                // skip the rest of the line as plain text
                while (p < lim && b[p] != '\n' && b[p] != '\r') {
                    p++;
                }
                if (p >= lim && !eof) {
                    return NEED_MORE;
                }
                return finish(n, p, extraLines, err);
            } else {
                int s = p;
                while (p < lim) {
                    byte c = b[p];
                    if (c == d || c == '\n' || c == '\r') {
                        break;
                    }
                    p++;
                }
                if (p >= lim) {
                    if (!eof) {
                        return NEED_MORE;
                    }
                    addField(n++, s, p, (byte) 0);
                    return finish(n, p, extraLines, err);
                }
                addField(n++, s, p, (byte) 0);
                if (b[p] == d) {
                    p++;
                    continue;
                }
                return finish(n, p, extraLines, err);
            }
        }
    }

    /** @return the index of the first LF or CR at or after {@code from}, or -1 */
    private int lineEnd(int from, int lim) {
        for (int q = from; q < lim; q++) {
            if (buf[q] == '\n' || buf[q] == '\r') {
                return q;
            }
        }
        return -1;
    }

    /** Makes the record's first line, up to {@code end}, one malformed record. */
    private int recover(int end, String err) {
        addField(0, recStart, end, (byte) 0);
        return finish(1, end, 0, err);
    }

    private static String showByte(byte c) {
        int v = c & 0xFF;
        return v >= 0x20 && v < 0x7F ? "'" + (char) v + "'" : String.format("0x%02X", v);
    }

    /** Completes a record whose terminator (LF, CR, or end of input) is at {@code p}. */
    private int finish(int n, int p, int extraLines, String err) {
        terminated = p < limit;
        encodingError = err == null ? utf8Error(recStart, p) : null;
        if (p < limit) {
            byte c = buf[p];
            p++;
            if (c == '\r') {
                if (p < limit) {
                    if (buf[p] == '\n') {
                        p++;
                    }
                } else {
                    skipLf = true;
                }
            }
        }
        if (collapse) {
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (starts[i] != ends[i] || kinds[i] != 0) {
                    starts[k] = starts[i];
                    ends[k] = ends[i];
                    kinds[k++] = kinds[i];
                }
            }
            if (k == 0) {
                ends[0] = starts[0];
                kinds[0] = 0;
                k = 1;
            }
            n = k;
        }
        count = n;
        recordLine = linesDone + 1;
        linesDone += 1 + extraLines;
        syntaxError = err;
        pos = p;
        return RECORD;
    }

    /** @return the number of fields of the current record */
    int fieldCount() {
        return count;
    }

    /** @return the 1-based line where the current record starts */
    long line() {
        return recordLine;
    }

    /** @return physical lines consumed so far */
    long linesDone() {
        return linesDone;
    }

    /** @return a syntax problem of the current record, or null */
    String syntaxError() {
        return syntaxError;
    }

    /** @return why the current record is not valid UTF-8, or null when it is (checked only without a syntax error) */
    String encodingError() {
        return encodingError;
    }

    /** @return false when the current record ended at the end of the input without a line break */
    boolean terminated() {
        return terminated;
    }

    /**
     * Checks bytes {@code [s, e)} of the buffer: ASCII is accepted at once; anything else goes
     * through a UTF-8 {@link CharsetDecoder} that reports (never replaces) malformed input.
     *
     * @return null when valid, else what was found and where
     */
    private String utf8Error(int s, int e) {
        int i = s;
        final byte[] b = buf;
        while (i < e && b[i] >= 0) {
            i++;
        }
        if (i == e) {
            return null;
        }
        CharsetDecoder dec = decoder;
        if (dec == null) {
            dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            decoder = dec;
            chars = CharBuffer.allocate(8192);
        }
        dec.reset();
        ByteBuffer in = ByteBuffer.wrap(b, i, e - i);
        CoderResult r;
        for (;;) {
            chars.clear();
            r = dec.decode(in, chars, true);
            if (!r.isOverflow()) {
                break;
            }
        }
        if (!r.isError()) {
            chars.clear();
            r = dec.flush(chars);
        }
        if (!r.isError()) {
            return null;
        }
        int at = in.position();
        StringBuilder sb = new StringBuilder("invalid UTF-8 at byte ").append(at - s + 1).append(" of the line (");
        int n = Math.max(1, Math.min(r.length(), 4));
        for (int k = 0; k < n && at + k < e; k++) {
            sb.append(k == 0 ? "" : " ").append(String.format("0x%02X", b[at + k] & 0xFF));
        }
        return sb.append("): expected UTF-8 text (is the file in another encoding? convert it, e.g. with iconv)").toString();
    }

    /** @return true when the current record is an empty line */
    boolean isBlankLine() {
        return count == 1 && kinds[0] == 0 && starts[0] == ends[0];
    }

    int start(int i) {
        return starts[i];
    }

    int end(int i) {
        return ends[i];
    }

    /** @return true when field {@code i} needs unescaping (held doubled quotes) */
    boolean escaped(int i) {
        return kinds[i] == 2;
    }

    /** @return true when field {@code i} is empty */
    boolean isEmpty(int i) {
        return starts[i] == ends[i];
    }

    /** @return field {@code i} as text (UTF-8, doubled quotes undone) */
    String string(int i) {
        int s = starts[i];
        int e = ends[i];
        if (kinds[i] != 2) {
            return new String(buf, s, e - s, StandardCharsets.UTF_8);
        }
        if (scratch.length < e - s) {
            scratch = new byte[e - s];
        }
        int o = 0;
        for (int p = s; p < e; p++) {
            byte c = buf[p];
            scratch[o++] = c;
            if (c == '"' && p + 1 < e && buf[p + 1] == '"') {
                p++;
            }
        }
        return new String(scratch, 0, o, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
