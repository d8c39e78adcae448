package org.persona4j.core;

import java.util.Map;

/**
 * A human-readable profile tag ("prefers Beauty &gt; Skin care", "price-sensitive") with the
 * evidence behind it.
 *
 * @param id a stable machine id ("category-preference", "price-sensitive")
 * @param text the text shown to people
 * @param weight strength in [0, 1]
 * @param evidence what the tag rests on ("share" → "0.62", "events" → "41")
 */
public record Tag(String id, String text, double weight, Map<String, String> evidence) {
    /** Validates and copies. @throws BadInputException naming the bad field */
    public Tag {
        Checks.requireId("id", id);
        Checks.requireId("text", text);
        if (!(weight >= 0 && weight <= 1)) {
            throw new BadInputException("tag " + id + ": field 'weight': expected a number in [0, 1], was " + weight);
        }
        evidence = Checks.copyOrdered("evidence", evidence);
    }
}
