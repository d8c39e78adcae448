package org.persona4j.io;

import java.util.ArrayList;
import java.util.List;

/** A header line's column names, looked up case-insensitively. */
final class Header {
    final List<String> names;

    Header(RecordReader r) {
        names = new ArrayList<>(r.fieldCount());
        for (int i = 0; i < r.fieldCount(); i++) {
            names.add(r.string(i).trim());
        }
    }

    /** @return the index of the first column with one of these names, or -1 */
    int find(String... candidates) {
        for (String c : candidates) {
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase(c)) {
                    return i;
                }
            }
        }
        return -1;
    }

    int size() {
        return names.size();
    }

    @Override
    public String toString() {
        return names.toString();
    }
}
