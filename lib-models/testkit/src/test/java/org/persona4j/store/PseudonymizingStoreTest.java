package org.persona4j.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.privacy.Pseudonymizer;
import org.persona4j.privacy.PseudonymizingStore;
import org.persona4j.testkit.UserDataStoreContract;

/** The pseudonymising decorator passes the conformance suite, and its inner store never sees a host id. */
class PseudonymizingStoreTest extends UserDataStoreContract {
    private InMemoryProfileStore inner;
    private final Pseudonymizer pseudonymizer = new Pseudonymizer("a-test-key-of-enough-bytes".getBytes(StandardCharsets.UTF_8));

    @Override
    protected UserDataStore newStore() {
        inner = new InMemoryProfileStore();
        return new PseudonymizingStore(inner, pseudonymizer);
    }

    @Override
    protected void assertNothingLeftFor(String userId) {
        assertFalse(inner.userIds().contains(userId));
        assertFalse(inner.userIds().contains(pseudonymizer.pseudonym(userId)));
    }

    @Test
    void theInnerStoreHoldsOnlyPseudonyms() {
        store.save(profile("alice@example.com", 4, 1), Map.of("lstm", new byte[] {1}));
        String pseudonym = ((PseudonymizingStore) store).storedIdOf("alice@example.com");
        assertEquals(pseudonymizer.pseudonym("alice@example.com"), pseudonym);
        assertEquals(java.util.Set.of(pseudonym), inner.userIds());
        assertEquals(pseudonym, inner.load(pseudonym).orElseThrow().userId());
        assertTrue(inner.load("alice@example.com").isEmpty());
        assertEquals("alice@example.com", store.load("alice@example.com").orElseThrow().userId());
        assertEquals(profile("alice@example.com", 4, 1), store.load("alice@example.com").orElseThrow());
    }
}
