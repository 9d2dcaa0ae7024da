package dev.keel.simulator;

import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.raft.ConfState;
import dev.keel.kernel.raft.EntryType;
import dev.keel.kernel.raft.LogStorage;
import dev.keel.kernel.util.SplitMix64;
import dev.keel.replica.Fate;
import dev.keel.replica.Proposal;
import dev.keel.replica.Replica;
import dev.keel.replica.ReplicaConfig;
import dev.keel.replica.ReplicaError;
import dev.keel.replica.ReplicaObserver;
import dev.keel.replica.ReplyPort;
import dev.keel.replica.StartResult;
import dev.keel.transport.InMemoryTransport;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.TreeMap;

/**
 * A simulated server process around the real {@link Replica}: it owns what a process owns — a clock that
 * ticks at this node's drifted rate, a simulated disk, an in-memory transport — and can be crashed (losing
 * everything not synced), paused (inputs wait, then arrive as a backlog) and restarted (the replica recovers
 * from the disk). It decides nothing: every server decision is the replica's. A member removed from the
 * cluster exits for good (when its replica applies or is told of its removal, or when the operator sees the
 * removal committed) and is never started again: member IDs are not reused.
 */
final class SimNode implements ReplyPort, ReplicaObserver {
    private static final Object TICK = "tick";
    private static final Object MESSAGE = "message";

    final long id;
    private final Simulation sim;
    private final ReplicaConfig config;
    private final SplitMix64 random;
    final SimDisk disk = new SimDisk();
    private final InMemoryTransport transport;
    private final ArrayDeque<Object> inputs = new ArrayDeque<>();
    /** Client requests the replica has not answered, by token (the request ID). */
    private final TreeMap<Long, ClientRequest> awaiting = new TreeMap<>();
    /** Admin requests handed to the replica and not answered yet, by token. */
    private final TreeMap<Long, AdminRequest> awaitingAdmin = new TreeMap<>();
    private final ExpandableArrayBuffer request = new ExpandableArrayBuffer(256);
    private final WorkloadCodec codec = new WorkloadCodec();
    private final double tickRate;
    final NodeWatches watches;

    Replica replica;
    boolean up;
    boolean paused;
    boolean permanentlyDown;
    /** Its durable data was corrupted while it was down: it will refuse to start, so it is lost for good already. */
    boolean diskCorrupted;
    /** Removed from the cluster: the process exited and never starts again. */
    boolean removed;
    private long incarnation;
    /** What the replica had reported durable when the process last crashed (-1: nothing to check). */
    private long persistedAtCrash = -1;

    /** A sync completion waiting to be handed to the replica. */
    private record SyncDone(long syncId) {
    }

    SimNode(long id, Simulation sim, ReplicaConfig config, SplitMix64 random, double tickRate) {
        this.id = id;
        this.sim = sim;
        this.config = config;
        this.random = random;
        this.tickRate = tickRate;
        this.transport = new InMemoryTransport(id, sim.network, 1_000_000);
        this.watches = new NodeWatches(this, sim, random.split());
        disk.syncRequests = this::scheduleSync;
    }

    /** Starts the process: the replica recovers from the disk (a founding member's is empty at first). */
    void start() {
        if (up || permanentlyDown || removed) {
            return;
        }
        disk.lying = sim.lyingDisks;
        replica = new Replica(config, disk, transport, this, this);
        StartResult result = replica.start(incarnation + 1);
        if (!result.started()) {
            permanentlyDown = true;
            replica = null;
            sim.event("node " + id + " refuses to start: " + result.refusal());
            return;
        }
        checkWalPairing();
        sim.applyKernelBugs(replica.raft());
        incarnation++;
        up = true;
        watches.processStarted();
        startTicking();
    }

    /** @return whether this member will never run again: refused to start, or its disk is corrupted */
    boolean lostForGood() {
        return permanentlyDown || diskCorrupted;
    }

    // ---------------------------------------------------------------- inputs

    void receive(long from, byte[] bytes) {
        if (!up || !transport.deliver(from, new UnsafeBuffer(bytes), 0, bytes.length)) {
            return;
        }
        inputs.add(MESSAGE);
        pump();
    }

    void submit(ClientRequest r) {
        if (!up) {
            // Nothing listens on a crashed node's port: the connection is refused, and the client knows the
            // request was never received.
            sim.respond(r, null, 0, false);
            return;
        }
        inputs.add(r);
        pump();
    }

    void submit(AdminRequest r) {
        if (!up) {
            sim.operator.answered(r, null, ReplicaError.STOPPED, false, 0); // connection refused: never received
            return;
        }
        inputs.add(r);
        pump();
    }

