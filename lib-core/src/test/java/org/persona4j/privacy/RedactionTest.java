package org.persona4j.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.UserAttributes;

class RedactionTest {

    @Test
    void userAttributesNeverPrintPersonalValues() {
        UserAttributes a = new UserAttributes("u42", 37, "female", "75011 Paris", "nurse", Map.of("phone", "+33612345678"));
        for (String s : new String[] {a.toString(), Redaction.describe(a), String.format("%s", a)}) {
            for (String secret : new String[] {"37", "female", "75011", "Paris", "nurse", "phone", "+33612345678"}) {
                assertFalse(s.contains(secret), secret + " leaked in " + s);
            }
            assertTrue(s.contains("u42") && s.contains("redacted"), s);
        }
    }

    @Test
    void redactedWrapperHidesTheValue() {
        Object r = Redaction.redacted("alice@example.com");
        assertFalse(r.toString().contains("alice"), r.toString());
        assertTrue(r.toString().startsWith(Redaction.PLACEHOLDER));
        assertEquals("(redacted)<null>", Redaction.redacted(null).toString());
    }

    @Test
    void maskKeepsOnlyEndsAndLength() {
        assertEquals("a***************m (17 chars)", Redaction.maskId("alice@example.com"));
        assertEquals("*** (3 chars)", Redaction.maskId("bob"));
        assertEquals("😀***z (5 chars)", Redaction.maskId("😀abcz"));
    }
}
