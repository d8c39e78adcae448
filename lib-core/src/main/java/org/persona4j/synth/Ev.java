package org.persona4j.synth;

import java.util.Comparator;
import org.persona4j.core.EventType;

/** A compact mutable event used inside the generator; turned into CSV bytes or a BehaviorEvent. */
final class Ev {
    static final EventType[] TYPES = EventType.values();
    /** Time, then user, then the user's own sequence: a total order, independent of threads. */
    static final Comparator<Ev> ORDER = (a, b) -> {
        int c = Long.compare(a.ts, b.ts);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(a.user, b.user);
        return c != 0 ? c : Integer.compare(a.seq, b.seq);
    };

    long ts;
    int user;
    int seq;
    int item = -1;
    byte type;
    int session;
    String query;
    int rating;
    long dwell = -1;
    int qty;
    long cents = -1;
    String review;
    /** True for the second copy of a duplicated event (noise). */
    boolean duplicate;

    Ev copy() {
        Ev e = new Ev();
        e.ts = ts;
        e.user = user;
        e.seq = seq;
        e.item = item;
        e.type = type;
        e.session = session;
        e.query = query;
        e.rating = rating;
        e.dwell = dwell;
        e.qty = qty;
        e.cents = cents;
        e.review = review;
        return e;
    }

    EventType eventType() {
        return TYPES[type];
    }
}
