package dev.keel.linearizability.search;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a running check has got, readable from another thread while it runs: tools print it as progress on
 * long checks. Pass one to {@link Checker#check(dev.keel.linearizability.history.History,
 * dev.keel.linearizability.model.Model, Budget, int, CheckProgress)}; a progress object serves one check.
 */
public final class CheckProgress {
    /** -1 until the history has been validated and split into parts. */
    private volatile int parts = -1;
    private final AtomicInteger decided = new AtomicInteger();
    private final AtomicLong cacheBytes = new AtomicLong();

    /** @return how many parts (keys) the history was split into, or -1 while it is still being prepared */
    public int parts() {
        return parts;
    }

    /** @return how many parts have been decided (linearizable or not) so far */
    public int decided() {
        return decided.get();
    }

    /** @return the estimated size of the search caches so far, in bytes: how much memory the search holds */
    public long cacheBytes() {
        return cacheBytes.get();
    }

    void started(int partCount) {
        parts = partCount;
    }

    void decidedOne() {
        decided.incrementAndGet();
    }

    void cacheGrew(long bytes) {
        cacheBytes.addAndGet(bytes);
    }
}
