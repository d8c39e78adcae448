package org.persona4j.core;

/**
 * A saved artifact (model, fitted extractor, store file) that cannot be read: corrupt, truncated,
 * of an unknown format, or written by a newer or older format version than this SDK supports.
 */
public class ModelFormatException extends PersonaException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the file, naming the file and expected/actual values */
    public ModelFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong with the file
     * @param cause the underlying failure
     */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The standard message for a version outside the supported range.
     *
     * @param what what kind of file ("model artifact", "feature pipeline")
     * @param found the version found in the file
     * @param minSupported the oldest version this SDK reads
     * @param maxSupported the newest version this SDK reads
     * @return the exception to throw
     */
    public static ModelFormatException unsupportedVersion(String what, int found, int minSupported, int maxSupported) {
        String rel = found > maxSupported ? "too new" : "too old";
        return new ModelFormatException(String.format(
                "Unknown %s format version %d (%s): this SDK supports versions %d to %d",
                what, found, rel, minSupported, maxSupported));
    }
}
