package dev.keel.linearizability.search;

import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.search.PreparedPart.PartResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the searches of a history's parts, in parallel when allowed, under one shared budget, and combines their
 * outcomes. Parts are claimed in key order; once part i fails, parts after i are skipped or stopped, while parts
 * before i still finish, so the failure reported is always the lowest failing part.
 */
final class PartRunner {
    /** Undecided keys named in an unknown verdict's reason; the rest are counted. */
    private static final int KEYS_NAMED = 10;
    private static final String CANCELLED = "cancelled: an earlier part is not linearizable";

    private final List<PreparedPart<?>> parts;
    private final Budget budget;
    private final long startNanos;
    private final long deadlineNanos;
    private final AtomicInteger nextPart = new AtomicInteger();
    private final AtomicInteger firstFailure = new AtomicInteger(Integer.MAX_VALUE);
    private final AtomicLong cacheBytes = new AtomicLong();
    private final PartResult[] results;
    /** The first exception a worker thread died of; rethrown to the caller so no part is silently skipped. */
    private final AtomicReference<Throwable> crash = new AtomicReference<>();

    private final CheckProgress progress;

    PartRunner(List<PreparedPart<?>> parts, Budget budget, long startNanos, CheckProgress progress) {
        this.parts = parts;
        this.progress = progress;
        this.budget = budget;
        this.startNanos = startNanos;
        this.deadlineNanos = budget.time() == null ? Long.MAX_VALUE : startNanos + budget.time().toNanos();
        this.results = new PartResult[parts.size()];
    }

    CheckResult run(int parallelism) {
        int threads = Math.min(parallelism, parts.size());
        if (threads <= 1) {
            work();
        } else {
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread worker = new Thread(this::work, "keel-check-" + i);
                worker.setDaemon(true);
                workers.add(worker);
                worker.start();
            }
            joinAll(workers);
        }
        Throwable crashed = crash.get();
        if (crashed instanceof RuntimeException) {
            throw (RuntimeException) crashed;
        }
        if (crashed != null) {
            throw (Error) crashed;
        }
        return combine();
    }

    private void work() {
        for (int i = nextPart.getAndIncrement(); i < parts.size(); i = nextPart.getAndIncrement()) {
            if (i > firstFailure.get() || crash.get() != null) {
                continue;
            }
            try {
                searchPart(i);
            } catch (RuntimeException | Error e) {
                crash.compareAndSet(null, e);
                firstFailure.set(-1); // stops the other workers' searches at their next budget check
            }
        }
    }

    private void searchPart(int i) {
        results[i] = parts.get(i).search(newBytes -> stopReason(i, newBytes));
        if (results[i].outcome().verdict() != Verdict.UNKNOWN) {
            progress.decidedOne();
        }
        if (results[i].outcome().verdict() == Verdict.NOT_LINEARIZABLE) {
            firstFailure.accumulateAndGet(i, Math::min);
        }
    }

    private String stopReason(int part, long newBytes) {
        if (firstFailure.get() < part) {
            return CANCELLED;
        }
        progress.cacheGrew(newBytes);
        if (cacheBytes.addAndGet(newBytes) > budget.memoryBytes()) {
            return "memory budget exhausted (search caches over " + (budget.memoryBytes() >> 20) + " MiB)";
        }
        String heapFull = HeapWatch.exhausted();
        if (heapFull != null) {
            return heapFull;
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            return "time budget exhausted (" + budget.time().toMillis() + " ms)";
        }
        return null;
    }

    private CheckResult combine() {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        int decided = 0;
        long cached = 0;
        String unknownReason = null;
        for (PartResult result : results) {
            if (result == null) {
                continue;
            }
            cached += result.outcome().cachedStates();
            if (result.outcome().verdict() != Verdict.UNKNOWN) {
                decided++;
            } else if (unknownReason == null && !CANCELLED.equals(result.outcome().reason())) {
                unknownReason = result.outcome().reason();
            }
        }
        int failed = firstFailure.get();
        if (failed != Integer.MAX_VALUE) {
            return new CheckResult(Verdict.NOT_LINEARIZABLE, Optional.of(results[failed].counterexample()), null,
                    parts.size(), decided, cached, elapsed);
        }
        if (unknownReason != null) {
            return new CheckResult(Verdict.UNKNOWN, Optional.empty(), unknownReason + undecidedKeys(), parts.size(),
                    decided, cached, elapsed);
        }
        return new CheckResult(Verdict.LINEARIZABLE, Optional.empty(), null, parts.size(), decided, cached, elapsed);
    }

    /** @return "; undecided keys: ..." naming the parts left open, or "" when the history was not split */
    private String undecidedKeys() {
        List<String> keys = new ArrayList<>();
        int undecided = 0;
        for (int i = 0; i < results.length; i++) {
            boolean open = results[i] == null || results[i].outcome().verdict() == Verdict.UNKNOWN;
            if (open && parts.get(i).key() != null) {
                undecided++;
                if (keys.size() < KEYS_NAMED) {
                    keys.add(EdnWriter.write(parts.get(i).key()));
                }
            }
        }
        if (undecided == 0) {
            return "";
        }
        String more = undecided > keys.size() ? " and " + (undecided - keys.size()) + " more" : "";
        return "; undecided key" + (undecided == 1 ? "" : "s") + ": " + String.join(", ", keys) + more;
    }

    private static void joinAll(List<Thread> workers) {
        boolean interrupted = false;
        for (Thread worker : workers) {
            while (worker.isAlive()) {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    interrupted = true; // the workers stop by their own budget; wait for them, then pass it on
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
