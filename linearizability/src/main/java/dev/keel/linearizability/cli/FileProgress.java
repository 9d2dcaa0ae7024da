package dev.keel.linearizability.cli;

import dev.keel.linearizability.search.CheckProgress;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * How far the check of one history has got, written by the thread checking it and read by the progress reporter
 * (and by the out-of-memory message, which names the stage).
 */
final class FileProgress {
    private final LongSupplier nanoTime;
    private final long startNanos;
    private final CheckProgress search = new CheckProgress();
    private volatile String stage = "starting";
    private volatile long size = -1;
    private volatile long bytes;
    private volatile int events;
    private volatile int operations = -1;

    FileProgress(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
    }

    void stage(String what) {
        stage = what;
    }

    String stage() {
        return stage;
    }

    void reading(long fileSize) {
        size = fileSize;
    }

    /** Only the reading thread calls this, so the unsynchronized increment is safe. */
    void bytesRead(int n) {
        bytes += n;
    }

    void eventsRead(int n) {
        events = n;
    }

    void checking(int operationCount) {
        operations = operationCount;
        stage = "checking";
    }

    CheckProgress search() {
        return search;
    }

    long elapsedNanos() {
        return nanoTime.getAsLong() - startNanos;
    }

    /** @return e.g. "read 1,204,000 events (52 of 310 MB)" or "checking 600,000 operations: decided 12 of 40 keys" */
    String describe() {
        if (operations < 0) {
            String of = size >= 0 ? String.format(Locale.ROOT, " (%,.1f of %,.1f MB)", bytes / 1e6, size / 1e6) : "";
            return String.format(Locale.ROOT, "read %,d events%s", events, of);
        }
        int parts = search.parts();
        String cache = String.format(Locale.ROOT, "; search caches %,d MiB", search.cacheBytes() >> 20);
        String checking = String.format(Locale.ROOT, "checking %,d operations", operations);
        if (parts < 0) {
            return checking + ": validating and preparing the search";
        }
        if (parts == 1) {
            return checking + " as one part" + cache;
        }
        return checking + String.format(Locale.ROOT, ": decided %,d of %,d keys", search.decided(), parts) + cache;
    }
}
