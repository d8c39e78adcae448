package org.persona4j.store;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.persona4j.testkit.UserDataStoreContract;

/** The in-memory store passes the conformance suite. */
class InMemoryProfileStoreTest extends UserDataStoreContract {
    @Override
    protected UserDataStore newStore() {
        return new InMemoryProfileStore();
    }

    @Override
    protected void assertNothingLeftFor(String userId) {
        InMemoryProfileStore s = (InMemoryProfileStore) store;
        assertFalse(s.userIds().contains(userId), "still holds " + userId + ": " + s.userIds());
    }
}
