package dev.keel.replica;

/**
 * How {@link Replica#start()} went.
 *
 * @param started whether the replica runs
 * @param refusal why it refused to start (the disk is corrupted: segment and offset named), or null
 * @param note    what recovery repaired (a torn tail cut), or null
 */
public record StartResult(boolean started, String refusal, String note) {
    static StartResult ok(String note) {
        return new StartResult(true, null, note);
    }

    static StartResult refused(String why) {
        return new StartResult(false, why, null);
    }
}
