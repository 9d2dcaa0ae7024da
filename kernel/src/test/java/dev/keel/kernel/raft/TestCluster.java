package dev.keel.kernel.raft;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A deterministic in-test network of {@link TestNode}s. Messages wait in one queue in send order until a test
 * delivers, drops or reorders them. Every processed {@link Ready} is checked against cluster-wide safety
 * records: at most one leader per term, no two different entries applied at one index, and every new leader
 * holding every entry already applied anywhere.
 */
final class TestCluster {
    final Map<Long, TestNode> nodes = new TreeMap<>();
    final List<Envelope> queue = new ArrayList<>();
    private final Set<Long> blocked = new HashSet<>();
    private final Map<Long, Long> leaderOfTerm = new HashMap<>();
    private final Map<Long, String> appliedAt = new HashMap<>();
    private final Map<Long, Long> appliedTermAt = new HashMap<>();
    private final EntryView view = new EntryView();
    /** Receives a line for every notable event (role changes, sent messages), for scenario output. */
    Consumer<String> events = line -> { };
    /** Whether sent messages are reported as events (scenario commands that deliver show deliveries instead). */
    boolean reportSends = true;
    /**
     * Asked for every batch: whether the host sends the early messages and leaves the sync in flight instead of
     * handling the whole batch at once. By default only nodes a scenario marked {@code slow-sync}.
     */
    Predicate<TestNode> delaySync = n -> n.slowSync;

    private static final int ALL = 0;
    private static final int EARLY = 1;
    private static final int LATE = 2;

    TestNode add(RaftConfig config, ConfState initial) {
        TestNode n = new TestNode(config.id(), config, initial);
        nodes.put(config.id(), n);
        processReady(n); // a founding member persists and applies its bootstrap entries
        return n;
    }

    TestNode node(long id) {
        TestNode n = nodes.get(id);
        if (n == null) {
            throw new IllegalArgumentException("no node " + id);
        }
        return n;
    }

    /**
     * Handles every Ready a node has, as a host would, and checks the safety records. When {@link #delaySync}
     * says so, the host writes nothing yet, sends the batch's early messages
     * ({@link Ready#messageMayLeaveBeforeSync}) and leaves the sync in flight: {@link #completeSync} finishes
     * it, and inputs arriving meanwhile wait in the node's inbox (group commit).
     */
    void processReady(TestNode n) {
        if (n.crashed || n.syncing != null) {
            return;
        }
        while (n.node.hasReady()) {
            Ready r = n.node.ready();
            reportSoftState(n, r);
            if (r.mustSync() && delaySync.test(n)) {
                n.syncing = r;
                send(n, r, EARLY);
                return;
            }
            finishBatch(n, r, ALL);
        }
    }

    /**
     * The sync in flight on {@code n} is done: persist, send the messages that waited, apply, advance, then feed
     * the node what arrived meanwhile and handle the next batch, which carries all of it.
     */
    void completeSync(TestNode n) {
        Ready r = n.syncing;
        if (r == null || n.crashed) {
            return;
        }
        n.syncing = null;
        events.accept("  " + n.id + " synced");
        finishBatch(n, r, LATE);
        List<Envelope> inputs = new ArrayList<>(n.inbox);
        n.inbox.clear();
        for (Envelope e : inputs) {
            if (e == TestNode.TICK) {
                n.node.tick();
            } else {
                n.node.step(new UnsafeBuffer(e.bytes()), 0, e.bytes().length);
            }
        }
        processReady(n);
    }

    /** Ticks a node, or queues the tick for after its sync in flight. */
    void tick(TestNode n) {
        if (n.crashed) {
            return;
        }
        if (n.syncing != null) {
            n.inbox.add(TestNode.TICK);
            return;
        }
        n.node.tick();
        processReady(n);
    }

    private void reportSoftState(TestNode n, Ready r) {
        if (r.softStateChanged()) {
            events.accept("  " + n.id + " is " + Role.name(r.role()) + " at term " + n.node.term()
                    + (r.leaderId() != 0 ? " (leader " + r.leaderId() + ")" : ""));
            if (r.role() == Role.LEADER) {
                checkNewLeader(n);
            }
        }
    }

    /** Three founding voters with node 1 elected and nothing left in flight. */
    static TestCluster threeVotersLedBy1() {
        TestCluster cluster = new TestCluster();
        ConfState initial = new ConfState();
        for (long id = 1; id <= 3; id++) {
            initial.addVoter(id);
        }
        for (long id = 1; id <= 3; id++) {
            cluster.add(RaftConfig.defaults(id, id * 31), initial);
        }
        cluster.node(1).node.campaign();
        cluster.processReady(cluster.node(1));
        cluster.deliverQueued();
        if (cluster.node(1).node.role() != Role.LEADER) {
            throw new AssertionError("node 1 did not become leader");
        }
        cluster.queue.clear();
        return cluster;
    }

    /** Delivers queued messages (and what they cause) until none is left, at most 1000. */
    void deliverQueued() {
        for (int i = 0; i < 1000 && !queue.isEmpty(); i++) {
            deliver(queue.remove(0));
        }
    }

    /** Handles a batch a test took from {@code n} itself: persists it, sends everything, applies, advances. */
    void handle(TestNode n, Ready r) {
        finishBatch(n, r, ALL);
    }

