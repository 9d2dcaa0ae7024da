package dev.keel.replica;

import dev.keel.kernel.mvcc.MvccStateMachine;
import dev.keel.kernel.raft.EntryType;
import dev.keel.kernel.raft.EntryView;
import dev.keel.kernel.raft.InMemoryLogStorage;
import dev.keel.kernel.raft.RaftNode;
import dev.keel.kernel.raft.Ready;
import dev.keel.kernel.raft.Role;
import dev.keel.kernel.util.InvariantViolation;
import dev.keel.replica.Disk.WriteStatus;
import dev.keel.replica.wal.RecoveredLog;
import dev.keel.replica.wal.WalRecovery;
import dev.keel.replica.wal.WalWriter;
import dev.keel.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * One member of a Keel cluster: the one copy of the server logic between the kernel and the world, hosted
 * unchanged by the production node and by the simulator. Single-threaded and event-driven; deterministic;
 * it talks to the world only through the ports it is given ({@link Disk}, {@link Transport}, {@link ReplyPort},
 * {@link ReplicaObserver}).
 *
 * <p>Inputs: {@link #tick()}, {@link #receive} (a peer's bytes), {@link #write} and {@link #read} (a client's
 * request with the caller's token), {@link #onSynced} (a disk sync completed). Each runs the Ready sequence
 * as far as it can: persist the batch, send the messages that may leave before the sync (a leader's appends
 * and heartbeats), request the sync if the batch needs one ({@code Ready.mustSync}: not for a commit index
 * alone) — and when it completes, send the rest, install a snapshot, apply the
 * committed entries, answer requests and reads, and advance. Inputs that arrive while a sync is in flight are
 * queued and stepped after it, all into the next batch (group commit).
 *
 * <p>Admin requests ({@link #addMember}, {@link #removeMember}, {@link #promoteMember}, {@link #updateMember},
 * {@link #transferLeadership}) follow etcd's Cluster API: served by the leader, refused elsewhere with
 * {@link ReplicaError#NOT_LEADER} and the leader's ID. A member whose removal committed stops ({@link #removed()});
 * a brand-new member with an empty disk and no initial members joins the cluster that
 * adds it (etcd's {@code --initial-cluster-state existing}). Every member's metadata (the host's: peer URLs) is
 * replicated state, {@link #members()}, carried in snapshots.
 *
 * <p>A full disk is an outcome, not a crash: the batch waits and is written again every tick until it fits;
 * meanwhile writes fail with etcd's NOSPACE error and serializable reads keep working.
 */
public final class Replica {
    /** Watchers caught up from history per batch, at most (keeps one slow watcher from stalling the loop). */
    private static final int WATCH_SYNC_BUDGET = 1000;
    private final ReplicaConfig config;
    private final long id;
    private final Disk disk;
    private final Transport transport;
    private final ReplyPort replies;
    private final ReplicaObserver observer;
    private final WalWriter wal;
    private final ReadyWriter writer;
    private final ClientRequests requests;
    private final MembershipRequests admin;
    private final RemovedMembers removedMembers;
    private final MemberRegistry registry = new MemberRegistry();
    private final LeaderDuties duties;
    private final InputQueue queued;
    private final EntryView view = new EntryView();
    private final ExpandableArrayBuffer response = new ExpandableArrayBuffer(4096);
    private final SnapshotPolicy snapshots;
    private final InputQueue.Handler replay = this::replayInput;

    private RaftNode raft;
    private MvccStateMachine mvcc;
    private Ready current;
    private boolean syncInFlight;
    private boolean diskFull;
    private boolean stopped = true;
    private boolean removed;
    /** Index of an entry removing this member, applied in the batch being finished (0: none). */
    private long ownRemovalAt;
    /** A peer that applied this member's removal said so (a committed fact): stop at the next safe point. */
    private long removalNoticeFrom;
    private long stopAtTick;
    private boolean leading;
    private long knownLeader;
    private long syncId;
    private long durableIndex;
    private long tickCount;
    private long ticksWhileFull;

    public Replica(ReplicaConfig config, Disk disk, Transport transport, ReplyPort replies, ReplicaObserver observer) {
        this.config = config;
        this.id = config.raft().id();
        this.disk = disk;
        this.transport = transport;
        this.replies = replies;
        this.observer = observer;
        this.wal = new WalWriter(disk, config.walSegmentBytes());
        this.writer = new ReadyWriter(disk, wal);
        this.snapshots = new SnapshotPolicy(id, config, writer, observer);
        this.requests = new ClientRequests(id, replies, transport, config.requestTimeoutTicks(),
                config.raft().maxPendingReads() * 64);
        this.admin = new MembershipRequests(id, replies, config.requestTimeoutTicks());
        this.removedMembers = new RemovedMembers(id, transport);
        this.duties = new LeaderDuties(id, requests, config);
        this.queued = new InputQueue(config.maxQueuedInputBytes());
    }

    /**
     * Recovers from the disk (or founds / joins a cluster when it is empty). Processing starts with the first
     * input. A disk that fails its checks keeps the replica down: it never serves data it cannot trust.
     *
     * @param bootStamp a number larger at every start of this member (the simulator passes its incarnation; a
     *                  production host its start time in seconds) that keeps request IDs of different lives apart
     */
    public StartResult start(long bootStamp) {
        requests.startLife(bootStamp);
        RecoveredLog log = WalRecovery.read(disk.load());
        if (log.corrupted()) {
            return StartResult.refused(log.corruption);
        }
        String note = log.cutTail(disk);
        if (note != null) {
            observer.onEvent(id, note);
        }
        mvcc = new MvccStateMachine(config.mvcc());
        if (log.empty()) {
            InMemoryLogStorage storage = new InMemoryLogStorage(new dev.keel.kernel.raft.ConfState());
            raft = config.initialMembers().voterCount() > 0
                    ? RaftNode.bootstrap(config.raft(), storage, config.initialMembers(),
                            founder -> config.initialMetadata().get(founder))
                    : RaftNode.joining(config.raft(), storage);
        } else {
            raft = new RaftNode(config.raft(), log.storage, log.term, log.vote, log.commit);
            if (log.snapshotData != null
                    && !SnapshotPayload.restore(registry, mvcc, log.snapshotData, log.snapshotOffset,
                    log.snapshotLength)) {
                return StartResult.refused("the snapshot file's store could not be restored");
            }
        }
        wal.resume(log);
        durableIndex = raft.lastIndex();
        stopped = false;
        return StartResult.ok(note);
    }

    // ---------------------------------------------------------------- inputs

    /** One tick of the host's clock (etcd: one heartbeat interval). */
    public void tick() {
        if (stopped) {
            return;
        }
        if (diskFull) {
            // Time still passes for the kernel: the ticks reach it once the batch is written (a leader's lease
            // must not outlive a stall), and requests expire meanwhile.
            queued.add(InputQueue.TICK, 0, 0, null, 0, 0);
            ticksWhileFull++;
            requests.expire(tickCount + ticksWhileFull, knownLeader);
            admin.expire(tickCount + ticksWhileFull, knownLeader);
            retryFullDisk();
            return;
        }
        if (syncInFlight) {
            queued.add(InputQueue.TICK, 0, 0, null, 0, 0);
            return;
        }
        onTick();
        drive();
    }

    /** Bytes a peer sent: a Raft message or a forwarded request. */
    public void receive(long from, DirectBuffer buffer, int offset, int length) {
        if (stopped || diskFull) {
            return; // a stalled member drops traffic; Raft resends
        }
        if (syncInFlight) {
            queued.add(InputQueue.MESSAGE, from, 0, buffer, offset, length);
            return;
        }
        step(from, buffer, offset, length);
        drive();
    }

    /** A client's write (an MVCC write request: put, delete, txn, compact, lease grant or revoke). */
    public void write(long token, DirectBuffer request, int offset, int length) {
        if (refused(token, true)) {
            return;
        }
        if (syncInFlight) {
            if (!queued.add(InputQueue.WRITE, token, 0, request, offset, length)) {
                replies.failed(token, ReplicaError.TOO_MANY_REQUESTS, Fate.NOT_APPLIED, knownLeader);
            }
            return;
        }
        requests.write(raft, mvcc, tickCount, token, request, offset, length);
        drive();
    }

    /**
     * A client's read (a Range, or a Txn that writes nothing): serializable ones are served from this member's
     * store at once; linearizable ones after a ReadIndex round (batched with every read that arrived before the round started).
     */
    public void read(long token, DirectBuffer request, int offset, int length, boolean serializable) {
        if (refused(token, false)) {
            return;
        }
        if (serializable) {
            requests.readSerializable(mvcc, token, request, offset, length);
            return;
        }
        requests.readLinearizable(tickCount, token, request, offset, length, knownLeader);
        drive();
    }

    /**
     * A lease keepalive (etcd's LeaseKeepAlive): served by the leader, whose lease clock decides expiry, with
     * the lease's TTL or "lease not found". A follower refuses with "not leader" (the host redirects the stream
     * to the leader it names). Keepalives do not go through the log, so they are served even during a sync.
     */
    public void keepAlive(long token, long leaseId) {
        if (refused(token, false)) {
            return;
        }
        if (raft.role() != Role.LEADER) {
            replies.rejected(token, dev.keel.kernel.mvcc.MvccError.NOT_LEADER);
            return;
        }
        int n = mvcc.keepAlive(leaseId, response);
        replies.succeeded(token, response, 0, n);
    }

    /**
     * Adds a member (etcd's MemberAdd, {@code isLearner}) with its metadata (the host's bytes, e.g. its peer URLs;
     * {@code metadata} may be null when {@code length} is 0), which every member's {@link #members()} holds once the
     * change is applied. Answered by {@link ReplyPort#adminSucceeded} once applied here, or failed:
     * {@code NOT_LEADER} (with the leader's ID), {@code MEMBER_EXISTS}, {@code UNHEALTHY} while another change is
     * pending, or a timeout / leader change like a write.
     */
    public void addMember(long token, long memberId, boolean learner, DirectBuffer metadata, int offset,
                          int length) {
        admin(token, learner ? InputQueue.ADD_LEARNER : InputQueue.ADD_VOTER, memberId, metadata, offset, length);
    }

    /**
     * Replaces a member's metadata (etcd's MemberUpdate: new peer URLs), through the log as a configuration
     * change that changes no configuration; fails with {@code MEMBER_NOT_FOUND}, {@code UNHEALTHY} while another
     * change is pending; otherwise as {@link #addMember}.
     */
    public void updateMember(long token, long memberId, DirectBuffer metadata, int offset, int length) {
        admin(token, InputQueue.UPDATE, memberId, metadata, offset, length);
    }

    /**
     * Removes a voter or learner, the leader included (etcd's MemberRemove); fails with {@code MEMBER_NOT_FOUND},
     * {@code UNHEALTHY} for the last voter; otherwise as {@link #addMember}.
     */
    public void removeMember(long token, long memberId) {
        admin(token, InputQueue.REMOVE, memberId, null, 0, 0);
    }

    /**
     * Promotes a learner (etcd's MemberPromote); fails with {@code MEMBER_NOT_LEARNER}, {@code LEARNER_NOT_READY}
     * while it lags, {@code MEMBER_NOT_FOUND}; otherwise as {@link #addMember}.
     */
    public void promoteMember(long token, long memberId) {
        admin(token, InputQueue.PROMOTE, memberId, null, 0, 0);
    }

    /**
     * Hands leadership to a voter (etcd's MoveLeader); answered when the target leads, or failed:
     * {@code BAD_LEADER_TRANSFEREE}, {@code NOT_LEADER}, {@code LEADER_CHANGED}, {@code TRANSFER_TIMED_OUT}.
     * Writes are refused while a transfer is in progress.
     */
    public void transferLeadership(long token, long targetId) {
        admin(token, InputQueue.TRANSFER, targetId, null, 0, 0);
    }

    private void admin(long token, byte kind, long member, DirectBuffer metadata, int offset, int length) {
        if (refused(token, false)) {
            return;
        }
        if (syncInFlight || diskFull) {
            // The kernel's batch is outstanding: the request joins the next one (a full disk answers it once
            // the batch is written).
            if (!queued.add(kind, token, member, metadata, offset, length)) {
                replies.failed(token, ReplicaError.TOO_MANY_REQUESTS, Fate.NOT_APPLIED, knownLeader);
            }
            return;
        }
        stepAdmin(kind, token, member, metadata, offset, length);
        drive();
    }

    private void stepAdmin(byte kind, long token, long member, DirectBuffer metadata, int offset, int length) {
        if (kind == InputQueue.TRANSFER) {
            admin.transfer(raft, tickCount, token, member);
        } else {
            admin.change(raft, tickCount, token, InputQueue.confChangeType(kind), member, metadata, offset, length);
        }
    }

    /** The disk finished the sync requested with {@code syncId}. */
    public void onSynced(long syncId) {
        if (stopped || !syncInFlight || syncId != this.syncId) {
            return; // a completion from before a restart, or for a batch given up on
        }
        syncInFlight = false;
        finish(current);
        drive();
    }

    /** The process stops (shutdown, removal): waiting requests are answered; the replica accepts nothing more. */
    public void stop() {
        if (!stopped) {
            halt(ReplicaError.STOPPED);
        }
    }

    private void halt(ReplicaError why) {
        stopped = true;
        queued.clear();
        requests.stop(why);
        admin.stop(why);
    }

    /**
     * This member's removal is committed: it answers what waits and serves no client any more, but keeps
     * answering peers for an election timeout (etcd's {@code stopWithDelay}) — a removed leader steps down at
     * once, and the rest may need its vote to elect a leader that commits the removal for them.
     */
    private void beginRemoval(String why) {
        removed = true;
        stopAtTick = tickCount + config.raft().electionTicks();
        requests.stop(ReplicaError.REMOVED);
        admin.stop(ReplicaError.REMOVED);
        observer.onEvent(id, why + "; serves no client, stops after an election timeout");
    }

    private void stopRemoved() {
        halt(ReplicaError.REMOVED);
        observer.onEvent(id, "removed from the cluster: stops for good");
    }

    private boolean refused(long token, boolean isWrite) {
        if (stopped || removed) {
            replies.failed(token, removed ? ReplicaError.REMOVED : ReplicaError.STOPPED, Fate.NOT_APPLIED, 0);
            return true;
        }
        if (isWrite && diskFull) {
            replies.failed(token, ReplicaError.NO_SPACE, Fate.NOT_APPLIED, knownLeader);
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- the Ready sequence

    private void drive() {
        while (!syncInFlight && !diskFull && !stopped) {
            queued.drain(replay);
            if (stopped) {
                return;
            }
            if (removalNoticeFrom != 0 && !removed) {
                beginRemoval("member " + removalNoticeFrom + " applied this member's removal");
            }
            requests.startReadRound(raft);
            if (!raft.hasReady()) {
                return;
            }
            current = raft.ready();
            if (current.softStateChanged() && current.role() == Role.LEADER) {
                // Reported when the kernel hands it out: a batch that then waits for the disk is still this term's.
                observer.onLeader(id, raft.term(), raft.storage());
            }
            if (!persistAndSend(current)) {
                return;
            }
            if (current.mustSync()) {
                syncInFlight = true;
                disk.sync(++syncId);
                return;
            }
            finish(current);
        }
    }

    /** @return false when the disk is full and the batch waits */
    private boolean persistAndSend(Ready ready) {
        if (writer.persist(ready) != WriteStatus.OK) {
            if (!diskFull) {
                diskFull = true;
                observer.onEvent(id, "disk full: writes refused with NOSPACE until space is freed");
            }
            return false;
        }
        if (ready.hasEntries() && ready.persistFrom() <= durableIndex) {
            // Entries replacing a durable suffix (a new leader's): once their sync completes a crash recovers the
            // shorter log, and the replica may not have heard of that completion yet.
            durableIndex = ready.persistFrom() - 1;
        }
        if (diskFull) {
            diskFull = false;
            ticksWhileFull = 0;
            observer.onEvent(id, "disk writable again");
        }
        for (int i = 0; i < ready.messageCount(); i++) {
            if (ready.messageMayLeaveBeforeSync(i)) {
                send(ready, i);
            }
        }
        return true;
    }

    private void retryFullDisk() {
        if (persistAndSend(current)) {
            if (current.mustSync()) {
                syncInFlight = true;
                disk.sync(++syncId);
                return;
            }
            finish(current);
            drive();
        }
    }

    private void send(Ready ready, int i) {
        transport.send(ready.messageTo(i), ready.messageBuffer(), ready.messageOffset(i), ready.messageLength(i));
    }

    private void finish(Ready ready) {
        for (int i = 0; i < ready.messageCount(); i++) {
            if (!ready.messageMayLeaveBeforeSync(i)) {
                send(ready, i);
            }
        }
        if (ready.hasSnapshot()) {
            installSnapshot(ready);
        }
        for (long i = ready.applyFrom(); i <= ready.applyTo(); i++) {
            apply(ready.entry(i, view));
        }
        for (int i = 0; i < ready.readStateCount(); i++) {
            requests.onReadState(mvcc, ready.readContext(i), ready.readStatus(i), ready.leaderId());
        }
        if (ready.softStateChanged()) {
            leadershipChanged(ready);
        }
        raft.advance();
        durableIndex = raft.persistedIndex();
        admin.onApplied(raft, ready.applyFrom(), ready.applyTo());
        if (ownRemovalAt != 0 && !removed) {
            beginRemoval("applied its own removal at index " + ownRemovalAt);
        }
        mvcc.syncWatchers(WATCH_SYNC_BUDGET);
        snapshots.maybeSnapshot(raft, mvcc, registry);
        writer.rollIfFull();
    }

    private void installSnapshot(Ready ready) {
        if (!SnapshotPayload.restore(registry, mvcc, ready.snapshotData(), 0, ready.snapshotLength())) {
            throw new InvariantViolation("member " + id + " could not restore the leader's snapshot at index "
                    + ready.snapshotIndex());
        }
        writer.snapshotDurable();
        requests.onSnapshotInstalled(ready.snapshotIndex(), ready.snapshotTerm(), ready.leaderId());
        admin.onSnapshotInstalled(ready.snapshotIndex(), ready.leaderId());
        snapshots.snapshotInstalled();
        observer.onEvent(id, "installed a snapshot from the leader at index " + ready.snapshotIndex());
    }

    private void apply(EntryView entry) {
        long index = entry.index();
        int responseLength = 0;
        long origin = 0;
        long requestId = 0;
        if (entry.type() == EntryType.NORMAL && entry.length() > 0) {
            if (!Proposal.isEnvelope(entry.length())) {
                throw new InvariantViolation("entry " + index + " of " + entry.length() + " bytes has no envelope");
            }
            origin = Proposal.origin(entry.buffer(), entry.offset());
            requestId = Proposal.requestId(entry.buffer(), entry.offset());
            responseLength = mvcc.apply(index, entry.buffer(), entry.offset() + Proposal.HEADER,
                    entry.length() - Proposal.HEADER, response);
        } else if (entry.type() == EntryType.CONF_CHANGE) {
            registry.apply(entry);
            if (removedMembers.removesSelf(entry, raft)) {
                ownRemovalAt = index; // takes effect when the kernel advances; the replica stops then
            }
        }
        snapshots.entryApplied();
        observer.onApplied(id, index, entry.term(), entry.type(), entry.buffer(), entry.offset(), entry.length(),
                response, responseLength);
        requests.onApplied(index, entry.term(), origin, requestId, response, responseLength, raft.leaderId());
    }

    private void leadershipChanged(Ready ready) {
        boolean nowLeading = ready.role() == Role.LEADER;
        if (nowLeading && !leading) {
            mvcc.promote(config.raft().electionTicks());
            duties.startedLeading();
            requests.startedLeading(raft.term());
        } else if (!nowLeading && leading) {
            mvcc.demote();
        }
        leading = nowLeading;
        if (ready.leaderId() != knownLeader) {
            knownLeader = ready.leaderId();
            requests.onLeaderChanged(knownLeader);
            admin.onLeaderChanged(raft, knownLeader);
        }
    }

    // ---------------------------------------------------------------- stepping inputs

    private void onTick() {
        tickCount++;
        if (removed && tickCount >= stopAtTick) {
            stopRemoved();
            return;
        }
        raft.tick();
        mvcc.tick();
        if (raft.role() == Role.LEADER) {
            duties.onTick(raft, mvcc);
        }
        requests.expire(tickCount, knownLeader);
        admin.expire(tickCount, knownLeader);
        mvcc.syncWatchers(WATCH_SYNC_BUDGET);
    }

    private void step(long from, DirectBuffer buffer, int offset, int length) {
        if (removedMembers.refuse(from, raft.term(), raft.leaderId())) {
            return;
        }
        if (!ForwardFrame.isFrame(buffer, offset, length)) {
            raft.step(buffer, offset, length); // undecodable messages are refused by the kernel's decoder
        } else if (RemovedMembers.isRemovedNotice(buffer, offset, length)) {
            removalNoticeFrom = from;
        } else {
            requests.onFrame(raft, buffer, offset, length);
        }
    }

    private void replayInput(byte kind, long a, long b, DirectBuffer bytes, int offset, int length) {
        switch (kind) {
            case InputQueue.TICK -> onTick();
            case InputQueue.MESSAGE -> step(a, bytes, offset, length);
            case InputQueue.WRITE -> requests.write(raft, mvcc, tickCount, a, bytes, offset, length);
            case InputQueue.ADD_VOTER, InputQueue.ADD_LEARNER, InputQueue.REMOVE, InputQueue.PROMOTE,
                    InputQueue.UPDATE, InputQueue.TRANSFER -> stepAdmin(kind, a, b, bytes, offset, length);
            default -> throw new InvariantViolation("unknown queued input kind " + kind);
        }
    }

    // ---------------------------------------------------------------- queries (read-only, for hosts and checks)

    public long id() {
        return id;
    }

    /** @return the Raft member (read-only for hosts: checks may query it, never step it) */
    public RaftNode raft() {
        return raft;
    }

    /** @return the MVCC store: hosts query it and register watches on it, never apply to it */
    public MvccStateMachine mvcc() {
        return mvcc;
    }

    /**
     * @return every member's metadata as replicated (read-only for hosts; changes when a configuration change
     *         is applied or a snapshot installed: follow {@link MemberRegistry#version()})
     */
    public MemberRegistry members() {
        return registry;
    }

    public boolean isLeader() {
        return raft != null && raft.role() == Role.LEADER;
    }

    public long leaderId() {
        return raft == null ? 0 : raft.leaderId();
    }

    /** @return whether the disk is full (etcd's NOSPACE alarm): writes are refused */
    public boolean diskFull() {
        return diskFull;
    }

    /**
     * @return the last log index recovered at start or made durable by a finished batch: what a crash must not
     *         lose (unlike the kernel's persisted index, never a leader's snapshot whose batch waits for the disk);
     *         a written batch whose entries replace a durable suffix lowers it to the index before them
     */
    public long durableIndex() {
        return durableIndex;
    }

    /** @return whether a sync is in flight (inputs are queued until it completes) */
    public boolean syncing() {
        return syncInFlight;
    }

    public boolean running() {
        return !stopped;
    }

    /**
     * @return whether this member's removal from the cluster is committed (it applied it or a peer that did told
     *         it): it serves no client any more, and stops for good ({@link #running()} false) an election
     *         timeout later
     */
    public boolean removed() {
        return removed;
    }
}
