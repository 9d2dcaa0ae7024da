package dev.keel.simulator;

import dev.keel.kernel.raft.ConfState;
import dev.keel.kernel.raft.EntryType;
import dev.keel.kernel.raft.EntryView;
import dev.keel.kernel.raft.InMemoryLogStorage;
import dev.keel.kernel.raft.RaftConfig;
import dev.keel.kernel.raft.RaftNode;
import dev.keel.kernel.raft.ReadState;
import dev.keel.kernel.raft.Ready;
import dev.keel.kernel.raft.Role;
import dev.keel.kernel.util.SplitMix64;
import dev.keel.transport.InMemoryTransport;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.TreeMap;

/**
 * A simulated server process: the real kernel, a simulated disk holding its WAL, an in-memory transport, and
 * the real MVCC store as its state machine. It follows the host contract of {@link Ready} literally: persist,
 * fsync (which takes simulated time, during which the process handles nothing else), then send, apply,
 * advance. Inputs — ticks, peer messages, client requests — queue in arrival order while it is busy or paused
 * and are handled in that order afterwards.
 */
final class SimNode {
    private static final Object TICK = "tick";
    private static final Object MESSAGE = "message";
    /** Every so many ticks the leader proposes a compaction that keeps this many revisions. */
    private static final int COMPACT_EVERY_TICKS = 50;
    private static final long COMPACT_KEEP_REVISIONS = 200;

    final long id;
    private final Simulation sim;
    private final RaftConfig config;
    private final SplitMix64 random;
    final SimDisk disk = new SimDisk();
    private final InMemoryTransport transport;
    private final ArrayDeque<Object> inputs = new ArrayDeque<>();
    /** A proposed write: (index, term) names one entry, so the term tells ours from a new leader's. */
    private record PendingWrite(ClientRequest request, long term) {
    }

    /** Proposed writes by log index. */
    private final TreeMap<Long, PendingWrite> pendingWrites = new TreeMap<>();
    private final TreeMap<Long, ClientRequest> pendingReads = new TreeMap<>();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer record = new ExpandableArrayBuffer(256);
    private final EntryView view = new EntryView();
    private final double tickRate;
    final NodeWatches watches;

    RaftNode raft;
    SimStore store;
    boolean up;
    boolean paused;
    boolean permanentlyDown;
    private boolean busy;
    private boolean leading;
    private long incarnation;
    private long appliedSinceSnapshot;
    private long ticksSinceCompaction;
    private long hardTerm;
    private long hardVote;
    private long hardCommit;
    /** Offset up to which the WAL was durable when the process last stopped (corruption targets it). */
    int durableAtStop;

    SimNode(long id, Simulation sim, RaftConfig config, SplitMix64 random, double tickRate) {
        this.id = id;
        this.sim = sim;
        this.config = config;
        this.random = random;
        this.tickRate = tickRate;
        this.transport = new InMemoryTransport(id, sim.network, 1_000_000);
        this.watches = new NodeWatches(this, sim, random.split());
    }

    /** Starts a founding member; its first ready batch persists the bootstrap entries. */
    void bootstrap(ConfState members) {
        raft = RaftNode.bootstrap(config, new InMemoryLogStorage(new ConfState()), members);
        sim.applyHostBugs(raft);
        store = new SimStore();
        started();
    }

    private void started() {
        up = true;
        leading = false;
        watches.processStarted();
        startTicking();
        pump();
    }

    // ---------------------------------------------------------------- inputs

    void receive(long from, byte[] bytes) {
        if (!up || !transport.deliver(from, new UnsafeBuffer(bytes), 0, bytes.length)) {
            return;
        }
        inputs.add(MESSAGE);
        pump();
    }

