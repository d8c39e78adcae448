package org.persona4j.features.clean;

/** What the cleaner does with an event older than an earlier event of the same user in the input. */
public enum OutOfOrderPolicy {
    /** Keep it and put it in its place (stable sort by time); count it as reordered. */
    SORT,
    /** Drop it and count it. */
    DROP
}
