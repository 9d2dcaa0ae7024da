package dev.keel.simulator;

import dev.keel.kernel.util.SplitMix64;

import java.util.EnumSet;

/**
 * What one seed does to its cluster (swarm testing): which of the allowed faults are active in this run and
 * how hard each hits, plus the run's shape (read mode, snapshot cadence, workload). Drawn once from the seed,
 * so different seeds explore different mixes instead of every run averaging over all of them.
 */
final class FaultPlan {
    final EnumSet<FaultKind> active = EnumSet.noneOf(FaultKind.class);

    final long baseLatencyMicros;
    final long jitterMicros;
    final int spikePercent;
    /** Upper bound of a latency spike: up to a few election timeouts on some seeds (TCP retransmits, stalls). */
    final int maxSpikeMicros;
    /** How far a reordered message may be held back: a little, or several election timeouts. */
    int maxReorderMicros;
    final int lossPercent;
    int duplicatePercent;
    final int reorderPercent;
    final long meanMicrosBetweenDisruptions;
    double maxClockDrift;
    final long fsyncMicros;

    boolean leaseReads;
    boolean preVote;
    boolean checkQuorum;
    int maxMessageBytes;
    final int maxInflight;
    int snapshotEvery;
    /** Rare mix: chance (%) that a node crashes the moment a sync completes, before the batch's messages leave. */
    int crashAfterSyncPercent;
    /** Rare mix: leader isolations last 5–15 s and take a follower along (a minority that keeps its leader). */
    boolean longMinorityPartitions;
    /** Rare mix: a duplicate arrives up to this much later than its original. */
    int lateDuplicateMicros;
    final int snapshotKeep;
    /** Small WAL segments, so segment cuts and releases happen often. */
    final int walSegmentBytes;
    final int clients;
    final int keys;
    final int watchers;
    final long thinkMicros;
    final long timeoutMicros;
    /** Clients that grant short leases, attach keys, keep them alive, revoke or let them expire. */
    final int leaseClients;

    FaultPlan(SplitMix64 random, EnumSet<FaultKind> allowed, Mix mix) {
        // Swarm testing: each seed first draws how dense its fault mix is, so some seeds concentrate on a few
        // kinds (and hit them often) while others combine many.
        int density = 10 + random.nextInt(81);
        for (FaultKind kind : allowed) {
            if (random.nextInt(100) < density) {
                active.add(kind);
            }
        }
        // One kind asked for means that fault on every seed. The draws above still happen, so every later draw
        // (and every seed of a run with several kinds) stays as it was.
        boolean onlyKind = allowed.size() == 1;
        if (onlyKind) {
            active.addAll(allowed);
        }
        baseLatencyMicros = 50 + random.nextInt(2000);
        jitterMicros = 1 + random.nextInt(1000);
        spikePercent = on(FaultKind.DELAY) ? 1 + random.nextInt(5) : 0;
        maxSpikeMicros = random.nextInt(2) == 0 ? 200_000 : 3_000_000;
        int[] holds = {50_000, 1_000_000, 5_000_000};
        maxReorderMicros = holds[random.nextInt(holds.length)];
        lossPercent = on(FaultKind.LOSS) ? random.nextInt(31) : 0;
        duplicatePercent = on(FaultKind.DUPLICATION) ? 1 + random.nextInt(5) : 0;
        reorderPercent = on(FaultKind.REORDER) ? 1 + random.nextInt(20) : 0;
        meanMicrosBetweenDisruptions = 100_000 + random.nextInt(3_000_000);
        fsyncMicros = 50 + random.nextInt(3000);
        checkQuorum = random.nextInt(4) != 0;
        preVote = random.nextInt(4) != 0;
        // Lease reads are only safe under their clock assumption: bounded drift and no clock jumps.
        leaseReads = checkQuorum && random.nextInt(3) == 0;
        if (leaseReads && onlyKind && on(FaultKind.CLOCK_JUMP)) {
            leaseReads = false; // clock jumps were asked for; lease reads would rule them out
        }
        if (leaseReads) {
            active.remove(FaultKind.CLOCK_JUMP);
        }
        maxClockDrift = on(FaultKind.CLOCK_DRIFT) ? (leaseReads ? 0.10 : 0.25) * (random.nextInt(101) / 100.0) : 0;
        // 1 byte means one entry per append, so a new leader's no-op can travel apart from older entries.
        int[] sizes = {1, 64, 256, 4096, 64 * 1024};
        maxMessageBytes = sizes[random.nextInt(sizes.length)];
        maxInflight = 1 + random.nextInt(64);
        snapshotEvery = 200 + random.nextInt(1800);
        snapshotKeep = random.nextInt(40);
        walSegmentBytes = 4096 << random.nextInt(6);
        clients = 3 + random.nextInt(8);
        keys = 1 + random.nextInt(8);
        watchers = random.nextInt(4);
        thinkMicros = random.nextInt(30_000);
        timeoutMicros = 2_000_000 + random.nextInt(4_000_000);
        leaseClients = random.nextInt(4); // drawn last: the draws above stay as they were
        if (mix == Mix.RARE) {
            weightRareSchedules(random);
        } else if (mix == Mix.LEASE_BEYOND_BOUND) {
            leaseReads = true;
            checkQuorum = true;
            preVote = true; // liveness under extreme drift needs it; the experiment is about stale reads
            active.add(FaultKind.CLOCK_DRIFT);
            active.add(FaultKind.ISOLATE_LEADER);
            active.add(FaultKind.PARTITION);
            active.remove(FaultKind.CLOCK_JUMP);
            maxClockDrift = 0.30 + random.nextInt(21) / 100.0;
        }
    }

    /** Overrides for {@link Mix#RARE}, drawn after everything else so the default mix's seeds stay as they were. */
    private void weightRareSchedules(SplitMix64 random) {
        active.add(FaultKind.ISOLATE_LEADER);
        longMinorityPartitions = true;
        checkQuorum = checkQuorum && random.nextInt(2) == 0; // without it a minority leader keeps accepting writes
        if (leaseReads && !checkQuorum) {
            checkQuorum = true; // lease reads need check-quorum
        }
        crashAfterSyncPercent = on(FaultKind.CRASH) ? 2 + random.nextInt(9) : 0;
        snapshotEvery = 30 + random.nextInt(170);
        maxMessageBytes = random.nextInt(2) == 0 ? 1 : 64;
        active.add(FaultKind.DUPLICATION);
        duplicatePercent = 5 + random.nextInt(11);
        maxReorderMicros = 5_000_000;
        lateDuplicateMicros = 5_000_000;
    }

    boolean on(FaultKind kind) {
        return active.contains(kind);
    }

    @Override
    public String toString() {
        return "faults=" + FaultKind.format(active) + " latency=" + baseLatencyMicros + "us loss=" + lossPercent
                + "% dup=" + duplicatePercent + "% reorder=" + reorderPercent + "% drift=" + maxClockDrift
                + " lease=" + leaseReads + " prevote=" + preVote + " checkquorum=" + checkQuorum
                + " clients=" + clients + " keys=" + keys + " lease-clients=" + leaseClients;
    }
}
