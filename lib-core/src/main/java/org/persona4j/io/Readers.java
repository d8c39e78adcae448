package org.persona4j.io;

import org.persona4j.core.EventRules;

/** Small helpers shared by the format readers. */
final class Readers {
    private Readers() {
    }

    /**
     * A required id cell, interned and checked by {@link EventRules#checkId}.
     *
     * @throws RowError when the cell is blank or holds a control character
     */
    static String id(RecordReader r, int i, Interner ids, String field) {
        byte[] b = r.buf;
        int s = r.start(i);
        int e = r.end(i);
        if (Fields.isBlank(b, s, e)) {
            throw new RowError(field, "empty", "expected an id, the cell is empty");
        }
        return checked(r.escaped(i) ? r.string(i) : ids.intern(b, s, e), field);
    }

    /**
     * @param id an id read from a file
     * @param field the column name
     * @return the id
     * @throws RowError when it holds a control character ({@link EventRules#checkId})
     */
    static String checked(String id, String field) {
        Fields.require(EventRules.checkId(field, id));
        return id;
    }
}
