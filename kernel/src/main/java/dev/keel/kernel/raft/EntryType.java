package dev.keel.kernel.raft;

/** Kinds of log entries. An empty {@link #NORMAL} entry is the no-op a new leader appends. */
public final class EntryType {
    private EntryType() {
    }

    /** Application data, opaque to Raft (or empty: a leader's no-op). */
    public static final byte NORMAL = 0;
    /** A membership change, encoded by {@link ConfChange}. */
    public static final byte CONF_CHANGE = 1;

    /** @return true for the types this version understands */
    public static boolean isValid(int type) {
        return type == NORMAL || type == CONF_CHANGE;
    }

    /** @return a short name for logs and scenario output */
    public static String name(int type) {
        return type == NORMAL ? "NORMAL" : type == CONF_CHANGE ? "CONF" : "UNKNOWN(" + type + ")";
    }
}
