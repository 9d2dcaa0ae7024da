package dev.keel.simulator;

import dev.keel.kernel.util.SplitMix64;

import java.util.ArrayList;
import java.util.List;

/**
 * Drives the fault phase: at random intervals it picks one of the seed's active fault kinds and applies it to
 * the cluster, scheduling its end (heal, restart, resume) a random while later. At most a minority of members
 * may be lost for good (to corruption), so the liveness phase can still demand progress.
 */
final class FaultInjector {
    private final Simulation sim;
    private final SplitMix64 random;
    private final FaultPlan plan;
    private final List<FaultKind> disruptions = new ArrayList<>();
    private int permanentlyLost;

    FaultInjector(Simulation sim, SplitMix64 random, FaultPlan plan) {
        this.sim = sim;
        this.random = random;
        this.plan = plan;
        for (FaultKind kind : plan.active) {
            switch (kind) {
                case DELAY:
                case LOSS:
                case DUPLICATION:
                case REORDER:
                case CLOCK_DRIFT:
                case TORN_WRITE:
                    break; // always on for the run when active; nothing to schedule
                default:
                    disruptions.add(kind);
            }
        }
    }

    void start() {
        if (!disruptions.isEmpty()) {
            scheduleNext();
        }
    }

    private void scheduleNext() {
        long wait = 1 + (long) (-Math.log(1 - random.nextInt(1_000_000) / 1_000_000.0)
                * plan.meanMicrosBetweenDisruptions);
        sim.schedule(sim.now() + wait, () -> {
            if (!sim.inFaultPhase()) {
                return;
            }
            inject(disruptions.get(random.nextInt(disruptions.size())));
            scheduleNext();
        });
    }

    private void inject(FaultKind kind) {
        sim.trace.add(kind.ordinal() + 1_000L);
        switch (kind) {
            case PARTITION: partition(false); break;
            case ASYMMETRIC_PARTITION: partition(true); break;
            case ISOLATE_LEADER: isolateLeader(); break;
            case CLOG: clog(); break;
            case CLOCK_JUMP: clockJump(); break;
            case CRASH: crash(false); break;
            case PAUSE: pause(); break;
            case CORRUPTION: crash(true); break;
            case SLOW_FSYNC: slowFsync(); break;
            case DISK_FULL: diskFull(); break;
            default: throw new IllegalStateException("not a scheduled fault: " + kind);
        }
    }

    private long between(long minMicros, long maxMicros) {
        return minMicros + random.nextInt((int) (maxMicros - minMicros));
    }

    private void partition(boolean oneWay) {
        int n = sim.nodeCount();
        int mask = 1 + random.nextInt((1 << n) - 2); // a non-empty proper subset on one side
        for (long a = 1; a <= n; a++) {
            for (long b = 1; b <= n; b++) {
                boolean crosses = ((mask >> (a - 1)) & 1) != ((mask >> (b - 1)) & 1);
                if (crosses && (!oneWay || ((mask >> (a - 1)) & 1) == 1)) {
                    sim.network.cut(a, b);
                }
            }
        }
        sim.event((oneWay ? "one-way partition " : "partition ") + Integer.toBinaryString(mask));
        healLater();
    }

    private void isolateLeader() {
        long leader = sim.currentLeader();
        if (leader == 0) {
            return;
        }
        // The rare mix keeps the leader company in a 5-member cluster: a minority with a leader and a follower
        // that keeps appending what it cannot commit, for long enough that the majority moves on.
        long partner = plan.longMinorityPartitions && sim.nodeCount() == 5 ? leader % sim.nodeCount() + 1 : 0;
        for (long a = 1; a <= sim.nodeCount(); a++) {
            for (long b = 1; b <= sim.nodeCount(); b++) {
                boolean aInside = a == leader || a == partner;
                boolean bInside = b == leader || b == partner;
                if (aInside != bInside) {
                    sim.network.cut(a, b);
                }
            }
        }
        sim.event("isolate leader " + leader + (partner != 0 ? " with follower " + partner : ""));
        if (plan.longMinorityPartitions) {
            sim.schedule(sim.now() + between(5_000_000, 15_000_000), () -> {
                sim.network.heal();
                sim.event("heal");
            });
        } else {
            healLater();
        }
    }

