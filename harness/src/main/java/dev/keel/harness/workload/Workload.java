package dev.keel.harness.workload;

import java.nio.file.Path;

/**
 * One kind of client traffic and the checker that judges what it saw. The runner calls, in order:
 * {@link #start} (client threads begin), {@link #stop} (after the faulty period), {@link #finish} (with the
 * cluster healed: final reads), then {@link #check}. Implementations record every operation with its invoke and
 * complete times; a timeout or a dropped connection is {@code :info} (it may have happened), never {@code :fail},
 * unless etcd's answer proves the operation did not take effect.
 */
public interface Workload {
    /** @return a short name, used for files and the summary: {@code register}, {@code set}, ... */
    String name();

    /** Starts the client threads; returns at once. */
    void start(WorkloadContext context);

    /** Stops invoking new operations and waits until every client thread ended (in-flight calls time out). */
    void stop();

    /** With every fault healed: the final reads the checker needs (e.g. the set's final read). */
    void finish(WorkloadContext context);

    /**
     * Judges the recorded history and writes into {@code dir} the history as Jepsen EDN
     * ({@code <name>.edn}), and a report when there is something to show.
     */
    WorkloadResult check(Path dir);

    /** @return a few words for the progress line while it runs, e.g. {@code ok 412 fail 3 info 7} */
    default String progress() {
        return "";
    }
}
