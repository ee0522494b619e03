package io.pgsnapman.deadletters;

/** Where a record failed; carried in {@link DeadLetterHeaders#STAGE}. */
public enum Stage {
    /** Its bytes could not be read: not the wire format, an unknown schema id, data that does not match the schema. */
    DECODE,
    /** Its work could not be started (a bug or a broken precondition), so it never ran. */
    START,
    /** Its work ran and kept failing until the failure policy gave up. */
    RUN,
    /** Its work finished but the outcome could not be published. */
    PUBLISH
}
