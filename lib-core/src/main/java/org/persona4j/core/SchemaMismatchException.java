package org.persona4j.core;

/**
 * Two parts that must agree do not: a model trained on one feature schema loaded with another, a
 * vector of the wrong dimension. The message names the expected and the actual value.
 */
public class SchemaMismatchException extends PersonaException {
    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String actual;

    /**
     * @param what what was compared ("feature schema hash", "embedding dimension")
     * @param expected the value that was required
     * @param actual the value that was found
     */
    public SchemaMismatchException(String what, Object expected, Object actual) {
        super(what + " mismatch: expected " + expected + ", found " + actual);
        this.expected = String.valueOf(expected);
        this.actual = String.valueOf(actual);
    }

    /** @return the required value, as text */
    public String expected() {
        return expected;
    }

    /** @return the value found, as text */
    public String actual() {
        return actual;
    }
}
