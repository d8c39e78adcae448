package org.persona4j.synth;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A small buffered UTF-8 CSV writer for the generator's hot loop: numbers are written as ASCII
 * digits without creating strings, text is quoted by RFC 4180 rules (fields holding a comma, a
 * double quote, CR or LF are enclosed in double quotes, inner quotes doubled). Rows end with LF.
 * Either streams to an {@link OutputStream} through a 64 KiB buffer, or collects into a growing
 * in-memory buffer (no stream) that is read back with {@link #buffer()} and {@link #size()}.
 * Not thread-safe.
 */
final class CsvOut implements AutoCloseable {
    private final OutputStream out;
    private byte[] buf;
    private final byte[] digits = new byte[20];
    private int pos;
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** @param out the stream written to; closed by {@link #close()} */
    CsvOut(OutputStream out) {
        this.out = out;
        this.buf = new byte[1 << 16];
    }

    /** @param capacity initial size of an in-memory buffer that grows as needed */
    CsvOut(int capacity) {
        this.out = null;
        this.buf = new byte[Math.max(64, capacity)];
    }

    /** @return the in-memory buffer (valid up to {@link #size()}) */
    byte[] buffer() {
        return buf;
    }

    /** @return bytes in the buffer */
    int size() {
        return pos;
    }

    private void ensure(int n) throws IOException {
        if (pos + n > buf.length) {
            if (out == null) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            } else {
                flushBuffer();
            }
        }
    }

    private void flushBuffer() throws IOException {
        if (out != null) {
            out.write(buf, 0, pos);
            pos = 0;
        }
    }

    CsvOut comma() throws IOException {
        ensure(1);
        buf[pos++] = ',';
        return this;
    }

    CsvOut newline() throws IOException {
        ensure(1);
        buf[pos++] = '\n';
        return this;
    }

    /** Writes bytes as they are (pre-encoded, known to need no quoting). */
    CsvOut raw(byte[] b) throws IOException {
        return raw(b, 0, b.length);
    }

    /** Writes {@code len} bytes of {@code b} from {@code off} as they are. */
    CsvOut raw(byte[] b, int off, int len) throws IOException {
        if (out != null && len > buf.length) {
            flushBuffer();
            out.write(b, off, len);
            return this;
        }
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        return this;
    }

    /** Writes ASCII text as it is, unquoted (headers, fixed fragments). */
    CsvOut ascii(String s) throws IOException {
        return raw(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes an ASCII character. */
    CsvOut ch(char c) throws IOException {
        ensure(1);
        buf[pos++] = (byte) c;
        return this;
    }

    /** Writes a long in decimal. */
    CsvOut num(long v) throws IOException {
        ensure(21);
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return raw(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
            }
            buf[pos++] = '-';
            v = -v;
        }
        int n = 0;
        while (v >= 100) {
            int r = (int) (v % 100);
            v /= 100;
            digits[n++] = PAIRS[2 * r + 1];
            digits[n++] = PAIRS[2 * r];
        }
        if (v >= 10) {
            digits[n++] = PAIRS[2 * (int) v + 1];
            digits[n++] = PAIRS[2 * (int) v];
        } else {
            digits[n++] = (byte) ('0' + v);
        }
        while (n > 0) {
            buf[pos++] = digits[--n];
        }
        return this;
    }

    /** Writes an amount in cents as {@code 12.34}. */
    CsvOut cents(long c) throws IOException {
        num(c / 100);
        ensure(3);
        long f = c % 100;
        buf[pos++] = '.';
        buf[pos++] = (byte) ('0' + f / 10);
        buf[pos++] = (byte) ('0' + f % 10);
        return this;
    }

    /** Writes a text field, quoted when needed; null writes nothing (an empty cell). */
    CsvOut text(String s) throws IOException {
        if (s == null || s.isEmpty()) {
            return this;
        }
        boolean quote = false;
        boolean ascii = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                quote = true;
            } else if (c >= 0x80) {
                ascii = false;
            }
        }
        if (quote) {
            s = '"' + s.replace("\"", "\"\"") + '"';
        }
        if (ascii) {
            int n = s.length();
            if (out != null && n > buf.length) {
                return raw(s.getBytes(StandardCharsets.US_ASCII));
            }
            ensure(n);
            for (int i = 0; i < n; i++) {
                buf[pos++] = (byte) s.charAt(i);
            }
            return this;
        }
        return raw(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        if (out == null) {
            return;
        }
        try {
            flushBuffer();
        } finally {
            out.close();
        }
    }
}
