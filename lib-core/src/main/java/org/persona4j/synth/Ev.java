package org.persona4j.synth;

import org.persona4j.core.EventType;

/** A compact mutable event used inside the generator; turned into CSV bytes or a BehaviorEvent. */
final class Ev {
    static final EventType[] TYPES = EventType.values();

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
