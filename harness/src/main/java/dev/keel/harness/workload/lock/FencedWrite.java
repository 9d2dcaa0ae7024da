package dev.keel.harness.workload.lock;

/**
 * A write to the guarded register: a value {@code c<client>:<token>:<seq>} fenced by the lock key's create
 * revision {@code token}.
 *
 * @param client   the client that wrote it
 * @param token    the fencing token (the lock key's create revision)
 * @param seq      its number among the holder's writes
 * @param revision the revision it got ({@code 0} when unknown: refused, or only seen in the history)
 */
public record FencedWrite(int client, long token, int seq, long revision) {
    /** @return the register value this write puts */
    public String value() {
        return "c" + client + ":" + token + ":" + seq;
    }

    /**
     * @param value    a register value
     * @param revision the revision it was written at
     * @return the write it encodes
     * @throws IllegalArgumentException if it is not {@code c<client>:<token>:<seq>}
     */
    public static FencedWrite parse(String value, long revision) {
        String[] parts = value == null ? new String[0] : value.split(":");
        if (parts.length != 3 || !parts[0].startsWith("c")) {
            throw new IllegalArgumentException("not a fenced write value: " + value);
        }
        try {
            return new FencedWrite(Integer.parseInt(parts[0].substring(1)), Long.parseLong(parts[1]),
                    Integer.parseInt(parts[2]), revision);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a fenced write value: " + value, e);
        }
    }

    /** @return a short text for headlines */
    public String describe() {
        return value() + (revision > 0 ? " at revision " + revision : "") + " (token " + token + ")";
    }
}
