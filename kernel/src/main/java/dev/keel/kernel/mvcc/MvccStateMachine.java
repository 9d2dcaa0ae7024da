package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import dev.keel.kernel.mvcc.lease.Lease;
import dev.keel.kernel.mvcc.snapshot.KvHash;
import dev.keel.kernel.mvcc.snapshot.MvccSnapshot;
import dev.keel.kernel.mvcc.store.KeyIndex;
import dev.keel.kernel.mvcc.watch.WatchSink;
import dev.keel.kernel.auth.AuthError;
import dev.keel.kernel.auth.AuthStore;
import dev.keel.kernel.auth.AuthUser;
import dev.keel.kernel.auth.Lookup;
import dev.keel.kernel.auth.wire.AuthEnvelope;
import dev.keel.kernel.auth.wire.AuthResponse;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;

/**
 * The MVCC state machine: etcd's keyspace, transactions, leases and watches, deterministic and free of
 * I/O. One instance per replica, used from the kernel thread only.
 *
 * <h2>How a host uses it</h2>
 * <ol>
 * <li><b>Write requests</b> (Put, DeleteRange, Txn, Compact, LeaseGrant, LeaseRevoke): encode the client's
 * request with the codec in {@code dev.keel.kernel.mvcc.codec} ({@code PutRequest.encode}, {@code TxnEncoder},
 * {@code SmallRequests}...), call {@link #validate}; if it is not {@link MvccError#OK} answer the client with
 * that error (gRPC code {@link MvccError#grpcCode()}, text {@link MvccError#message()}) without proposing.
 * Otherwise propose the bytes as a Raft entry. When the entry commits, call {@link #apply} with its index, in
 * log order, on every replica; the leader sends the response it wrote (decode it with
 * {@code ResponseView}) to the waiting client. {@code apply} writes from offset 0 of the buffer it is given;
 * pass an expandable buffer (responses of a txn with ranges can be large).</li>
 * <li><b>Reads</b> (Range, or a Txn that writes nothing): after a ReadIndex round (linearizable) or directly
 * (serializable), call {@link #range}; no log entry is needed.</li>
 * <li><b>Time and leases</b>: call {@link #tick()} at the configured tick rate on every replica. The replica
 * that becomes leader calls {@link #promote(long)} (extension: the election timeout in ticks), one that stops
 * being leader calls {@link #demote()}. After ticks, the leader drains {@link #expiredLeases} and proposes a
 * LeaseRevoke entry for each ID; followers never report expiries. Keepalives are served by the leader with
 * {@link #keepAlive} and are not replicated (as in etcd 3.4); TimeToLive and Leases come from
 * {@link #timeToLive} and {@link #leases}.</li>
 * <li><b>Watches</b>: {@link #watch} registers a watcher with a {@link WatchSink} (one per client stream);
 * events reach synced watchers during {@code apply}; call {@link #syncWatchers(int)} after each batch of
 * applied entries so new and slow watchers catch up from history; {@link #cancelWatch},
 * {@link #progressNotify()} and {@link #requestProgress} complete etcd's watch API.</li>
 * <li><b>Snapshots</b>: {@link #snapshot} writes deterministic bytes of the whole state (including the last
 * applied Raft index); {@link #restore} replaces the state with them; {@link #hashKv} answers HashKV.</li>
 * </ol>
 * Physical compaction proceeds in bounded steps during {@code apply} and {@code tick}.
 */
public final class MvccStateMachine {
    private final MvccConfig config;
    private final RequestValidator validator;
    private final RangeRequest range = new RangeRequest();
    private final MvccError[] leaseError = new MvccError[1];
    private final LongArrayList ids = new LongArrayList();
    private final long[] checkpointIds = new long[1000];
    private final long[] checkpointRemaining = new long[1000];
    private final AuthGate auth;
    private final AuthEnvelope envelope = new AuthEnvelope();
    private MvccCore core;

    /** Creates an empty store at revision 1. */
    public MvccStateMachine(MvccConfig config) {
        this.config = config;
        this.validator = new RequestValidator(config.maxRequestBytes(), config.maxTxnOps());
        this.auth = new AuthGate(config.authListener());
        this.core = new MvccCore(config, validator, auth);
    }

    /** @return {@link MvccError#OK} or the error etcd gives the encoded request before proposing it */
    public MvccError validate(DirectBuffer request, int offset, int length) {
        return validator.validate(request, offset, length);
    }