    /** The rare mix's crash between persist and send: the sync completed, the batch's messages never leave. */
    void crashAfterSync(SimNode node) {
        node.crash(false);
        sim.event("crash " + node.id + " right after a sync, before its messages left");
        sim.schedule(sim.now() + between(100_000, 5_000_000), () -> restart(node));
    }

    private void healLater() {
        sim.schedule(sim.now() + between(200_000, 5_000_000), () -> {
            sim.network.heal();
            sim.event("heal");
        });
    }

    private void clog() {
        long from = 1 + random.nextInt(sim.nodeCount());
        long to = 1 + random.nextInt(sim.nodeCount());
        if (from != to) {
            sim.network.clog(from, to, sim.now() + between(200_000, 3_000_000));
            sim.event("clog " + from + "->" + to);
        }
    }

    private void clockJump() {
        SimNode node = sim.node(1 + random.nextInt(sim.nodeCount()));
        int ticks = 2 + random.nextInt(15);
        node.jumpClock(ticks);
        sim.event("clock of " + node.id + " jumps " + ticks + " ticks");
    }

    private void crash(boolean corrupt) {
        // Half the crashes hit the leader: leader churn is where consensus bugs live (Jepsen's kill-leader).
        long leader = sim.currentLeader();
        SimNode node = sim.node(leader != 0 && random.nextInt(2) == 0 ? leader : 1 + random.nextInt(sim.nodeCount()));
        if (!node.up) {
            return;
        }
        boolean tear = plan.on(FaultKind.TORN_WRITE) && random.nextInt(2) == 0;
        node.crash(tear);
        sim.event("crash " + node.id + (tear ? " (torn write)" : ""));
        if (corrupt && permanentlyLost < (sim.nodeCount() - 1) / 2) {
            String where = node.disk.corrupt(random);
            if (where != null) {
                permanentlyLost++;
                sim.event("corrupt disk of " + node.id + ": " + where);
            }
        }
        sim.schedule(sim.now() + between(100_000, 5_000_000), () -> restart(node));
    }

    private void restart(SimNode node) {
        node.start();
        sim.event("restart " + node.id + (node.up ? "" : " failed"));
    }

    private void pause() {
        SimNode node = sim.node(1 + random.nextInt(sim.nodeCount()));
        if (!node.up || node.paused) {
            return;
        }
        node.pause();
        sim.event("pause " + node.id);
        sim.schedule(sim.now() + between(50_000, 3_000_000), () -> {
            node.resume();
            sim.event("resume " + node.id);
        });
    }

    private void slowFsync() {
        SimNode node = sim.node(1 + random.nextInt(sim.nodeCount()));
        node.disk.slowFactor = 10 + random.nextInt(91);
        sim.event("slow fsync on " + node.id + " x" + node.disk.slowFactor);
        sim.schedule(sim.now() + between(500_000, 5_000_000), () -> node.disk.slowFactor = 1);
    }

    private void diskFull() {
        SimNode node = sim.node(1 + random.nextInt(sim.nodeCount()));
        node.disk.full = true;
        sim.event("disk full on " + node.id);
        sim.schedule(sim.now() + between(200_000, 3_000_000), () -> {
            node.disk.full = false;
            sim.event("disk space freed on " + node.id);
        });
    }

    /** Ends every fault for the liveness phase: heals the network, resumes, restarts, restores disks. */
    void healAll() {
        sim.network.heal();
        sim.network.calm = true;
        for (long id = 1; id <= sim.nodeCount(); id++) {
            SimNode node = sim.node(id);
            node.disk.slowFactor = 1;
            node.disk.full = false;
            node.resume();
            if (!node.up) {
                node.start();
            }
        }
        sim.event("liveness phase: all faults healed");
    }
}
