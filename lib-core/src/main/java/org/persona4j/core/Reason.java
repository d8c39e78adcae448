package org.persona4j.core;

import java.util.Map;

/**
 * One reason behind a recommendation: a kind, a human-readable text ("because you viewed Rose
 * serum") and the evidence (item ids, similarity, counts).
 *
 * @param kind the kind of reason
 * @param text the text shown to people
 * @param evidence what the reason rests on, possibly empty
 */
public record Reason(ReasonKind kind, String text, Map<String, String> evidence) {
    /** Validates and copies. @throws BadInputException naming the bad field */
    public Reason {
        if (kind == null) {
            throw new BadInputException("reason: field 'kind': required, was null");
        }
        Checks.requireId("text", text);
        evidence = Checks.copyOrdered("evidence", evidence);
    }

    /**
     * @param kind the kind
     * @param text the text
     * @param keyValues evidence as alternating keys and values
     * @return the reason
     */
    public static Reason of(ReasonKind kind, String text, Object... keyValues) {
        return new Reason(kind, text, Evidence.of(keyValues));
    }
}
