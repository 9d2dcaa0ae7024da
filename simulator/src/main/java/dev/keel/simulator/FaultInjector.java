package dev.keel.simulator;

import dev.keel.kernel.util.SplitMix64;

import java.util.ArrayList;
import java.util.List;

/**
 * Drives the fault phase: at random intervals it picks one of the seed's active fault kinds and applies it to
 * the cluster, scheduling its end (heal, restart, resume) a random while later. At most a minority of members
 * may be lost for good (to corruption), so the liveness phase can still demand progress — one member when
 * membership changes run, and only when the operator says the configuration can spare it.
 * Faults pick among the processes that exist (founders, spares once started).
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
            case MEMBERSHIP: sim.operator.changeMembership(); break;
            case TRANSFER: sim.operator.transfer(); break;
            default: throw new IllegalStateException("not a scheduled fault: " + kind);
        }
    }

    private long between(long minMicros, long maxMicros) {
        return minMicros + random.nextInt((int) (maxMicros - minMicros));
    }

    private void partition(boolean oneWay) {
        int n = sim.nodeCount();
        int mask = 1 + random.nextInt((1 << n) - 2); // a non-empty proper subset on one side
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                boolean crosses = ((mask >> a) & 1) != ((mask >> b) & 1);
                if (crosses && (!oneWay || ((mask >> a) & 1) == 1)) {
                    sim.network.cut(sim.present().get(a).id, sim.present().get(b).id);
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
        long partner = 0;
        if (plan.longMinorityPartitions && sim.present().size() >= 5) {
            for (SimNode node : sim.present()) {
                if (node.id != leader && partner == 0) {
                    partner = node.id;
                }
            }
        }
        for (SimNode a : sim.present()) {
            for (SimNode b : sim.present()) {
                boolean aInside = a.id == leader || a.id == partner;
                boolean bInside = b.id == leader || b.id == partner;
                if (aInside != bInside) {
                    sim.network.cut(a.id, b.id);
                }
            }
        }
        sim.event("isolate leader " + leader + (partner != 0 ? " with follower " + partner : ""));
        if (plan.longMinorityPartitions) {
            sim.schedule(sim.now() + between(5_000_000, 15_000_000), this::heal);
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
        sim.schedule(sim.now() + between(200_000, 5_000_000), this::heal);
    }

    /**
     * A partition's scheduled end. After the liveness phase healed everything it does nothing: the network is
     * whole, and a cut the disruption check made then is not this fault's to heal.
     */
    private void heal() {
        if (sim.inFaultPhase()) {
            sim.network.heal();
            sim.event("heal");
        }
    }

    private void clog() {
        long from = sim.randomNodeId(random);
        long to = sim.randomNodeId(random);
        if (from != to) {
            sim.network.clog(from, to, sim.now() + between(200_000, 3_000_000));
            sim.event("clog " + from + "->" + to);
        }
    }

    private void clockJump() {
        SimNode node = sim.node(sim.randomNodeId(random));
        int ticks = 2 + random.nextInt(15);
        node.jumpClock(ticks);
        sim.event("clock of " + node.id + " jumps " + ticks + " ticks");
    }

    private void crash(boolean corrupt) {
        // Half the crashes hit the leader: leader churn is where consensus bugs live (Jepsen's kill-leader).
        long leader = sim.currentLeader();
        SimNode node = sim.node(leader != 0 && random.nextInt(2) == 0 ? leader : sim.randomNodeId(random));
        if (!node.up) {
            return;
        }
        boolean tear = plan.on(FaultKind.TORN_WRITE) && random.nextInt(2) == 0;
        int maxLost = plan.on(FaultKind.MEMBERSHIP) ? 1 : (sim.founders() - 1) / 2;
        boolean mayCorrupt = corrupt && permanentlyLost < maxLost
                && (!plan.on(FaultKind.MEMBERSHIP) || sim.operator.mayLoseForGood(node.id));
        node.crash(tear);
        sim.event("crash " + node.id + (tear ? " (torn write)" : ""));
        if (mayCorrupt) {
            String where = node.disk.corrupt(random);
            if (where != null) {
                permanentlyLost++;
                node.diskCorrupted = true; // the operator counts it lost now, not only once a restart fails
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
        SimNode node = sim.node(sim.randomNodeId(random));
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
        SimNode node = sim.node(sim.randomNodeId(random));
        node.disk.slowFactor = 10 + random.nextInt(91);
        sim.event("slow fsync on " + node.id + " x" + node.disk.slowFactor);
        sim.schedule(sim.now() + between(500_000, 5_000_000), () -> node.disk.slowFactor = 1);
    }

    private void diskFull() {
        SimNode node = sim.node(sim.randomNodeId(random));
        node.disk.full(true);
        sim.event("disk full on " + node.id);
        sim.schedule(sim.now() + between(200_000, 3_000_000), () -> {
            node.disk.full(false);
            sim.event("disk space freed on " + node.id);
        });
    }

    /** Ends every fault for the liveness phase: heals the network, resumes, restarts, restores disks. */
    void healAll() {
        sim.network.heal();
        sim.network.calm = true;
        for (SimNode node : sim.present()) {
            node.disk.slowFactor = 1;
            node.disk.full(false);
            node.resume();
            if (!node.up) {
                node.start();
            }
        }
        sim.event("liveness phase: all faults healed");
    }
}
