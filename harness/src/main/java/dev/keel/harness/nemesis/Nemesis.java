package dev.keel.harness.nemesis;

import dev.keel.harness.cluster.ClusterControl;
import dev.keel.harness.run.RunClock;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Runs a {@link FaultSchedule} against a cluster on its own daemon thread: at each step's time it starts the
 * fault, at the step's end it heals what that fault did (restarts what it killed, resumes what it paused, heals
 * the network, resets a clock, completes a membership change). A fault whose action throws (no leader to
 * isolate, a refused MemberAdd) is logged and recorded with {@code :error}, and the run goes on. Clock faults on
 * a machine without clock control are skipped with one log line each. Every start and heal is written to the
 * record as a Jepsen nemesis event.
 */
public final class Nemesis {
    private static final long JOIN_MILLIS = 30_000;

    /**
     * The run time at {@link #start()}: the schedule's times count from there, since the run clock also covers
     * the cluster's start-up. Written before the thread starts, read only by it afterwards.
     */
    private volatile long origin;
    private final ClusterControl cluster;
    private final FaultSchedule schedule;
    private final RunClock clock;
    private final Consumer<String> log;
    private final NemesisRecord record;
    private final FaultActions actions;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopSignal = lock.newCondition();
    private final AtomicInteger started = new AtomicInteger();
    private volatile boolean stopping;

    /**
     * @param cluster  what the faults act on
     * @param schedule what to do when
     * @param clock    the run's time base (the schedule's times are on it)
     * @param record   the file receiving one Jepsen-style nemesis event per fault start and end (EDN); written
     *                 at once (an empty vector) and after every event
     * @param log      one line per fault started or healed, with what it hit (e.g. the leader's name)
     */
    public Nemesis(ClusterControl cluster, FaultSchedule schedule, RunClock clock, Path record, Consumer<String> log) {
        this.cluster = cluster;
        this.schedule = schedule;
        this.clock = clock;
        this.log = log;
        this.record = new NemesisRecord(record);
        this.actions = new FaultActions(cluster, () -> stopping);
        this.thread = new Thread(this::runSchedule, "nemesis");
        this.thread.setDaemon(true);
    }

    /** Starts the schedule on the nemesis thread; returns at once. */
    public void start() {
        origin = clock.millis();
        thread.start();
    }

    /**
     * Stops the schedule, heals whatever fault is in force ({@link ClusterControl#healAll()}) and returns. The
     * thread wakes at once from its waits; an action under way (a kill, a MemberAdd) is let finish and healed
     * first, and only a thread still busy after 30 s is interrupted. Safe to call more than once, and before
     * {@link #start()}.
     */
    public void stopAndHeal() {
        lock.lock();
        try {
            stopping = true;
            stopSignal.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread.isAlive()) {
            try {
                thread.join(JOIN_MILLIS);
                if (thread.isAlive()) {
                    log.accept(stamp() + "nemesis still busy after " + JOIN_MILLIS + " ms; interrupting it");
                    thread.interrupt();
                    thread.join(JOIN_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        cluster.healAll();
    }

    /** @return how many faults were started so far (including ones whose action failed; not skipped ones) */
    public int faultsStarted() {
        return started.get();
    }

    private void runSchedule() {
        try {
            for (FaultStep step : schedule.steps()) {
                if (!awaitUntil(step.startMillis())) {
                    return;
                }
                if (step.kind().family() == FaultFamily.CLOCK && !cluster.clocks().supported()) {
                    log.accept(stamp() + step.kind() + " skipped: " + cluster.clocks().unsupportedReason());
                    continue;
                }
                runStep(step);
            }
        } catch (RuntimeException | Error e) {
            log.accept(stamp() + "nemesis stopped by " + e);
        }
    }

    private void runStep(FaultStep step) {
        ActiveFault fault = new ActiveFault(step);
        String family = step.kind().family().flagName();
        started.incrementAndGet();
        try {
            String hit = actions.start(fault);
            log.accept(stamp() + step.kind() + ": " + hit);
            record.add("start-" + family, step.kind() + " " + hit, clock.nanos(), null);
        } catch (RuntimeException e) {
            log.accept(stamp() + step.kind() + " failed: " + e.getMessage());
            record.add("start-" + family, step.kind().printName(), clock.nanos(), String.valueOf(e));
        }
        if (step.kind() == FaultKind.TRANSFER_LEADER) {
            moveAgain(step);
        }
        awaitUntil(step.endMillis());
        ActiveFault.HealResult healed = fault.heal();
        String error = healed.error() == null ? null : String.valueOf(healed.error());
        log.accept(stamp() + "healed " + step.kind() + ": " + healed.description());
        record.add("stop-" + family, step.kind() + " " + healed.description(), clock.nanos(), error);
    }

    /** The later moves of a transfer-leader step, spread evenly over its period. */
    private void moveAgain(FaultStep step) {
        long moves = Math.max(1, step.amount());
        for (int move = 1; move < moves; move++) {
            if (!awaitUntil(step.startMillis() + step.durationMillis() * move / moves)) {
                return;
            }
            try {
                log.accept(stamp() + step.kind() + " move " + (move + 1) + ": " + actions.move(step, move));
            } catch (RuntimeException e) {
                log.accept(stamp() + step.kind() + " move " + (move + 1) + " failed: " + e.getMessage());
            }
        }
    }

    /** @return true when the time came, false when the nemesis is stopping (at once, however long is left) */
    private boolean awaitUntil(long runMillis) {
        lock.lock();
        try {
            while (!stopping) {
                long left = origin + runMillis - clock.millis();
                if (left <= 0) {
                    return true;
                }
                stopSignal.await(left, TimeUnit.MILLISECONDS);
            }
            return false;
        } catch (InterruptedException e) {
            stopping = true; // an interrupt means stop: heal what is in force and leave
            return false;
        } finally {
            lock.unlock();
        }
    }

    private String stamp() {
        return String.format(Locale.ROOT, "%+.1fs ", (clock.millis() - origin) / 1000.0);
    }
}
