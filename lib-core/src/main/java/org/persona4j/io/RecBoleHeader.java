package org.persona4j.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.persona4j.core.BadInputException;
import org.persona4j.core.EventRules;

/** A RecBole typed header: tab-separated {@code name:type}, type one of token, float, token_seq, float_seq. */
final class RecBoleHeader {
    static final Set<String> TYPES = Set.of("token", "float", "token_seq", "float_seq");

    final List<String> names = new ArrayList<>();
    final List<String> types = new ArrayList<>();

    RecBoleHeader(RecordReader r, String source) {
        for (int i = 0; i < r.fieldCount(); i++) {
            String cell = r.string(i).trim();
            int colon = cell.lastIndexOf(':');
            String type = colon < 0 ? "" : cell.substring(colon + 1);
            if (colon <= 0 || !TYPES.contains(type)) {
                throw new BadInputException(source, r.line(), "column " + (i + 1),
                        "expected a typed header cell name:type with type one of " + TYPES + ", was " + EventRules.snippet(cell));
            }
            names.add(cell.substring(0, colon));
            types.add(type);
        }
    }

    int find(String... candidates) {
        for (String c : candidates) {
            int i = names.indexOf(c);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }

    boolean isFloat(int i) {
        return types.get(i).equals("float");
    }

    int size() {
        return names.size();
    }
}
