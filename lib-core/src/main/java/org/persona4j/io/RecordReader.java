package org.persona4j.io;

import java.io.IOException;
import java.io.InputStream;
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
 * set, so the caller decides whether to fail or skip. Not thread-safe.
 */
final class RecordReader implements AutoCloseable {
    private static final int NEED_MORE = 0;
    private static final int RECORD = 1;
    private static final int END = 2;
    private static final int MAX_RECORD = 64 << 20;

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
    private String syntaxError;
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
                    if (!eof) {
                        return NEED_MORE;
                    }
                    addField(n++, s, p, escaped ? (byte) 2 : (byte) 1);
                    err = "unclosed quote: expected a closing '\"' before the end of the input";
                    return finish(n, p, extraLines, err);
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
                err = "unexpected character '" + (char) (c & 0xFF) + "' after a closing quote: expected the delimiter or the end of the line";
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

    /** Completes a record whose terminator (LF, CR, or end of input) is at {@code p}. */
    private int finish(int n, int p, int extraLines, String err) {
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
