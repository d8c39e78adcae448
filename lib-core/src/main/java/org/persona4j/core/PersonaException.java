package org.persona4j.core;

/**
 * Root of the persona4j exception hierarchy. Unchecked: every public method documents which
 * subclasses it throws.
 */
public class PersonaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, naming the offending value */
    public PersonaException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public PersonaException(String message, Throwable cause) {
        super(message, cause);
    }
}
