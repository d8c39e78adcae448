package org.persona4j.features.clean;

/** What the cleaner does with an event that lacks a {@link MissingField}. Every case is counted. */
public enum MissingPolicy {
    /** Fill the value in (where the field supports it; otherwise flag) and count it as imputed. */
    IMPUTE,
    /** Keep the event unchanged and count it as flagged. */
    FLAG,
    /** Drop the event and count it as dropped. */
    DROP
}
