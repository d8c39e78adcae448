package org.persona4j.core;

/**
 * The numerical backend (ND4J CPU or CUDA) could not be loaded: missing native binaries for this
 * platform, a CUDA driver mismatch, or no backend on the class path.
 */
public class BackendUnavailableException extends PersonaException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which backend and why, with what the host can do about it
     * @param cause the underlying failure, may be null
     */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
