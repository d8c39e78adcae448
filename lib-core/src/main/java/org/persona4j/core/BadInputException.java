package org.persona4j.core;

/**
 * Input that violates a documented contract: a malformed line in a data file, a field out of range,
 * an argument that is null where a value is required. When the input came from a file, the
 * exception carries the source, the 1-based line number and the field (column), so that
 * {@link #getMessage()} reads like {@code events.csv:17: field 'timestamp': expected epoch
 * milliseconds or ISO-8601 instant, got "yesterday"}.
 */
public class BadInputException extends PersonaException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;
    private final String field;
    private final String reason;

    /** @param message a complete message naming what, where and what was expected */
    public BadInputException(String message) {
        super(message);
        this.source = null;
        this.line = -1;
        this.field = null;
        this.reason = message;
    }

    /**
     * A bad value in a file.
     *
     * @param source file name or other description of the input, may be null
     * @param line 1-based line number, or -1 if not known
     * @param field the column or field name, may be null
     * @param reason what was wrong and what was expected
     */
    public BadInputException(String source, long line, String field, String reason) {
        super(format(source, line, field, reason));
        this.source = source;
        this.line = line;
        this.field = field;
        this.reason = reason;
    }

    /**
     * A bad value in a file, caused by another exception.
     *
     * @param source file name, may be null
     * @param line 1-based line number, or -1
     * @param field column or field name, may be null
     * @param reason what was wrong
     * @param cause underlying failure
     */
    public BadInputException(String source, long line, String field, String reason, Throwable cause) {
        super(format(source, line, field, reason), cause);
        this.source = source;
        this.line = line;
        this.field = field;
        this.reason = reason;
    }

    private static String format(String source, long line, String field, String reason) {
        StringBuilder sb = new StringBuilder();
        if (source != null) {
            sb.append(source);
            if (line > 0) {
                sb.append(':').append(line);
            }
            sb.append(": ");
        } else if (line > 0) {
            sb.append("line ").append(line).append(": ");
        }
        if (field != null) {
            sb.append("field '").append(field).append("': ");
        }
        sb.append(reason);
        return sb.toString();
    }

    /** @return the file or input description, or null */
    public String source() {
        return source;
    }

    /** @return the 1-based line number, or -1 when not known */
    public long line() {
        return line;
    }

    /** @return the offending field or column, or null */
    public String field() {
        return field;
    }

    /** @return the reason without the location prefix */
    public String reason() {
        return reason;
    }
}