    /** Delivers {@code count} ticks at once: this node's clock leaps forward. */
    void jumpClock(int count) {
        for (int i = 0; i < count && up; i++) {
            inputs.add(TICK);
        }
        pump();
    }

    void pause() {
        paused = up;
    }

    /**
     * The process runs again. Its clock shows the whole pause at once, so the ticks it missed are delivered
     * before the inputs that waited (as the production host delivers overdue ticks first): a leader must not
     * serve a lease read on the strength of a lease that expired while it stood still.
     */
    void resume() {
        if (paused) {
            int overdue = 0;
            for (java.util.Iterator<Object> it = inputs.iterator(); it.hasNext(); ) {
                if (it.next() == TICK) {
                    it.remove();
                    overdue++;
                }
            }
            for (int i = 0; i < overdue; i++) {
                inputs.addFirst(TICK);
            }
        }
        paused = false;
        pump();
    }

    // ---------------------------------------------------------------- crash and restart

    void crash(boolean tear) {
        if (!up) {
            return;
        }
        up = false;
        paused = false;
        incarnation++;
        // The replica's durable index, not the kernel's persisted one: that already counts a leader's snapshot
        // handed out in a batch the disk has not written yet (a full disk), which a crash rightly loses.
        persistedAtCrash = replica.durableIndex();
        replica = null; // a crash answers nothing: clients time out
        for (Object input : inputs) {
            if (input instanceof AdminRequest r) {
                sim.operator.answered(r, null, ReplicaError.STOPPED, false, 0); // lost before the replica saw it
            }
        }
        for (AdminRequest r : awaitingAdmin.values()) {
            sim.operator.answered(r, null, ReplicaError.STOPPED, true, 0); // it may have been proposed
        }
        awaitingAdmin.clear();
        inputs.clear();
        awaiting.clear();
        transport.clear();
        watches.processStopped();
        disk.crash(random, tear);
    }

    /**
     * WAL write/read pairing: everything the replica was told was durable before the crash must come back from
     * the disk (unless the disk lied about its syncs — the injected host bug).
     */
    private void checkWalPairing() {
        long before = persistedAtCrash;
        persistedAtCrash = -1;
        if (before >= 0 && !disk.lying && replica.raft().lastIndex() < before) {
            throw new SimulationFailure("WAL pairing", "node " + id + " recovered its log up to "
                    + replica.raft().lastIndex() + " but had synced up to " + before + " before it crashed");
        }
    }

    // ---------------------------------------------------------------- the process's loop

    private void startTicking() {
        long inc = incarnation;
        sim.schedule(sim.now() + tickInterval(), () -> tick(inc));
    }

    private long tickInterval() {
        return Math.max(1, Math.round(Simulation.TICK_MICROS * tickRate));
    }

    private void tick(long inc) {
        if (inc != incarnation || !up) {
            return;
        }
        inputs.add(TICK);
        pump();
        sim.schedule(sim.now() + tickInterval(), () -> tick(inc));
    }

    private void scheduleSync(long syncId) {
        long inc = incarnation;
        sim.schedule(sim.now() + disk.fsyncMicros(sim.plan.fsyncMicros), () -> {
            if (inc == incarnation) {
                disk.completeSync(syncId);
                if (sim.crashesAfterSync(this, random)) {
                    return;
                }
                inputs.add(new SyncDone(syncId));
                pump();
            }
        });
    }

    private void pump() {
        while (up && !paused && !inputs.isEmpty()) {
            Object input = inputs.poll();
            if (input == TICK) {
                replica.tick();
            } else if (input == MESSAGE) {
                transport.poll((from, buffer, offset, length) -> replica.receive(from, buffer, offset, length), 1);
            } else if (input instanceof SyncDone done) {
                replica.onSynced(done.syncId());
            } else if (input instanceof AdminRequest admin) {
                handle(admin);
            } else {
                handle((ClientRequest) input);
            }
            if (!replica.running()) {
                exitRemoved(); // the replica applied (or was told of) its own removal
            }
        }
    }

    private void handle(AdminRequest r) {
        awaitingAdmin.put(r.token, r);
        switch (r.kind) {
            case ADD_LEARNER -> replica.addMember(r.token, r.member, true, null, 0, 0);
            case ADD_VOTER -> replica.addMember(r.token, r.member, false, null, 0, 0);
            case PROMOTE -> replica.promoteMember(r.token, r.member);
            case REMOVE -> replica.removeMember(r.token, r.member);
            default -> replica.transferLeadership(r.token, r.member);
        }
    }

    /** The removed member's process exits for good; its disk stays as it was. */
    private void exitRemoved() {
        sim.event("node " + id + " removed from the cluster: the process exits for good");
        stopForGood();
    }

