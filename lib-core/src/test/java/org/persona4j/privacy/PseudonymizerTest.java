package org.persona4j.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;

class PseudonymizerTest {
    private static final byte[] KEY = "0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8);

    @Test
    void isTheTruncatedHmacSha256AndStable() throws Exception {
        Pseudonymizer p = new Pseudonymizer(KEY);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        String full = java.util.HexFormat.of().formatHex(mac.doFinal("alice".getBytes(StandardCharsets.UTF_8)));
        assertEquals(full.substring(0, 32), p.pseudonym("alice"));
        assertEquals(p.pseudonym("alice"), new Pseudonymizer(KEY.clone()).pseudonym("alice"));
        assertEquals(16, new Pseudonymizer(KEY, 8).pseudonym("alice").length());
    }

    @Test
    void dependsOnTheKeyAndTheId() {
        Pseudonymizer a = new Pseudonymizer(KEY);
        byte[] other = KEY.clone();
        other[0] ^= 1;
        assertNotEquals(a.pseudonym("alice"), new Pseudonymizer(other).pseudonym("alice"));
        Set<String> seen = new HashSet<>();
        IntStream.range(0, 10_000).forEach(i -> seen.add(a.pseudonym("user" + i)));
        assertEquals(10_000, seen.size());
    }

    @Test
    void isThreadSafe() {
        Pseudonymizer a = new Pseudonymizer(KEY);
        String expected = a.pseudonym("bob");
        assertTrue(IntStream.range(0, 20_000).parallel().mapToObj(i -> a.pseudonym("bob")).allMatch(expected::equals));
    }

    @Test
    void neverShowsTheKey() {
        Pseudonymizer a = new Pseudonymizer(KEY);
        assertFalse(a.toString().contains("0123456789"), a.toString());
        BadInputException e = assertThrows(BadInputException.class, () -> new Pseudonymizer("short-secret".getBytes(StandardCharsets.UTF_8)));
        assertFalse(e.getMessage().contains("short-secret"), e.getMessage());
        assertThrows(BadInputException.class, () -> a.pseudonym(" "));
        assertThrows(BadInputException.class, () -> new Pseudonymizer(KEY, 40));
    }
}
