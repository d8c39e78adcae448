package org.persona4j.privacy;

import java.util.Map;
import java.util.Optional;
import org.persona4j.core.BadInputException;
import org.persona4j.core.UserProfile;
import org.persona4j.store.UserDataStore;

/**
 * A {@link UserDataStore} decorator that pseudonymises user ids before they reach the underlying
 * store: the store (its keys, records, files and backups) only ever holds
 * {@link Pseudonymizer#pseudonym(String) pseudonyms}, while callers keep using the host's ids.
 * Profiles are stored with the pseudonym as their user id and returned with the id the caller
 * asked for. Deleting by the host id forgets the user as the underlying store does.
 *
 * <p>Thread-safe when the underlying store is; closing it closes the underlying store.
 */
public final class PseudonymizingStore implements UserDataStore {
    private final UserDataStore inner;
    private final Pseudonymizer pseudonymizer;

    /**
     * @param inner the store that receives pseudonymised ids
     * @param pseudonymizer the keyed pseudonymizer
     * @throws BadInputException when either is null
     */
    public PseudonymizingStore(UserDataStore inner, Pseudonymizer pseudonymizer) {
        if (inner == null || pseudonymizer == null) {
            throw new BadInputException("PseudonymizingStore: fields 'inner' and 'pseudonymizer' are required");
        }
        this.inner = inner;
        this.pseudonymizer = pseudonymizer;
    }

    private String p(String userId) {
        return pseudonymizer.pseudonym(userId);
    }

    private static UserProfile withId(UserProfile x, String id) {
        return new UserProfile(id, x.embedding(), x.longTermEmbedding(), x.interests(), x.propensities(), x.features(),
                x.tags(), x.segments(), x.eventCount(), x.updatedAt(), x.modelVersion());
    }

    @Override
    public Optional<UserProfile> load(String userId) {
        return inner.load(p(userId)).map(x -> withId(x, userId));
    }

    @Override
    public void save(UserProfile profile) {
        save(profile, Map.of());
    }

    @Override
    public void save(UserProfile profile, Map<String, byte[]> states) {
        if (profile == null) {
            throw new BadInputException("field 'profile': required, was null");
        }
        inner.save(withId(profile, p(profile.userId())), states);
    }

    @Override
    public boolean delete(String userId) {
        return inner.delete(p(userId));
    }

    @Override
    public long size() {
        return inner.size();
    }

    @Override
    public void putState(String userId, String slot, byte[] value) {
        inner.putState(p(userId), slot, value);
    }

    @Override
    public Optional<byte[]> getState(String userId, String slot) {
        return inner.getState(p(userId), slot);
    }

    @Override
    public Map<String, byte[]> statesOf(String userId) {
        return inner.statesOf(p(userId));
    }

    @Override
    public boolean deleteState(String userId, String slot) {
        return inner.deleteState(p(userId), slot);
    }

    /** @return the pseudonym under which the underlying store keeps a user (for audits) */
    public String storedIdOf(String userId) {
        return p(userId);
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public String toString() {
        return "PseudonymizingStore{" + inner + "}";
    }
}
