package org.persona4j.privacy;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.persona4j.core.BadInputException;

/**
 * Replaces user ids with stable pseudonyms at the boundary of the host system: the pseudonym is the
 * HMAC-SHA256 of the UTF-8 id under a secret key that the host supplies, truncated to
 * {@code length} bytes and written as lower-case hex. The same key and id always give the same
 * pseudonym; without the key, pseudonyms cannot be linked back to ids, not even by trying every
 * likely id (which an unkeyed hash would allow).
 *
 * <p>The key is copied in and never logged: {@link #toString()} shows only the length and a
 * fingerprint-free description. Keep the key out of the SDK's configuration files and out of
 * version control; rotating it changes every pseudonym. Thread-safe.
 */
public final class Pseudonymizer {
    /** Shortest accepted key, in bytes (128 bits). */
    public static final int MIN_KEY_BYTES = 16;
    /** Default pseudonym length in bytes (128 bits, 32 hex characters). */
    public static final int DEFAULT_LENGTH = 16;

    private static final String ALGORITHM = "HmacSHA256";
    private final Mac prototype;
    private final int length;

    /**
     * @param key the secret key, at least {@value #MIN_KEY_BYTES} bytes (copied)
     * @param length the pseudonym length in bytes, 8..32
     * @throws BadInputException for a short key or a length out of range (the message never shows the key)
     */
    public Pseudonymizer(byte[] key, int length) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new BadInputException("Pseudonymizer: field 'key': expected at least " + MIN_KEY_BYTES + " bytes, got "
                    + (key == null ? "null" : key.length + " bytes"));
        }
        if (length < 8 || length > 32) {
            throw new BadInputException("Pseudonymizer: field 'length': expected 8..32 bytes, was " + length);
        }
        byte[] copy = key.clone();
        try {
            prototype = Mac.getInstance(ALGORITHM);
            prototype.init(new SecretKeySpec(copy, ALGORITHM));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        } finally {
            Arrays.fill(copy, (byte) 0);
        }
        this.length = length;
    }

    /**
     * A pseudonymizer with {@value #DEFAULT_LENGTH}-byte pseudonyms.
     *
     * @param key the secret key, at least {@value #MIN_KEY_BYTES} bytes
     * @throws BadInputException for a short key
     */
    public Pseudonymizer(byte[] key) {
        this(key, DEFAULT_LENGTH);
    }

    /**
     * @param userId the id the host knows the user by, not blank
     * @return the pseudonym: {@code 2 * length} lower-case hex characters
     * @throws BadInputException for a null or blank id
     */
    public String pseudonym(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new BadInputException("Pseudonymizer: field 'userId': required and not blank");
        }
        Mac mac = newMac();
        byte[] h = mac.doFinal(userId.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(h, 0, length);
    }

    private Mac newMac() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            // every JDK provider of HmacSHA256 supports clone; keep a clear failure otherwise
            throw new IllegalStateException("the HmacSHA256 provider cannot clone its Mac", e);
        }
    }

    /** @return the pseudonym length in bytes */
    public int length() {
        return length;
    }

    @Override
    public String toString() {
        return "Pseudonymizer{HMAC-SHA256, " + length + " bytes, key=(secret)}";
    }
}
