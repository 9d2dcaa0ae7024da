package dev.keel.replica;

/** What a failed write may have done: clients retry only what certainly did not happen. */
public enum Fate {
    /** The write certainly did not and will not take effect. */
    NOT_APPLIED,
    /** The write may have taken effect, or may still. */
    UNKNOWN
}
