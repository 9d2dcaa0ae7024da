package dev.keel.replica.testing;

import dev.keel.replica.MemoryDisk;
import dev.keel.kernel.mvcc.MvccConfig;
import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.raft.ConfState;
import dev.keel.kernel.raft.MessageLayout;
import dev.keel.kernel.raft.RaftConfig;
import dev.keel.replica.Fate;
import dev.keel.replica.Replica;
import dev.keel.replica.ReplicaConfig;
import dev.keel.replica.ReplicaError;
import dev.keel.replica.ReplicaObserver;
import dev.keel.replica.ReplyPort;
import dev.keel.replica.StartResult;
import dev.keel.transport.InMemoryTransport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * N replicas (IDs 1..N) over {@link InMemoryTransport}s whose router only queues: messages move when the test
 * calls {@link #deliverAll()} (or {@link #settle()}, which also completes every disk's syncs). Deterministic:
 * no threads, no clocks, no sleeps. Each node records its replies by token.
 */
public final class TestCluster {
    /** A message in flight. */
    public record Sent(long from, long to, byte[] bytes) {
        /** @return the Raft message type, or -1 for a replica frame (forward / reject) */
        public int raftType() {
            return bytes[0] == MessageLayout.VERSION ? bytes[MessageLayout.TYPE_OFFSET] : -1;
        }

        public boolean isForwardFrame() {
            return bytes[0] == 0x52;
        }
    }

    /** How a request was answered. */
    public record Outcome(Kind kind, byte[] response, MvccError rejection, ReplicaError error, Fate fate,
                          String members, long leader) {
        public enum Kind { SUCCEEDED, REJECTED, FAILED }

        Outcome(Kind kind, byte[] response, MvccError rejection, ReplicaError error, Fate fate) {
            this(kind, response, rejection, error, fate, null, 0);
        }

        public boolean succeeded() {
            return kind == Kind.SUCCEEDED;
        }
    }

    /** One member: its disk (kept across crashes), transport, replica and the replies it gave. */
    public final class Node implements ReplyPort {
        public final long id;
        public final MemoryDisk disk = new MemoryDisk();
        public final InMemoryTransport transport;
        public final ReplicaConfig config;
        public final TreeMap<Long, Outcome> replies = new TreeMap<>();
        public Replica replica;
        public StartResult lastStart;
        private long boots;

        Node(long id, ReplicaConfig config) {
            this.id = id;
            this.config = config;
            this.transport = new InMemoryTransport(id, TestCluster.this::route, 1_000_000);
            disk.onSynced = syncId -> {
                if (replica != null) {
                    replica.onSynced(syncId);
                }
            };
        }

        public boolean up() {
            return replica != null;
        }

        void start() {
            replica = new Replica(config, disk, transport, this, ReplicaObserver.NONE);
            lastStart = replica.start(++boots);
            if (!lastStart.started()) {
                replica = null;
            }
        }

        void receiveAll() {
            transport.poll((from, buffer, offset, length) -> replica.receive(from, buffer, offset, length),
                    Integer.MAX_VALUE);
        }

        public Outcome outcome(long token) {
            return replies.get(token);
        }

        @Override
        public void succeeded(long token, DirectBuffer response, int offset, int length) {
            byte[] copy = new byte[length];
            response.getBytes(offset, copy);
            record(token, new Outcome(Outcome.Kind.SUCCEEDED, copy, null, null, null));
        }

        @Override
        public void rejected(long token, MvccError error) {
            record(token, new Outcome(Outcome.Kind.REJECTED, null, error, null, null));
        }

        @Override
        public void failed(long token, ReplicaError error, Fate fate, long leaderHint) {
            record(token, new Outcome(Outcome.Kind.FAILED, null, null, error, fate, null, leaderHint));
        }

        @Override
        public void adminSucceeded(long token, ConfState members, long leader) {
            record(token, new Outcome(Outcome.Kind.SUCCEEDED, null, null, null, null, members.toString(), leader));
        }

        private void record(long token, Outcome o) {
            if (replies.put(token, o) != null) {
                throw new AssertionError("node " + id + " answered token " + token + " twice");
            }
        }
    }

    private final List<Node> nodes = new ArrayList<>();
    private final ArrayDeque<Sent> inFlight = new ArrayDeque<>();
    /** Every message sent, in order (tests count them). */
    public final List<Sent> sent = new ArrayList<>();
    /** Messages matching this are dropped when delivered. */
    public Predicate<Sent> drop = s -> false;
    /** Messages matching this are delivered twice. */
    public Predicate<Sent> duplicate = s -> false;
    /** Messages matching this are kept in {@link #held} instead of being delivered. */
    public Predicate<Sent> hold = s -> false;
    public final List<Sent> held = new ArrayList<>();
    /** Nodes whose syncs {@link #settle()} leaves pending (the test completes them with the node's disk). */
    public final java.util.Set<Long> slowDisks = new java.util.TreeSet<>();
    private long nextToken = 1;
    private final UnaryOperator<ReplicaConfig> tweak;

    /** A cluster of {@code n} founding members with etcd's defaults, adjusted by {@code tweak}. */
    public TestCluster(int n, UnaryOperator<ReplicaConfig> tweak) {
        this.tweak = tweak;
        ConfState members = new ConfState();
        for (int i = 1; i <= n; i++) {
            members.addVoter(i);
        }
        for (int i = 1; i <= n; i++) {
            nodes.add(new Node(i, config(i, members)));
        }
        for (Node node : nodes) {
            node.start();
        }
    }

    public TestCluster(int n) {
        this(n, c -> c);
    }

    private ReplicaConfig config(long id, ConfState members) {
        RaftConfig raft = RaftConfig.defaults(id, 1000 + id);
        return tweak.apply(ReplicaConfig.defaults(raft, members).withMvcc(new MvccConfig().ticksPerSecond(10)));
    }

    /**
     * Starts a brand-new member (the next ID) with an empty disk and no initial members: it joins the cluster
     * once a configuration change adds it (etcd's {@code --initial-cluster-state existing}).
     */
    public Node startJoiner() {
        Node n = new Node(nodes.size() + 1, config(nodes.size() + 1, new ConfState()));
        nodes.add(n);
        n.start();
        return n;
    }

    public Node node(long id) {
        return nodes.get((int) id - 1);
    }

    public List<Node> nodes() {
        return nodes;
    }

    public long newToken() {
        return nextToken++;
    }

    // ---------------------------------------------------------------- the network and the disks

    private boolean route(long from, long to, DirectBuffer buffer, int offset, int length) {
        byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        Sent s = new Sent(from, to, copy);
        sent.add(s);
        inFlight.add(s);
        return true;
    }

    /** Delivers messages (and those they cause) until none is in flight; returns how many were delivered. */
    public int deliverAll() {
        int delivered = 0;
        while (!inFlight.isEmpty()) {
            Sent s = inFlight.poll();
            if (hold.test(s)) {
                held.add(s);
                continue;
            }
            int copies = drop.test(s) ? 0 : duplicate.test(s) ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                inject(s);
            }
            delivered += copies;
        }
        return delivered;
    }

    /** Hands {@code s} to its target now (if the target exists and is up). */
    public void inject(Sent s) {
        if (s.to() < 1 || s.to() > nodes.size()) {
            return; // a member added to the configuration whose process was never started
        }
        Node target = node(s.to());
        if (target.up()) {
            target.transport.deliver(s.from(), new UnsafeBuffer(s.bytes()), 0, s.bytes().length);
            target.receiveAll();
        }
    }

    /** Completes every pending sync on every live disk; returns how many completed. */
    public int syncAll() {
        int n = 0;
        for (Node node : nodes) {
            if (node.up() && !slowDisks.contains(node.id)) {
                n += node.disk.completeSyncs();
            }
        }
        return n;
    }

    /** Completes syncs and delivers messages until nothing moves. */
    public void settle() {
        for (int round = 0; round < 10_000; round++) {
            if (syncAll() + deliverAll() == 0) {
                return;
            }
        }
        throw new AssertionError("the cluster did not settle");
    }

    // ---------------------------------------------------------------- time, crashes, leaders

    /** One tick on node {@code id}, then settle. */
    public void tick(long id) {
        node(id).replica.tick();
        settle();
    }

    /** One tick on every live node, then settle. */
    public void tickAll() {
        for (Node node : nodes) {
            if (node.up()) {
                node.replica.tick();
            }
        }
        settle();
    }

    /** Ticks only node {@code id} (settling after each tick) until it leads; fails if it does not. */
    public Node elect(long id) {
        Node n = node(id);
        for (int i = 0; i < 100 && !n.replica.isLeader(); i++) {
            tick(id);
        }
        if (!n.replica.isLeader()) {
            throw new AssertionError("node " + id + " did not become leader");
        }
        settle();
        return n;
    }

    /** Ticks nodes {@code ids} together (settling after each round) until one of them leads; returns it. */
    public Node electAmong(long... ids) {
        for (int round = 0; round < 200; round++) {
            for (long id : ids) {
                if (node(id).up() && node(id).replica.isLeader()) {
                    settle();
                    return node(id);
                }
            }
            for (long id : ids) {
                if (node(id).up()) {
                    node(id).replica.tick();
                }
            }
            settle();
        }
        throw new AssertionError("none of the nodes became leader");
    }

    /** The process crashes: unsynced bytes are lost (a torn write keeps {@code tornBytes} of them). */
    public void crash(long id, int tornBytes) {
        Node n = node(id);
        n.replica = null;
        n.transport.clear();
        n.disk.crash(tornBytes);
    }

    public void crash(long id) {
        crash(id, 0);
    }

    /** Starts the process again: the replica recovers from the disk. */
    public StartResult restart(long id) {
        Node n = node(id);
        n.start();
        return n.lastStart;
    }

    // ---------------------------------------------------------------- client requests

    /** Submits a put of {@code key = value} on node {@code id}; returns its token (nothing is settled). */
    public long put(long id, String key, String value) {
        long token = newToken();
        Kv.Request r = Kv.put(key, value);
        node(id).replica.write(token, r.buffer(), 0, r.length());
        return token;
    }

    /** Submits a range read of {@code key} on node {@code id}; returns its token (nothing is settled). */
    public long get(long id, String key, boolean serializable) {
        long token = newToken();
        Kv.Request r = Kv.get(key);
        node(id).replica.read(token, r.buffer(), 0, r.length(), serializable);
        return token;
    }

    /** Asks node {@code on} to add {@code member}; returns the token (nothing is settled). */
    public long addMember(long on, long member, boolean learner) {
        long token = newToken();
        node(on).replica.addMember(token, member, learner, null, 0, 0);
        return token;
    }

    /** Asks node {@code on} to remove {@code member}; returns the token (nothing is settled). */
    public long removeMember(long on, long member) {
        long token = newToken();
        node(on).replica.removeMember(token, member);
        return token;
    }

    /** Asks node {@code on} to promote learner {@code member}; returns the token (nothing is settled). */
    public long promoteMember(long on, long member) {
        long token = newToken();
        node(on).replica.promoteMember(token, member);
        return token;
    }

    /** Asks node {@code on} to hand leadership to {@code target}; returns the token (nothing is settled). */
    public long transferLeadership(long on, long target) {
        long token = newToken();
        node(on).replica.transferLeadership(token, target);
        return token;
    }

    /** Puts and settles; returns the outcome on the node that took the request. */
    public Outcome putAndSettle(long id, String key, String value) {
        long token = put(id, key, value);
        settle();
        return node(id).outcome(token);
    }

    /** @return the value of {@code key} in node {@code id}'s store right now, or null */
    public String valueAt(long id, String key) {
        return Kv.localValue(node(id).replica, key);
    }
}