    /** The operator saw this member's removal committed: its process is stopped and never started again. */
    void stopForGood() {
        removed = true;
        if (!up) {
            return;
        }
        if (replica.running()) {
            replica.stop();
        }
        up = false;
        paused = false;
        incarnation++;
        replica = null;
        inputs.clear();
        awaiting.clear();
        awaitingAdmin.clear();
        transport.clear();
        watches.processStopped();
    }

    private void handle(ClientRequest r) {
        awaiting.put(r.requestId, r);
        if (r.op == ClientRequest.LEASE_KEEPALIVE) {
            replica.keepAlive(r.requestId, r.expected);
        } else if (r.isRead()) {
            sim.readSafety.onReadArrived(r.requestId);
            replica.read(r.requestId, request, 0, codec.encodeRead(r, request), false);
        } else {
            replica.write(r.requestId, request, 0, codec.encodeWrite(r, request));
        }
    }

    // ---------------------------------------------------------------- ReplyPort: answers travel to the client

    @Override
    public void succeeded(long token, DirectBuffer response, int offset, int length) {
        ClientRequest r = awaiting.remove(token);
        if (r != null) {
            UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
            copy.putBytes(0, response, offset, length);
            WorkloadCodec.Outcome outcome = r.isRead() ? codec.outcomeOfRead(r, copy, length)
                    : codec.outcomeOfWrite(r, copy, length);
            if (r.isRead()) {
                if (outcome.ok) {
                    sim.readSafety.onReadServed(id, r.requestId, outcome.revision);
                }
                int n = codec.encodeRead(r, request);
                sim.reference.checkRead(id, replica.mvcc().appliedIndex(), request, 0, n, copy, length);
            }
            sim.respond(r, outcome, replica.leaderId(), false);
        }
    }

    @Override
    public void rejected(long token, MvccError error) {
        ClientRequest r = awaiting.remove(token);
        if (r != null) {
            sim.respond(r, null, replica.leaderId(), false);
        }
    }

    @Override
    public void adminSucceeded(long token, ConfState members, long leader) {
        AdminRequest r = awaitingAdmin.remove(token);
        if (r != null) {
            String now = members.toString();
            sim.schedule(sim.now() + sim.network.latency(), () -> sim.operator.answered(r, now, null, false, leader));
        }
    }

    @Override
    public void failed(long token, ReplicaError error, Fate fate, long leaderHint) {
        AdminRequest admin = awaitingAdmin.remove(token);
        if (admin != null) {
            sim.schedule(sim.now() + sim.network.latency(),
                    () -> sim.operator.answered(admin, null, error, fate == Fate.UNKNOWN, leaderHint));
            return;
        }
        ClientRequest r = awaiting.remove(token);
        if (r != null) {
            sim.respond(r, null, leaderHint, !r.isRead() && fate == Fate.UNKNOWN);
        }
    }

    // ---------------------------------------------------------------- ReplicaObserver: the simulator's checks

    @Override
    public void onApplied(long member, long index, long term, byte type, DirectBuffer data, int offset, int length,
                          DirectBuffer response, int responseLength) {
        long entryHash = type * 31L + term;
        long stateHash = 0;
        if (type == EntryType.NORMAL && length > 0) {
            stateHash = digest(response, 0, responseLength);
            entryHash = TraceHash.mix(entryHash ^ digest(data, offset, length));
        }
        sim.monitor.onApplied(member, index, term, entryHash, stateHash);
        sim.reference.onApplied(member, index, type, data, offset, length, response, responseLength);
        sim.readSafety.onApplied(replica.mvcc().revision());
        if (type == EntryType.NORMAL && Proposal.isEnvelope(length) && Proposal.requestId(data, offset) == 0
                && RequestType.typeOf(data, offset + Proposal.HEADER, length - Proposal.HEADER)
                == RequestType.LEASE_REVOKE) {
            sim.leaseExpiries.add(index); // the leader revoked an expired lease (no client waits: request ID 0)
        }
    }

    @Override
    public void onLeader(long member, long term, LogStorage log) {
        sim.monitor.onLeader(term, member, log);
    }

    @Override
    public boolean wantsStoreHashes() {
        return true;
    }

    @Override
    public void onSnapshot(long member, long appliedIndex, long hashKv) {
        sim.monitor.onStoreHash(member, appliedIndex, hashKv);
    }

    @Override
    public void onEvent(long member, String what) {
        sim.event("node " + member + ": " + what);
    }

    /** A fast digest of bytes, eight at a time. */
    static long digest(DirectBuffer buffer, int offset, int length) {
        long h = length;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = (h ^ buffer.getLong(offset + i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < length; i++) {
            h = (h ^ (buffer.getByte(offset + i) & 0xFF)) * 0x100000001B3L;
        }
        return h;
    }
}
