package org.persona4j.store;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.persona4j.core.BadInputException;
import org.persona4j.core.UserProfile;

/**
 * A {@link UserDataStore} in the heap, for tests and small hosts: nothing survives a restart.
 * Profiles are kept as {@link UserProfile} values (immutable), state bytes are copied in and out.
 * Each user's entry is replaced under the map's per-key lock, so {@link #save(UserProfile, Map)}
 * is atomic per user and concurrent writers never lose each other's users. Thread-safe.
 */
public final class InMemoryProfileStore implements UserDataStore {
    private final ConcurrentHashMap<String, Entry> users = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Creates an empty store. */
    public InMemoryProfileStore() {
    }

    /** One user's data: an immutable snapshot, replaced as a whole. */
    private record Entry(UserProfile profile, Map<String, byte[]> states) {
        boolean isEmpty() {
            return profile == null && states.isEmpty();
        }
    }

    private void open() {
        if (closed) {
            throw new StoreClosedException(toString());
        }
    }

    static String requireText(String field, String v) {
        if (v == null || v.isBlank()) {
            throw new BadInputException("field '" + field + "': required and not blank, was " + (v == null ? "null" : "\"" + v + "\""));
        }
        return v;
    }

    static byte[] requireBytes(String slot, byte[] v) {
        if (v == null) {
            throw new BadInputException("state slot '" + slot + "': value required, was null");
        }
        return v.clone();
    }

    @Override
    public Optional<UserProfile> load(String userId) {
        open();
        requireText("userId", userId);
        Entry e = users.get(userId);
        return e == null ? Optional.empty() : Optional.ofNullable(e.profile());
    }

    @Override
    public void save(UserProfile profile) {
        save(profile, Map.of());
    }

    @Override
    public void save(UserProfile profile, Map<String, byte[]> states) {
        open();
        if (profile == null) {
            throw new BadInputException("field 'profile': required, was null");
        }
        Map<String, byte[]> copies = new TreeMap<>();
        if (states != null) {
            states.forEach((k, v) -> copies.put(requireText("slot", k), requireBytes(k, v)));
        }
        users.compute(profile.userId(), (id, old) -> {
            TreeMap<String, byte[]> s = new TreeMap<>(old == null ? Map.of() : old.states());
            s.putAll(copies);
            return new Entry(profile, s);
        });
    }

    @Override
    public boolean delete(String userId) {
        open();
        requireText("userId", userId);
        return users.remove(userId) != null;
    }

    @Override
    public long size() {
        open();
        return users.values().stream().filter(e -> e.profile() != null).count();
    }

    @Override
    public void putState(String userId, String slot, byte[] value) {
        open();
        requireText("userId", userId);
        requireText("slot", slot);
        byte[] copy = requireBytes(slot, value);
        users.compute(userId, (id, old) -> {
            TreeMap<String, byte[]> s = new TreeMap<>(old == null ? Map.of() : old.states());
            s.put(slot, copy);
            return new Entry(old == null ? null : old.profile(), s);
        });
    }

    @Override
    public Optional<byte[]> getState(String userId, String slot) {
        open();
        requireText("userId", userId);
        requireText("slot", slot);
        Entry e = users.get(userId);
        byte[] b = e == null ? null : e.states().get(slot);
        return b == null ? Optional.empty() : Optional.of(b.clone());
    }

    @Override
    public Map<String, byte[]> statesOf(String userId) {
        open();
        requireText("userId", userId);
        Entry e = users.get(userId);
        Map<String, byte[]> out = new TreeMap<>();
        if (e != null) {
            e.states().forEach((k, v) -> out.put(k, v.clone()));
        }
        return out;
    }

    @Override
    public boolean deleteState(String userId, String slot) {
        open();
        requireText("userId", userId);
        requireText("slot", slot);
        boolean[] removed = {false};
        users.computeIfPresent(userId, (id, old) -> {
            if (!old.states().containsKey(slot)) {
                return old;
            }
            removed[0] = true;
            TreeMap<String, byte[]> s = new TreeMap<>(old.states());
            s.remove(slot);
            Entry n = new Entry(old.profile(), s);
            return n.isEmpty() ? null : n;
        });
        return removed[0];
    }

    /** @return a snapshot of every user id that has any data (profile or state), for audits and tests of forgetting */
    public java.util.Set<String> userIds() {
        open();
        return java.util.Set.copyOf(users.keySet());
    }

    @Override
    public void close() {
        closed = true;
        users.clear();
    }

    @Override
    public String toString() {
        return "InMemoryProfileStore";
    }
}
