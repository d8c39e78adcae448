package org.persona4j.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.PersonaException;
import org.persona4j.core.ProfileModel;
import org.persona4j.store.UserDataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a user that is not in the engine's cache back into memory: reads the user's state slots
 * from the store, decodes the recent-event log ({@link EventLogCodec}) and replays it through the
 * serving model, and restores (or, when missing or unreadable, rebuilds from the retained events)
 * the user's aggregates. A store that fails or holds unreadable bytes is counted and logged
 * without personal data; the user then starts afresh instead of failing the call. Thread-safe.
 */
final class UserLoader {
    private static final Logger LOG = LoggerFactory.getLogger(UserLoader.class);

    private final UserDataStore store;
    private final int historySize;
    private final AggregateSupport aggregates;
    private final LongAdder storeFailures;

    /**
     * @param store where users are stored
     * @param historySize recent events kept per user
     * @param aggregates the aggregate support, or null when the engine keeps none
     * @param storeFailures where failed reads and unreadable bytes are counted
     */
    UserLoader(UserDataStore store, int historySize, AggregateSupport aggregates, LongAdder storeFailures) {
        this.store = store;
        this.historySize = historySize;
        this.aggregates = aggregates;
        this.storeFailures = storeFailures;
    }

    /**
     * @param uid the (pseudonymised) user
     * @return whether the store holds an event log for the user (false when the read fails)
     */
    boolean isStored(String uid) {
        try {
            return store.getState(uid, PersonaEngine.EVENTS_SLOT).isPresent();
        } catch (RuntimeException ex) {
            storeFailures.increment();
            LOG.error("event log store read failed: {}", ex.toString());
            return false;
        }
    }

    /**
     * Loads a user; an unknown user comes back empty. Called inside the user's per-key compute.
     *
     * @param uid the (pseudonymised) user
     * @param model the serving model, through which the stored events are replayed
     * @return the user's live state
     */
    UserEntry load(String uid, ProfileModel model) {
        Map<String, byte[]> slots = readStates(uid);
        UserEntry entry = null;
        byte[] bytes = slots.get(PersonaEngine.EVENTS_SLOT);
        if (bytes != null) {
            try {
                EventLogCodec.Log log = EventLogCodec.decode(uid, bytes);
                entry = UserEntry.restore(uid, historySize, log.events(), log.totalEvents(), model);
            } catch (PersonaException ex) {
                storeFailures.increment();
                LOG.error("stored event log unreadable, the user starts afresh: {}", ex.getMessage());
            }
        }
        if (entry == null) {
            entry = UserEntry.restore(uid, historySize, List.of(), 0, model);
        }
        byte[] seq = slots.get(PersonaEngine.JOURNAL_SLOT);
        if (seq != null && seq.length == Long.BYTES) {
            entry.journalSeq = java.nio.ByteBuffer.wrap(seq).getLong();
        } else if (seq != null) {
            storeFailures.increment();
            LOG.error("stored journal position unreadable ({} bytes), ignored", seq.length);
        }
        if (aggregates != null) {
            byte[] agg = slots.get(AggregateSupport.SLOT);
            if (agg != null) {
                try {
                    entry.aggregates = aggregates.decode(uid, agg);
                } catch (PersonaException ex) {
                    storeFailures.increment();
                    LOG.error("stored aggregates unreadable, rebuilt from the retained events: {}", ex.getMessage());
                }
            }
            if (entry.aggregates == null) {
                entry.aggregates = aggregates.fresh(uid);
                for (BehaviorEvent ev : entry.recentView()) {
                    aggregates.update(entry.aggregates, ev);
                }
            }
        }
        return entry;
    }

    private Map<String, byte[]> readStates(String uid) {
        try {
            return store.statesOf(uid);
        } catch (RuntimeException ex) {
            storeFailures.increment();
            LOG.error("state store read failed: {}", ex.toString());
            return Map.of();
        }
    }
}