    /**
     * Applies a committed entry. An entry at or below the last applied index is skipped (returns 0), so a
     * host may replay its log after restoring a snapshot.
     *
     * @return the length of the response written at offset 0 of {@code responseOut}
     */
    public int apply(long raftIndex, DirectBuffer payload, int offset, int length, MutableDirectBuffer responseOut) {
        if (raftIndex <= core.appliedIndex) {
            return 0;
        }
        int written = core.applier.apply(raftIndex, payload, offset, length, responseOut);
        core.appliedIndex = raftIndex;
        core.compactor.step(config.compactionStepBudget());
        return written;
    }

    /**
     * Serves a read without the log: an encoded Range, or a Txn that writes nothing in any branch (etcd serves
     * those without consensus too); returns the response length (written at offset 0). Anything else is
     * refused as malformed: writes go through {@link #apply}.
     */
    public int range(DirectBuffer request, int offset, int length, MutableDirectBuffer responseOut) {
        MvccError error = validator.validate(request, offset, length);
        int type = RequestType.typeOf(request, offset, length);
        if (error == MvccError.OK && type == RequestType.AUTHED) {
            return rangeAuthed(request, offset, length, responseOut);
        }
        if (error == MvccError.OK && type == RequestType.TXN) {
            core.txns.topLevel().wrap(request, offset, length);
            if (!core.txns.writes(core.txns.topLevel(), 0)) {
                return core.txns.apply(responseOut, 0);
            }
        }
        if (error == MvccError.OK && type != RequestType.RANGE) {
            error = MvccError.MALFORMED_REQUEST;
        }
        long current = core.keyspace.currentRevision();
        if (error != MvccError.OK) {
            return ResponseLayout.writeError(responseOut, 0, type == RequestType.TXN ? RequestType.TXN
                    : RequestType.RANGE, error.wireId(), current);
        }
        range.wrap(request, offset, length);
        return core.reader.read(range, current, responseOut, 0);
    }

    /** An enveloped read: checked as at apply (read permission on every key it reads), then served. */
    private int rangeAuthed(DirectBuffer request, int offset, int length, MutableDirectBuffer responseOut) {
        envelope.wrap(request, offset, length);
        int innerAt = envelope.innerAt();
        int innerLength = envelope.innerLength();
        if (auth.store().enabled()) {
            AuthError error = auth.check(auth.user(request, envelope.userAt(), envelope.userLength()), envelope.authRevision(), request, innerAt, innerLength,
                    core.keyspace, core.leases);
            if (error != AuthError.OK) {
                int innerType = RequestType.typeOf(request, innerAt, innerLength);
                return AuthResponse.error(responseOut, 0, innerType == RequestType.TXN ? RequestType.TXN
                        : RequestType.RANGE, error, core.keyspace.currentRevision());
            }
        }
        return range(request, innerAt, innerLength, responseOut);
    }

    /** @return whether auth is enabled (kernel thread) */
    public boolean authEnabled() {
        return auth.store().enabled();
    }

    /** @return the auth revision (kernel thread) */
    public long authRevision() {
        return auth.store().revision();
    }

    /** @return the stored password hash of {@code user}, for the node's password check (kernel thread) */
    public Lookup<byte[]> passwordHash(String user) {
        Lookup<AuthUser> found = auth.store().userGet(user);
        return new Lookup<>(found.error(), found.error() == AuthError.OK ? found.value().passwordHash() : null);
    }

    /**
     * etcd's {@code isWatchPermitted} / {@code IsRangePermitted}: read on {@code [key, end)} for {@code user}
     * (OK when auth is disabled or the user is root). The node calls it before creating a watcher.
     */
    public AuthError checkRead(String user, byte[] key, byte[] end) {
        return auth.checkRead(user, key, end);
    }

    /** etcd's {@code IsAdminPermitted} (OK when auth is disabled). */
    public AuthError checkAdmin(String user) {
        return auth.store().isAdmin(user);
    }

    /** @return a copy of the auth store (tests compare members with it) */
    public AuthStore authStoreCopy() {
        ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
        int n = auth.store().writeTo(scratch, 0);
        return AuthStore.readFrom(scratch, 0, n).store();
    }

    /** One tick of lease time; also advances physical compaction. */
    public void tick() {
        core.clock.tick();
        core.compactor.step(config.compactionStepBudget());
    }

    /** This replica became leader: leases restart from their remaining TTL plus {@code extendTicks}. */
    public void promote(long extendTicks) {
        core.clock.promote(extendTicks);
    }

    /** This replica is no longer leader: it stops expiring leases. */
    public void demote() {
        core.clock.demote();
    }

