package org.persona4j.io;

/** Small helpers shared by the format readers. */
final class Readers {
    private Readers() {
    }

    /**
     * A required id cell, interned.
     *
     * @throws RowError when the cell is blank
     */
    static String id(RecordReader r, int i, Interner ids, String field) {
        byte[] b = r.buf;
        int s = r.start(i);
        int e = r.end(i);
        if (Fields.isBlank(b, s, e)) {
            throw new RowError(field, "empty", "expected an id, the cell is empty");
        }
        return r.escaped(i) ? r.string(i) : ids.intern(b, s, e);
    }
}