    private void finishBatch(TestNode n, Ready r, int which) {
        n.durable.persist(r, view);
        send(n, r, which);
        if (r.hasCommittedEntries() && r.applyTo() > n.durable.lastIndex()) {
            throw new AssertionError("node " + n.id + " applies up to " + r.applyTo()
                    + " beyond its durable log " + n.durable.lastIndex());
        }
        if (r.hasSnapshot()) {
            n.restoreStateMachine(DurableState.copy(r.snapshotData(), r.snapshotLength()), r.snapshotIndex());
            events.accept("  " + n.id + " installed snapshot " + r.snapshotIndex() + "/" + r.snapshotTerm());
        }
        for (long i = r.applyFrom(); i <= r.applyTo(); i++) {
            r.entry(i, view);
            String text = n.apply(view);
            recordApplied(n.id, i, view.term(), text);
        }
        for (int i = 0; i < r.readStateCount(); i++) {
            String s = "ctx=" + r.readContext(i) + (r.readStatus(i) == ReadState.OK
                    ? " index=" + r.readIndex(i) : " dropped");
            n.readStates.add(s);
            events.accept("  " + n.id + " read " + s);
            if (r.readStatus(i) == ReadState.OK && r.readIndex(i) > n.appliedIndex) {
                throw new AssertionError("read released before its index was applied on " + n.id);
            }
        }
        n.node.advance();
        if (n.node.role() == Role.LEADER) {
            Long previous = leaderOfTerm.putIfAbsent(n.node.term(), n.id);
            if (previous != null && previous != n.id) {
                throw new AssertionError("election safety: " + previous + " and " + n.id + " lead term "
                        + n.node.term());
            }
        }
    }

    /** Queues the batch's messages: all of them, only those that may leave before the sync, or the others. */
    private void send(TestNode n, Ready r, int which) {
        for (int i = 0; i < r.messageCount(); i++) {
            boolean early = r.messageMayLeaveBeforeSync(i);
            if (which == EARLY && !early || which == LATE && early) {
                continue;
            }
            Envelope e = Envelope.copyOf(r, i);
            queue.add(e);
            if (reportSends) {
                events.accept("  send " + (which == EARLY ? "before sync " : "") + MessageFormatter.describe(e));
            }
        }
    }

    /** Delivers one queued message (unless its link is blocked or its target is down) and handles the Ready. */
    int deliver(Envelope e) {
        TestNode target = nodes.get(e.to());
        if (target == null || target.crashed || isBlocked(e.from(), e.to())) {
            events.accept("  dropped " + MessageFormatter.describe(e));
            return -100;
        }
        if (target.syncing != null) {
            target.inbox.add(e);
            events.accept("  " + target.id + " holds it until its sync completes");
            return DecodeStatus.OK;
        }
        int status = target.node.step(new UnsafeBuffer(e.bytes()), 0, e.bytes().length);
        processReady(target);
        return status;
    }

    void block(long from, long to) {
        blocked.add(from * 1_000_003L + to);
    }

    void heal() {
        blocked.clear();
    }

    boolean isBlocked(long from, long to) {
        return blocked.contains(from * 1_000_003L + to);
    }

    /** @return the leader of the highest term any live node knows a leader for, or 0 */
    long leader() {
        long best = 0;
        long bestTerm = -1;
        for (TestNode n : nodes.values()) {
            if (!n.crashed && n.node.role() == Role.LEADER && n.node.term() > bestTerm) {
                best = n.id;
                bestTerm = n.node.term();
            }
        }
        return best;
    }

    /** Log matching: if two logs hold an entry with the same index and term, they agree up to it. */
    void checkLogMatching() {
        List<TestNode> live = new ArrayList<>();
        for (TestNode n : nodes.values()) {
            if (!n.crashed) {
                live.add(n);
            }
        }
        for (int a = 0; a < live.size(); a++) {
            for (int b = a + 1; b < live.size(); b++) {
                checkPair(live.get(a).node.storage(), live.get(b).node.storage(), live.get(a).id, live.get(b).id);
            }
        }
    }

    private void checkPair(LogStorage x, LogStorage y, long idX, long idY) {
        long lo = Math.max(x.firstIndex(), y.firstIndex());
        long hi = Math.min(x.lastIndex(), y.lastIndex());
        boolean matchedAbove = false;
        EntryView vx = new EntryView();
        EntryView vy = new EntryView();
        for (long i = hi; i >= lo; i--) {
            x.entry(i, vx);
            y.entry(i, vy);
            if (vx.term() == vy.term()) {
                matchedAbove = true;
            }
            if (matchedAbove && (vx.term() != vy.term() || !java.util.Arrays.equals(vx.copyData(), vy.copyData()))) {
                throw new AssertionError("log matching broken between " + idX + " and " + idY + " at " + i);
            }
        }
    }

    private void recordApplied(long id, long index, long term, String text) {
        String previous = appliedAt.putIfAbsent(index, text);
        Long previousTerm = appliedTermAt.putIfAbsent(index, term);
        if (previous != null && (!previous.equals(text) || previousTerm != term)) {
            throw new AssertionError("state machine safety: node " + id + " applied " + term + ":'" + text
                    + "' at " + index + " where another applied " + previousTerm + ":'" + previous + "'");
        }
    }

    /** Leader completeness: every entry applied anywhere is in a new leader's log. */
    private void checkNewLeader(TestNode n) {
        LogStorage s = n.node.storage();
        for (Map.Entry<Long, Long> e : appliedTermAt.entrySet()) {
            long index = e.getKey();
            if (index <= s.baseIndex()) {
                continue;
            }
            if (s.term(index) != e.getValue()) {
                throw new AssertionError("leader completeness: leader " + n.id + " of term " + n.node.term()
                        + " lacks applied entry " + index + "/" + e.getValue());
            }
        }
    }

    /** @return how many distinct entries have been applied somewhere (the committed prefix seen so far) */
    int appliedCount() {
        return appliedAt.size();
    }
}