    void submit(ClientRequest request) {
        if (!up) {
            // Nothing listens on a crashed node's port: the connection is refused, and the client knows the
            // request was never received.
            sim.respond(request, null, 0);
            return;
        }
        inputs.add(request);
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

    void resume() {
        paused = false;
        pump();
    }

    // ---------------------------------------------------------------- crash and restart

    void crash(boolean tear) {
        if (!up) {
            return;
        }
        up = false;
        busy = false;
        paused = false;
        incarnation++;
        raft = null;
        store = null;
        inputs.clear();
        transport.clear();
        pendingWrites.clear();
        pendingReads.clear();
        watches.processStopped();
        disk.crash(random, tear);
        durableAtStop = disk.length();
    }

    /** Restarts from the disk; a corrupted log keeps the node down for good (it never serves bad data). */
    void restart() {
        if (up || permanentlyDown) {
            return;
        }
        Recovery r = Recovery.read(disk.bytes(), disk.length());
        InMemoryLogStorage storage = r.corruption == null ? r.storage() : null;
        if (r.corruption != null) {
            permanentlyDown = true;
            sim.event("node " + id + " refuses to start: " + r.corruption);
            return;
        }
        if (r.tornAt >= 0) {
            disk.truncate(r.tornAt);
            sim.event("node " + id + " cut a torn WAL tail at offset " + r.tornAt);
        }
        raft = new RaftNode(config, storage, r.term, r.vote, r.commit);
        sim.applyHostBugs(raft);
        store = SimStore.restore(new UnsafeBuffer(r.snapshotData), r.snapshotData.length);
        hardTerm = r.term;
        hardVote = r.vote;
        hardCommit = r.commit;
        appliedSinceSnapshot = 0;
        incarnation++;
        started();
    }

    // ---------------------------------------------------------------- the host loop

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

    private void pump() {
        if (!up || paused || busy) {
            return;
        }
        while (!inputs.isEmpty()) {
            Object input = inputs.poll();
            if (input == TICK) {
                onTick();
            } else if (input == MESSAGE) {
                transport.poll((from, buffer, offset, length) -> raft.step(buffer, offset, length), 1);
            } else {
                handle((ClientRequest) input);
            }
        }
        if (raft.hasReady()) {
            startReady();
        }
    }

    private void onTick() {
        raft.tick();
        store.mvcc.tick();
        if (leading && ++ticksSinceCompaction >= COMPACT_EVERY_TICKS) {
            ticksSinceCompaction = 0;
            long target = store.revision() - COMPACT_KEEP_REVISIONS;
            if (target > 1) {
                proposeWrite(new ClientRequest(null, 0, ClientRequest.COMPACT, 0, target, 0, 0, 0));
            }
        }
        watches.sync();
    }

    private void startReady() {
        Ready ready = raft.ready();
        boolean needsSync = ready.hasHardState() || ready.hasEntries() || ready.hasSnapshot();
        try {
            persist(ready);
        } catch (SimDisk.FullException full) {
            sim.event("node " + id + " crashed: disk full");
            crash(false);
            return;
        }
        if (sim.hostBugSendBeforeFsync) {
            send(ready);
        }
        if (!needsSync) {
            finishReady(ready);
            return;
        }
        busy = true;
        long inc = incarnation;
        sim.schedule(sim.now() + disk.fsyncMicros(sim.plan.fsyncMicros), () -> {
            if (inc == incarnation) {
                disk.sync();
                finishReady(ready);
            }
        });
    }

    private void finishReady(Ready ready) {
        if (!sim.hostBugSendBeforeFsync) {
            send(ready);
        }
        if (ready.hasSnapshot()) {
            store.install(ready.snapshotData(), ready.snapshotLength());
        }
        for (long i = ready.applyFrom(); i <= ready.applyTo(); i++) {
            apply(ready.entry(i, view));
        }
        for (int i = 0; i < ready.readStateCount(); i++) {
            answerRead(ready.readContext(i), ready.readStatus(i) == ReadState.OK);
        }
        if (ready.softStateChanged()) {
            leadershipChanged(ready.role() == Role.LEADER);
        }
        raft.advance();
        busy = false;
        watches.sync();
        if (appliedSinceSnapshot >= sim.plan.snapshotEvery) {
            snapshotAndCompact();
        }
        pump();
    }

    private void leadershipChanged(boolean nowLeading) {
        if (nowLeading) {
            sim.monitor.onLeader(raft.term(), id, raft.storage());
        }
        if (nowLeading && !leading) {
            store.mvcc.promote(config.electionTicks());
        } else if (!nowLeading && leading) {
            store.mvcc.demote();
        }
        leading = nowLeading;
    }

    private void persist(Ready ready) {
        if (ready.hasSnapshot()) {
            int n = Wal.snapshot(record, ready.snapshotIndex(), ready.snapshotTerm(), ready.snapshotConf(),
                    ready.snapshotData(), ready.snapshotLength());
            disk.append(record, n);
        }
        for (long i = ready.persistFrom(); i <= ready.persistTo(); i++) {
            ready.entry(i, view);
            int n = Wal.entry(record, i, view.term(), view.type(), view.buffer(), view.offset(), view.length());
            disk.append(record, n);
        }
        if (ready.hasHardState()) {
            disk.append(record, Wal.hardState(record, ready.term(), ready.vote(), ready.commit()));
            hardTerm = ready.term();
            hardVote = ready.vote();
            hardCommit = ready.commit();
        }
    }

    private void send(Ready ready) {
        DirectBuffer messages = ready.messageBuffer();
        for (int i = 0; i < ready.messageCount(); i++) {
            transport.send(ready.messageTo(i), messages, ready.messageOffset(i), ready.messageLength(i));
        }
    }

    private void apply(EntryView entry) {
        long index = entry.index();
        long entryHash = entry.type() * 31L + entry.term();
        long stateHash = 0;
        if (entry.type() == EntryType.NORMAL && entry.length() > 0) {
            store.apply(index, entry.buffer(), entry.offset(), entry.length());
            stateHash = store.responseDigest();
            entryHash = TraceHash.mix(entryHash ^ digest(entry.buffer(), entry.offset(), entry.length()));
        }
        appliedSinceSnapshot++;
        sim.monitor.onApplied(id, index, entry.term(), entryHash, stateHash);
        PendingWrite waiting = pendingWrites.remove(index);
        if (waiting != null) {
            // Another term at this index: a new leader overwrote ours, so it never happened.
            boolean ours = waiting.term() == entry.term();
            sim.respond(waiting.request(), ours ? store.outcomeOfWrite(waiting.request()) : null, leaderHint());
        }
    }

    /** A fast digest of entry bytes, eight at a time. */
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

    private void handle(ClientRequest request) {
        if (request.isRead()) {
            if (raft.readIndex(request.requestId) == 0) {
                pendingReads.put(request.requestId, request);
            } else {
                sim.respond(request, null, leaderHint());
            }
            return;
        }
        if (!proposeWrite(request)) {
            sim.respond(request, null, leaderHint());
        }
    }

    private boolean proposeWrite(ClientRequest request) {
        if (raft.role() != Role.LEADER) {
            return false;
        }
        int length = store.encodeWrite(request, scratch);
        if (store.mvcc.validate(scratch, 0, length) != dev.keel.kernel.mvcc.MvccError.OK) {
            return false;
        }
        long index = raft.propose(scratch, 0, length);
        if (index <= 0) {
            return false;
        }
        if (request.client != null) {
            pendingWrites.put(index, new PendingWrite(request, raft.term()));
        }
        return true;
    }

    private void answerRead(long context, boolean ok) {
        ClientRequest request = pendingReads.remove(context);
        if (request != null) {
            sim.respond(request, ok ? store.read(request) : null, leaderHint());
        }
    }

    private long leaderHint() {
        return raft == null ? 0 : raft.leaderId();
    }

    /** Snapshots the store, compacts the kernel's log, and rewrites the WAL atomically to match. */
    private void snapshotAndCompact() {
        appliedSinceSnapshot = 0;
        int length = store.snapshot(scratch);
        if (raft.takeSnapshot(scratch, 0, length) != 0) {
            return;
        }
        sim.monitor.onStoreHash(id, raft.appliedIndex(), store.hashKv());
        var storage = raft.storage();
        long keepFrom = Math.max(storage.baseIndex(), storage.snapshotIndex() - sim.plan.snapshotKeep);
        raft.compact(keepFrom);
        ExpandableArrayBuffer wal = new ExpandableArrayBuffer(64 * 1024);
        int at = 0;
        int n = Wal.snapshot(record, storage.snapshotIndex(), storage.snapshotTerm(), storage.snapshotConf(),
                storage.snapshotData(), storage.snapshotLength());
        at += Wal.append(wal, at, record, n);
        for (long i = storage.snapshotIndex() + 1; i <= storage.lastIndex(); i++) {
            storage.entry(i, view);
            n = Wal.entry(record, i, view.term(), view.type(), view.buffer(), view.offset(), view.length());
            at += Wal.append(wal, at, record, n);
        }
        at += Wal.append(wal, at, record, Wal.hardState(record, hardTerm, hardVote, hardCommit));
        disk.replace(wal, at);
    }
}
