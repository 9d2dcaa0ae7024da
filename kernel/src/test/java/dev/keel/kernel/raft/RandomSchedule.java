package dev.keel.kernel.raft;

import dev.keel.kernel.util.SplitMix64;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One random schedule over a {@link TestCluster}, fully determined by its seed: ticks, deliveries in random
 * order, drops, duplicates, partitions, crashes and restarts, snapshots and compaction, leadership transfers,
 * membership changes, proposals and reads. On half the seeds the hosts also use early sends: a batch's sync may
 * stay in flight for a few steps after its early messages ({@link Ready#messageMayLeaveBeforeSync}) left,
 * inputs wait for it (group commit), and a node may crash before the sync, losing that batch while its appends
 * are out. The cluster's own checks (election safety, state machine safety, leader completeness) run on every
 * step and log matching periodically; {@link #run} ends with a liveness phase: faults heal and a new proposal
 * must be applied everywhere within a bounded number of ticks.
 */
final class RandomSchedule {
    private final SplitMix64 random;
    private final TestCluster cluster = new TestCluster();
    private final int voters;
    private final List<Long> removed = new ArrayList<>();
    private long nextNodeId;
    private long proposals;
    private long readContext;
    private final int lossPercent;
    private final int duplicatePercent;
    private final RaftConfig shape;
    /**
     * Drives only the early-send host behaviour, so a seed without early sends replays exactly the schedule it
     * had before hosts could send early.
     */
    private final SplitMix64 hostRandom;
    private final boolean earlySends;
    private boolean syncsDelayed;

    RandomSchedule(long seed, int voters) {
        this.random = new SplitMix64(seed);
        this.hostRandom = new SplitMix64(seed ^ 0x5A17C0FFEE5EEDL);
        this.earlySends = hostRandom.nextInt(2) == 0;
        this.syncsDelayed = earlySends;
        cluster.delaySync = n -> syncsDelayed && hostRandom.nextInt(100) < 30;
        this.voters = voters;
        this.lossPercent = random.nextInt(20);
        this.duplicatePercent = random.nextInt(5);
        this.shape = randomShape();
        ConfState initial = new ConfState();
        for (long id = 1; id <= voters; id++) {
            initial.addVoter(id);
        }
        for (long id = 1; id <= voters; id++) {
            cluster.add(randomConfig(id), initial);
        }
        nextNodeId = voters + 1;
        partitionSalt = random.nextLong();
    }

    TestCluster cluster() {
        return cluster;
    }

    /** Runs {@code steps} random steps, then the liveness phase; a failure carries the trace's tail. */
    void run(int steps) {
        java.util.ArrayDeque<String> trace = new java.util.ArrayDeque<>();
        int keep = Integer.getInteger("keel.trace", 0);
        if (keep > 0) {
            cluster.events = line -> {
                trace.addLast(line);
                if (trace.size() > keep) {
                    trace.removeFirst();
                }
            };
        }
        try {
            for (int step = 0; step < steps; step++) {
                step();
                if (step % 200 == 0) {
                    cluster.checkLogMatching();
                }
            }
            cluster.checkLogMatching();
            liveness();
            cluster.checkLogMatching();
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError(e.getMessage() + (keep > 0 ? "\n--- last events:\n" + String.join("\n", trace)
                    : "\n(-Dkeel.trace=N shows the last N events)"), e);
        }
    }

    /** Cluster-wide settings for this seed; members differ only in ID and PRNG seed. */
    private RaftConfig randomConfig(long id) {
        return new RaftConfig(id, shape.electionTicks(), shape.heartbeatTicks(), shape.preVote(),
                shape.checkQuorum(), shape.leaderStickiness(), shape.readMode(), shape.leaseDriftTicks(),
                shape.maxMessageBytes(), shape.maxInflightMessages(), shape.snapshotChunkBytes(),
                shape.maxPendingReads(), shape.learnerCatchUpEntries(), random.nextLong());
    }

    private RaftConfig randomShape() {
        boolean checkQuorum = random.nextInt(2) == 0;
        RaftConfig c = RaftConfig.defaults(1, 0)
                .withTimeouts(10, 1 + random.nextInt(3))
                .withPreVote(random.nextInt(2) == 0)
                .withCheckQuorum(checkQuorum)
                .withFlowControl(32 + random.nextInt(512), 1 + random.nextInt(8))
                .withSnapshotChunkBytes(8 + random.nextInt(128));
        return checkQuorum && random.nextInt(2) == 0 ? c.withReadMode(ReadMode.LEASE_BASED) : c;
    }

    /** @return whether this seed's hosts send early messages before their sync */
    boolean earlySends() {
        return earlySends;
    }

    private void step() {
        if (earlySends) {
            progressSyncs();
        }
        int roll = random.nextInt(1000);
        if (roll < 400) {
            tickRandomNode();
        } else if (roll < 800) {
            deliverRandomMessage();
        } else if (roll < 880) {
            proposeOnRandomNode();
        } else if (roll < 910) {
            readOnRandomNode();
        } else if (roll < 925) {
            crashOrRestart();
        } else if (roll < 940) {
            snapshotRandomNode();
        } else if (roll < 955) {
            partitionOrHeal();
        } else if (roll < 965) {
            transfer();
        } else if (roll < 975) {
            changeMembership();
        } else {
            tickAll();
        }
    }

    /** Each sync in flight completes, waits, or (rarely) is cut short by a crash that loses the batch. */
    private void progressSyncs() {
        for (TestNode n : new ArrayList<>(cluster.nodes.values())) {
            if (n.syncing == null) {
                continue;
            }
            int roll = hostRandom.nextInt(100);
            if (roll < 3) {
                cluster.events.accept("crash before sync " + n.node);
                n.crash();
            } else if (roll < 50) {
                cluster.completeSync(n);
            }
        }
    }

    /** @return a live node the host may call now (none with a sync in flight), or null */
    private TestNode randomIdleNode() {
        TestNode n = randomLiveNode();
        return n == null || n.syncing != null ? null : n;
    }

    private TestNode randomLiveNode() {
        List<TestNode> live = new ArrayList<>();
        for (TestNode n : cluster.nodes.values()) {
            if (!n.crashed) {
                live.add(n);
            }
        }
        return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
    }

    private void tickRandomNode() {
        TestNode n = randomLiveNode();
        if (n != null) {
            cluster.events.accept("tick " + n.id);
            cluster.tick(n);
        }
    }

    private void tickAll() {
        for (TestNode n : cluster.nodes.values()) {
            cluster.tick(n);
        }
    }

    private void deliverRandomMessage() {
        if (cluster.queue.isEmpty()) {
            return;
        }
        // Mostly near the front (a network mostly delivers in order), sometimes anywhere (reordering).
        int size = cluster.queue.size();
        int at = random.nextInt(4) == 0 ? random.nextInt(size) : random.nextInt(Math.min(size, 3));
        Envelope e = cluster.queue.remove(at);
        if (random.nextInt(100) < lossPercent) {
            cluster.events.accept("lose " + MessageFormatter.describe(e));
            return;
        }
        cluster.events.accept("deliver " + MessageFormatter.describe(e));
        if (random.nextInt(100) < duplicatePercent) {
            cluster.queue.add(e);
        }
        cluster.deliver(e);
    }

    private void proposeOnRandomNode() {
        TestNode n = randomIdleNode();
        if (n == null) {
            return;
        }
        byte[] data = ("v" + (++proposals)).getBytes(StandardCharsets.UTF_8);
        long index = n.node.propose(new UnsafeBuffer(data), 0, data.length);
        cluster.events.accept("propose on " + n.id + ": " + (index > 0 ? "index " + index : RaftError.describe(index)));
        cluster.processReady(n);
    }

    private void readOnRandomNode() {
        TestNode n = randomIdleNode();
        if (n != null) {
            n.node.readIndex(++readContext);
            cluster.processReady(n);
        }
    }

    private void crashOrRestart() {
        List<TestNode> down = new ArrayList<>();
        for (TestNode n : cluster.nodes.values()) {
            if (n.crashed && !removed.contains(n.id)) {
                down.add(n);
            }
        }
        if (!down.isEmpty() && random.nextInt(2) == 0) {
            TestNode n = down.get(random.nextInt(down.size()));
            n.restart();
            cluster.events.accept("restart " + n.node);
            cluster.processReady(n);
            return;
        }
        TestNode n = randomLiveNode();
        if (n != null) {
            cluster.events.accept("crash " + n.node);
            n.crash();
        }
    }

    private void snapshotRandomNode() {
        TestNode n = randomIdleNode();
        if (n == null) {
            return;
        }
        if (n.takeSnapshot() == RaftError.OK || n.node.storage().snapshotIndex() > 0) {
            long snapshot = n.node.storage().snapshotIndex();
            long keep = random.nextInt(4);
            n.compact(Math.max(n.node.storage().baseIndex(), snapshot - keep));
            cluster.events.accept("snapshot " + n.id + " at " + snapshot + ", base now " + n.node.storage().baseIndex());
        }
        cluster.processReady(n);
    }

    private void partitionOrHeal() {
        cluster.heal();
        cluster.events.accept("heal / repartition");
        if (random.nextInt(3) == 0) {
            return;
        }
        List<Long> ids = new ArrayList<>(cluster.nodes.keySet());
        for (long a : ids) {
            for (long b : ids) {
                // One random side per node; links across sides are cut, sometimes in one direction only.
                if (a != b && sideOf(a) != sideOf(b) && random.nextInt(4) != 0) {
                    cluster.block(a, b);
                }
            }
        }
    }

    private long partitionSalt;

    private int sideOf(long id) {
        return (int) ((id * 0x9E3779B97F4A7C15L ^ partitionSalt) >>> 63);
    }

    private void transfer() {
        TestNode n = randomIdleNode();
        if (n != null && n.node.role() == Role.LEADER) {
            ConfState conf = n.node.configuration();
            n.node.transferLeadership(conf.voter(random.nextInt(conf.voterCount())));
            cluster.processReady(n);
        }
        partitionSalt = random.nextLong();
    }

    private void changeMembership() {
        long leaderId = cluster.leader();
        if (leaderId == 0) {
            return;
        }
        TestNode leader = cluster.node(leaderId);
        if (leader.syncing != null) {
            return;
        }
        ConfState conf = leader.node.configuration();
        int choice = random.nextInt(3);
        if (choice == 0 && conf.voterCount() + conf.learnerCount() < voters + 2) {
            long id = nextNodeId++;
            cluster.events.accept("add learner " + id);
            if (leader.node.proposeConfChange(ConfChange.ADD_LEARNER, id) > 0) {
                cluster.add(randomConfig(id), new ConfState());
            } else {
                nextNodeId--;
            }
        } else if (choice == 1 && conf.learnerCount() > 0) {
            long learner = conf.learner(random.nextInt(conf.learnerCount()));
            cluster.events.accept("promote " + learner + ": "
                    + RaftError.describe(Math.min(0, leader.node.proposeConfChange(ConfChange.PROMOTE, learner))));
        } else if (choice == 2 && conf.voterCount() > 3) {
            long victim = conf.voter(random.nextInt(conf.voterCount()));
            cluster.events.accept("remove " + victim);
            if (leader.node.proposeConfChange(ConfChange.REMOVE, victim) > 0) {
                // A removed member never comes back under the same ID (as in etcd).
                removed.add(victim);
            }
        }
        cluster.processReady(leader);
    }

    /** Heals everything, restarts crashed members, and requires a new write to be applied everywhere. */
    private void liveness() {
        syncsDelayed = false;
        for (TestNode n : cluster.nodes.values()) {
            cluster.completeSync(n);
        }
        cluster.heal();
        for (TestNode n : cluster.nodes.values()) {
            // Every member comes back, "removed" ones too: a removal proposal may never have committed, and a
            // really removed node must not disrupt the others (stickiness keeps its campaigns harmless).
            if (n.crashed) {
                n.restart();
                cluster.processReady(n);
            }
        }
        awaitLeaderLogApplied();
        byte[] data = "liveness".getBytes(StandardCharsets.UTF_8);
        long proposedAt = -1;
        for (int round = 0; round < 3000; round++) {
            tickAllAndDeliver();
            long leaderId = cluster.leader();
            if (leaderId == 0) {
                continue;
            }
            TestNode leader = cluster.node(leaderId);
            if (proposedAt < 0 || leader.node.term() != proposedTermOf(leader, proposedAt)) {
                proposedAt = leader.node.propose(new UnsafeBuffer(data), 0, data.length);
                cluster.processReady(leader);
            }
            if (proposedAt > 0 && appliedEverywhere(proposedAt, leader)) {
                return;
            }
        }
        throw new AssertionError("no progress within 3000 ticks after healing:" + describeNodes());
    }

    /**
     * Without any new proposal, everything in the leader's log must end up applied on every member: nothing may
     * stay stranded because an append was lost while the follower looked up to date.
     */
    private void awaitLeaderLogApplied() {
        for (int round = 0; round < 3000; round++) {
            tickAllAndDeliver();
            long leaderId = cluster.leader();
            if (leaderId != 0 && appliedEverywhere(cluster.node(leaderId).node.lastIndex(), cluster.node(leaderId))) {
                return;
            }
        }
        throw new AssertionError("the leader's log was not applied everywhere within 3000 ticks after healing:"
                + describeNodes());
    }

    private String describeNodes() {
        StringBuilder state = new StringBuilder();
        for (TestNode n : cluster.nodes.values()) {
            state.append("\n  ").append(n.crashed ? n.id + " crashed" : n.node.toString());
        }
        return state.toString();
    }

    private long proposedTermOf(TestNode leader, long index) {
        long t = leader.node.storage().term(index);
        return t == LogStorage.TERM_UNAVAILABLE ? -1 : t;
    }

    private boolean appliedEverywhere(long index, TestNode leader) {
        long term = leader.node.storage().term(index);
        for (TestNode n : cluster.nodes.values()) {
            boolean member = leader.node.configuration().isMember(n.id);
            if (n.crashed || !member) {
                continue;
            }
            if (n.node.appliedIndex() < index || n.node.storage().term(index) != term
                    && n.node.storage().baseIndex() < index) {
                return false;
            }
        }
        return true;
    }

    private void tickAllAndDeliver() {
        tickAll();
        int budget = cluster.queue.size() * 4 + 100;
        while (!cluster.queue.isEmpty() && budget-- > 0) {
            cluster.deliver(cluster.queue.remove(0));
        }
    }
}
