package org.persona4j.core;

import java.util.Map;

/**
 * A group of users, with a description for people.
 *
 * @param id stable id within its segmenter ("kmeans-3", "rfm-champions")
 * @param kind what produced it: behaviour clusters, value groups or rules
 * @param name a readable name ("Night-owl skin-care fans")
 * @param size number of users at fit time
 * @param share fraction of users at fit time, in [0, 1]
 * @param summary descriptive statistics (top categories, average order value, ...), ordered
 */
public record Segment(String id, Kind kind, String name, long size, double share, Map<String, String> summary) {

    /** What produced a segment. */
    public enum Kind {
        /** A cluster of behaviour or embeddings. */
        BEHAVIOUR,
        /** An RFM value group. */
        VALUE,
        /** A declarative rule. */
        RULE
    }

    /** Validates and copies. @throws BadInputException naming the bad field */
    public Segment {
        Checks.requireId("id", id);
        if (kind == null) {
            throw new BadInputException("segment " + id + ": field 'kind': required, was null");
        }
        Checks.requireId("name", name);
        if (size < 0) {
            throw new BadInputException("segment " + id + ": field 'size': expected >= 0, was " + size);
        }
        if (!(share >= 0 && share <= 1)) {
            throw new BadInputException("segment " + id + ": field 'share': expected a number in [0, 1], was " + share);
        }
        summary = Checks.copyOrdered("summary", summary);
    }
}