    /**
     * Leader only: adds to {@code out} the IDs of expired leases to propose as LeaseRevoke entries, at most
     * etcd's revoke rate (per second, spread over the ticks). An ID is reported again after 3 s if its revoke
     * has not been applied by then.
     *
     * @return how many IDs were added
     */
    public int expiredLeases(LongArrayList out) {
        long perTick = Math.max(1, config.leaseRevokesPerSecond() / config.ticksPerSecond());
        return core.clock.expired(out, (int) perTick);
    }

    /**
     * Leader only: writes a LeaseCheckpoint entry to propose (etcd's lease checkpointing), holding the
     * remaining TTL of up to 1,000 leases, so that a new leader restarts them from there rather than from
     * their full TTL. Call it at the checkpoint interval (etcd: 5 minutes) and after keepalives of leases
     * that carry a checkpoint.
     *
     * @return the entry's length, or 0 when there is nothing to propose
     */
    public int leaseCheckpoint(MutableDirectBuffer out) {
        int n = core.clock.checkpoints(checkpointIds, checkpointRemaining, checkpointIds.length);
        return n == 0 ? 0 : SmallRequests.encodeLeaseCheckpoint(out, 0, checkpointIds, checkpointRemaining, n);
    }

    /** Leader only: etcd's LeaseKeepAlive; writes a KEEP_ALIVE response (ID, TTL) or an error. */
    public int keepAlive(long leaseId, MutableDirectBuffer out) {
        long ttl = core.clock.keepAlive(leaseId, leaseError);
        long revision = core.keyspace.currentRevision();
        if (leaseError[0] != MvccError.OK) {
            return ResponseLayout.writeError(out, 0, ResponseLayout.KEEP_ALIVE, leaseError[0].wireId(), revision);
        }
        int p = ResponseLayout.writeHeader(out, 0, ResponseLayout.KEEP_ALIVE, 0, 0, revision);
        out.putLong(p, leaseId);
        out.putLong(p + 8, ttl);
        return p + 16;
    }

    /**
     * etcd's LeaseTimeToLive: ID, remaining TTL (-1 if the lease does not exist), granted TTL and, if asked,
     * the attached keys in key order.
     */
    public int timeToLive(long leaseId, boolean withKeys, MutableDirectBuffer out) {
        Lease lease = core.leases.get(leaseId);
        int p = ResponseLayout.writeHeader(out, 0, ResponseLayout.TIME_TO_LIVE, 0, 0,
                core.keyspace.currentRevision());
        out.putLong(p, leaseId);
        out.putLong(p + 8, lease == null ? -1 : core.clock.remainingSeconds(lease));
        out.putLong(p + 16, lease == null ? 0 : lease.ttl());
        p += 24;
        if (lease == null || !withKeys) {
            out.putInt(p, 0);
            return p + 4;
        }
        int[] slots = core.leases.keySlots(lease);
        KeyIndex keys = core.keyspace.keys();
        keys.sortByKey(slots);
        out.putInt(p, slots.length);
        p += 4;
        for (int slot : slots) {
            out.putInt(p, keys.keyLength(slot));
            out.putBytes(p + 4, keys.keyBuffer(slot), keys.keyOffset(slot), keys.keyLength(slot));
            p += 4 + keys.keyLength(slot);
        }
        return p;
    }

    /** etcd's LeaseLeases: every lease ID, ascending. */
    public int leases(MutableDirectBuffer out) {
        core.leases.sortedIds(ids);
        int p = ResponseLayout.writeHeader(out, 0, ResponseLayout.LEASES, 0, 0, core.keyspace.currentRevision());
        out.putInt(p, ids.size());
        p += 4;
        for (int i = 0; i < ids.size(); i++) {
            out.putLong(p, ids.getLong(i));
            p += 8;
        }
        return p;
    }

    /**
     * Creates a watcher; see {@link dev.keel.kernel.mvcc.watch.WatchRegistry#create} for the arguments.
     *
     * @return the watch ID, or -1 if {@code requestedId} is taken
     */
    public long watch(long requestedId, DirectBuffer buffer, int keyOffset, int keyLength, int endOffset,
                      int endLength, long startRevision, int options, WatchSink sink) {
        return core.watches.create(requestedId, buffer, keyOffset, keyLength, endOffset, endLength, startRevision,
                options, sink);
    }

    /** @return whether the watcher existed */
    public boolean cancelWatch(long watchId) {
        return core.watches.cancel(watchId);
    }

    /**
     * Lets new and slow watchers catch up from history, visiting about {@code budget} history entries.
     *
     * @return whether some watchers are still catching up
     */
    public boolean syncWatchers(int budget) {
        return core.watches.sync(budget);
    }

