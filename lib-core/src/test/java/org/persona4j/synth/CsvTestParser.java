package org.persona4j.synth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;

/** A tiny RFC 4180 reader for the tests (the SDK's readers are tested on their own). */
final class CsvTestParser {
    private CsvTestParser() {
    }

    /** @return every record of the file (header included), each a list of unquoted fields */
    static List<List<String>> records(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                if (field.length() != 0) {
                    throw new IllegalStateException("quote inside an unquoted field at char " + i);
                }
                quoted = true;
                any = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                any = false;
            } else if (c != '\r') {
                field.append(c);
                any = true;
            }
        }
        if (quoted) {
            throw new IllegalStateException("unterminated quote at the end of " + file);
        }
        if (any) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }

    /** @return the event of an events.csv record, or null when the record is malformed */
    static BehaviorEvent event(List<String> f) {
        if (f.size() != 11 || f.get(0).isEmpty()) {
            return null;
        }
        EventType type = EventType.parseOrNull(f.get(2));
        if (type == null) {
            return null;
        }
        try {
            BehaviorEvent.Builder b = BehaviorEvent.builder(f.get(0), f.get(1), type, Long.parseLong(f.get(3)))
                    .session(f.get(4)).query(f.get(5)).reviewText(f.get(10));
            if (!f.get(6).isEmpty()) {
                b.rating(Double.parseDouble(f.get(6)));
            }
            if (!f.get(7).isEmpty()) {
                b.dwellMillis(Long.parseLong(f.get(7)));
            }
            if (!f.get(8).isEmpty()) {
                int q = Integer.parseInt(f.get(8));
                if (q < 1) {
                    return null;
                }
                b.quantity(q);
            }
            if (!f.get(9).isEmpty()) {
                b.price(Double.parseDouble(f.get(9)));
            }
            return b.build();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
