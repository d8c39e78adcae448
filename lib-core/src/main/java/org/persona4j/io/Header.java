package org.persona4j.io;

import java.util.ArrayList;
import java.util.List;
import org.persona4j.core.EventRules;

/** A header line's column names, looked up case-insensitively; shown shortened and escaped. */
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

    /** @return the header for messages: the names joined, cut and escaped ({@link EventRules#snippet(CharSequence)}) */
    @Override
    public String toString() {
        return show(names);
    }

    /**
     * @param names column names
     * @return them as messages show them: {@code [a, b, c]}, cut to a few dozen characters and
     *     with control characters escaped, so a 10 MB header line is not echoed whole
     */
    static String show(List<String> names) {
        String s = EventRules.snippet(String.join(", ", names));
        return "[" + s.substring(1).replaceFirst("\"", "]");
    }
}