    /** Sends progress responses to synced watchers that asked for them (etcd: every 10 minutes). */
    public void progressNotify() {
        core.watches.progressNotify();
    }

    /** etcd's RequestProgress for one stream; false if its watchers are not all caught up yet. */
    public boolean requestProgress(WatchSink sink) {
        return core.watches.requestProgress(sink);
    }

    /** Writes a HashKV response ({@code hash:i64 | compactRevision:i64}) or its error. */
    public int hashKv(long revision, MutableDirectBuffer out) {
        long current = core.keyspace.currentRevision();
        long compacted = core.keyspace.compactRevision();
        MvccError error = MvccError.OK;
        if (revision > 0 && revision <= compacted) {
            error = MvccError.COMPACTED;
        } else if (revision > current) {
            error = MvccError.FUTURE_REVISION;
        }
        if (error != MvccError.OK) {
            return ResponseLayout.writeError(out, 0, HASH_KV, error.wireId(), current);
        }
        int p = ResponseLayout.writeHeader(out, 0, HASH_KV, 0, 0, current);
        out.putLong(p, KvHash.of(core.keyspace, revision <= 0 ? current : revision));
        out.putLong(p + 8, compacted);
        return p + 16;
    }

    /** Response type of {@link #hashKv}. */
    public static final int HASH_KV = 13;

    /** Writes the deterministic snapshot of the whole state at offset 0; returns its length. */
    public int snapshot(MutableDirectBuffer out) {
        return snapshot(out, 0);
    }

    /** Writes the deterministic snapshot of the whole state at {@code out[at]}; returns its length. */
    public int snapshot(MutableDirectBuffer out, int at) {
        int mvcc = MvccSnapshot.write(core.keyspace, core.leases, core.appliedIndex, core.quota.alarmed(), out, at);
        return mvcc + AuthSnapshotSection.write(auth.store(), out, at + mvcc);
    }

    /** @return the exact length {@link #snapshot} would write now, so a host can size its buffer once */
    public long snapshotLength() {
        return MvccSnapshot.length(core.keyspace, core.leases) + AuthSnapshotSection.length(auth.store());
    }

    /**
     * Replaces the whole state with a snapshot. Watchers survive and catch up against the restored history;
     * a leader must call {@link #promote} again to restart lease timers.
     *
     * @return false (state unchanged) if the bytes are not an intact snapshot
     */
    public boolean restore(DirectBuffer in, int offset, int length) {
        AuthSnapshotSection.Split split = AuthSnapshotSection.split(in, offset, length);
        length = split.mvccLength();
        MvccSnapshot.Header header = new MvccSnapshot.Header();
        if (!MvccSnapshot.readHeader(in, offset, length, header)) {
            return false;
        }
        MvccCore restored = new MvccCore(config, validator, auth);
        restored.keyspace.restoreRevisions(header.currentRevision, header.compactRevision);
        MvccSnapshot.load(in, offset, restored.keyspace, restored.leases);
        restored.keyspace.log().restoreHoles(header.compactRevision, header.compactionHoles);
        restored.quota.alarm(header.alarm);
        restored.appliedIndex = header.raftIndex;
        restored.watches.adopt(core.watches);
        if (core.clock.isPrimary()) {
            restored.clock.promote(0);
        }
        core = restored;
        auth.restore(split.store());
        return true;
    }

    /** @return the store revision */
    public long revision() {
        return core.keyspace.currentRevision();
    }

    /** @return the compaction revision */
    public long compactRevision() {
        return core.keyspace.compactRevision();
    }

    /** @return the Raft index of the last applied entry */
    public long appliedIndex() {
        return core.appliedIndex;
    }

    /** @return bytes of kept history counted against the quota */
    public long usedBytes() {
        return core.keyspace.space().used();
    }

    /** @return whether the NOSPACE alarm is raised */
    public boolean noSpaceAlarm() {
        return core.quota.alarmed();
    }

    /** @return whether physical compaction still has work queued */
    public boolean compacting() {
        return core.compactor.active();
    }

    /** @return keys in the index, including deleted keys whose history is kept until compaction */
    public int keyCount() {
        return core.keyspace.keys().size();
    }

    /** @return number of watchers */
    public int watcherCount() {
        return core.watches.size();
    }

    /** @return number of watchers catching up from history (new with a past start, or refused by their sink) */
    public int unsyncedWatcherCount() {
        return core.watches.unsyncedCount();
    }
}
