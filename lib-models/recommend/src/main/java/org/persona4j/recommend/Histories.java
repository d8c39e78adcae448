package org.persona4j.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;

/** Helpers to group events by user and session, each group in time order (stable for equal times). */
public final class Histories {
    private Histories() {
    }

    /**
     * @param events events in any order
     * @return events by user, in first-seen user order, each list sorted by time (stable)
     */
    public static Map<String, List<BehaviorEvent>> byUser(List<BehaviorEvent> events) {
        Map<String, List<BehaviorEvent>> m = new LinkedHashMap<>();
        for (BehaviorEvent e : events) {
            m.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e);
        }
        for (List<BehaviorEvent> l : m.values()) {
            l.sort(Comparator.comparingLong(BehaviorEvent::timestampMillis));
        }
        return m;
    }

    /**
     * Splits events into sessions: by session id when the events carry one, otherwise by user with a
     * new session after an inactivity gap.
     *
     * @param events events in any order
     * @param gapMillis inactivity gap that starts a new session (when there is no session id)
     * @return sessions in first-seen order, each in time order, events without an item dropped
     */
    public static List<List<BehaviorEvent>> sessions(List<BehaviorEvent> events, long gapMillis) {
        Map<String, List<BehaviorEvent>> bySession = new LinkedHashMap<>();
        List<BehaviorEvent> noSession = new ArrayList<>();
        for (BehaviorEvent e : events) {
            if (e.itemId() == null) {
                continue;
            }
            if (e.sessionId().isPresent()) {
                bySession.computeIfAbsent(e.sessionId().get(), s -> new ArrayList<>()).add(e);
            } else {
                noSession.add(e);
            }
        }
        List<List<BehaviorEvent>> out = new ArrayList<>();
        for (List<BehaviorEvent> s : bySession.values()) {
            s.sort(Comparator.comparingLong(BehaviorEvent::timestampMillis));
            out.add(s);
        }
        for (List<BehaviorEvent> h : byUser(noSession).values()) {
            List<BehaviorEvent> cur = new ArrayList<>();
            long last = Long.MIN_VALUE;
            for (BehaviorEvent e : h) {
                if (!cur.isEmpty() && e.timestampMillis() - last > gapMillis) {
                    out.add(cur);
                    cur = new ArrayList<>();
                }
                cur.add(e);
                last = e.timestampMillis();
            }
            if (!cur.isEmpty()) {
                out.add(cur);
            }
        }
        return out;
    }
}
