package org.persona4j.models.profile.artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A host-supplied secret for signing model artifacts with HMAC-SHA256
 * ({@link org.persona4j.models.profile.DeepProfileModel#save(Path, ArtifactKey)}) and refusing
 * unsigned or altered ones on load
 * ({@link org.persona4j.models.profile.DeepProfileModel#load(Path, ArtifactKey)}).
 *
 * <p>The signature covers the canonical manifest, which records the SHA-256 of every other entry,
 * so it covers the whole artifact: whoever alters the weights and recomputes the checksums still
 * cannot produce a valid signature without the key. The secret is held in a private copy and never
 * printed: {@link #toString()} shows only its length.
 *
 * <p>Immutable and thread-safe.
 */
public final class ArtifactKey {
    /** The signature algorithm recorded in the manifest. */
    public static final String ALGORITHM = "HMAC-SHA256";
    /** The fewest secret bytes accepted (128 bits). */
    public static final int MIN_BYTES = 16;
    private static final String JCA = "HmacSHA256";

    private final byte[] secret;

    private ArtifactKey(byte[] secret) {
        this.secret = secret;
    }

    /**
     * A key from its secret bytes (copied).
     *
     * @param secret at least {@value #MIN_BYTES} bytes
     * @return the key
     * @throws IllegalArgumentException when the secret is null or shorter than {@value #MIN_BYTES} bytes
     */
    public static ArtifactKey of(byte[] secret) {
        if (secret == null || secret.length < MIN_BYTES) {
            throw new IllegalArgumentException("artifact signing key: expected at least " + MIN_BYTES
                    + " secret bytes, got " + (secret == null ? "none" : secret.length));
        }
        return new ArtifactKey(secret.clone());
    }

    /**
     * A key read from a file: its bytes, without trailing line breaks, spaces or tabs (so a key
     * written by {@code echo} or an editor works), at least {@value #MIN_BYTES} bytes.
     *
     * @param file the key file
     * @return the key
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when the key in it is shorter than {@value #MIN_BYTES} bytes
     */
    public static ArtifactKey fromFile(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int n = b.length;
        while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r' || b[n - 1] == ' ' || b[n - 1] == '\t')) {
            n--;
        }
        byte[] s = Arrays.copyOf(b, n);
        Arrays.fill(b, (byte) 0);
        if (s.length < MIN_BYTES) {
            throw new IllegalArgumentException("artifact signing key file " + file + ": expected at least "
                    + MIN_BYTES + " bytes of secret, found " + s.length);
        }
        return new ArtifactKey(s);
    }

    /** @return the HMAC-SHA256 of the bytes under this key, as lower-case hex */
    String sign(byte[] data) {
        try {
            Mac mac = Mac.getInstance(JCA);
            mac.init(new SecretKeySpec(secret, JCA));
            return hex(mac.doFinal(data));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
    }

    /** @return whether the hex signature is this key's signature of the bytes (constant-time compare) */
    boolean verify(byte[] data, String signatureHex) {
        byte[] expected = sign(data).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] given = signatureHex.toLowerCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    private static String hex(byte[] d) {
        StringBuilder sb = new StringBuilder(d.length * 2);
        for (byte b : d) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    /** @return a description with the secret's length only, never the secret */
    @Override
    public String toString() {
        return "ArtifactKey[" + ALGORITHM + ", " + secret.length + " bytes]";
    }
}
