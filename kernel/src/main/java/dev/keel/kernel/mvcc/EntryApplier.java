package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.DeleteRangeRequest;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import dev.keel.kernel.mvcc.store.Compactor;
import dev.keel.kernel.mvcc.store.Keyspace;
import dev.keel.kernel.mvcc.store.RangeReader;
import dev.keel.kernel.mvcc.store.SpaceLedger;
import dev.keel.kernel.mvcc.store.TxnApplier;
import dev.keel.kernel.mvcc.store.WriteOps;
import dev.keel.kernel.auth.AuthError;
import dev.keel.kernel.auth.wire.AuthEnvelope;
import dev.keel.kernel.auth.wire.AuthResponse;
import dev.keel.kernel.mvcc.lease.LeaseTable;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Applies one committed entry: re-validates it (so a bad entry gets an error response, never an
 * exception), checks the quota, runs it in a write transaction and tells the listener about a new revision.
 * Responses are written at offset 0 of the output buffer.
 */
final class EntryApplier {
    private final Keyspace keyspace;
    private final RequestValidator validator;
    private final RangeReader reader;
    private final WriteOps writes;
    private final TxnApplier txns;
    private final Compactor compactor;
    private final QuotaGuard quota;
    private final LeaseOps leaseOps;
    private final RevisionListener listener;
    private final PutRequest put = new PutRequest();
    private final RangeRequest range = new RangeRequest();
    private final DeleteRangeRequest delete = new DeleteRangeRequest();
    private final AuthGate auth;
    private final LeaseTable leases;
    private final AuthEnvelope envelope = new AuthEnvelope();

    EntryApplier(Keyspace keyspace, RequestValidator validator, RangeReader reader, WriteOps writes,
                 TxnApplier txns, Compactor compactor, QuotaGuard quota, LeaseOps leaseOps,
                 RevisionListener listener, AuthGate auth, LeaseTable leases) {
        this.auth = auth;
        this.leases = leases;
        this.keyspace = keyspace;
        this.validator = validator;
        this.reader = reader;
        this.writes = writes;
        this.txns = txns;
        this.compactor = compactor;
        this.quota = quota;
        this.leaseOps = leaseOps;
        this.listener = listener;
    }

    int apply(long raftIndex, DirectBuffer request, int offset, int length, MutableDirectBuffer out) {
        MvccError error = validator.validate(request, offset, length);
        int type = RequestType.typeOf(request, offset, length);
        if (error != MvccError.OK) {
            return error(out, Math.max(type, 0), error);
        }
        switch (type) {
            case RequestType.AUTHED:
                return applyAuthed(raftIndex, request, offset, length, out);
            case RequestType.AUTH:
                return auth.apply(request, offset, length, keyspace.currentRevision(), out);
            case RequestType.PUT:
                return applyPut(request, offset, length, out);
            case RequestType.DELETE_RANGE: {
                delete.wrap(request, offset, length);
                keyspace.beginWrite();
                int written = writes.deleteRange(delete, out, 0);
                finishWrite();
                return written;
            }
            case RequestType.TXN:
                return applyTxn(request, offset, length, out);
            case RequestType.RANGE:
                range.wrap(request, offset, length);
                return reader.read(range, keyspace.currentRevision(), out, 0);
            case RequestType.COMPACT:
                return compact(SmallRequests.firstLong(request, offset), out);
            case RequestType.LEASE_GRANT:
                return leaseOps.grant(raftIndex, request, offset, out);
            case RequestType.LEASE_REVOKE:
                return leaseOps.revoke(SmallRequests.firstLong(request, offset), out);
            case RequestType.LEASE_CHECKPOINT:
                return leaseOps.checkpoint(request, offset, out);
            case RequestType.ALARM_DISARM:
                quota.alarm(false);
                return ResponseLayout.writeHeader(out, 0, type, 0, 0, keyspace.currentRevision());
            default:
                return error(out, 0, MvccError.MALFORMED_REQUEST);
        }
    }

    /**
     * An enveloped client request: checked when auth is enabled (the whole request fails before anything
     * applies), then applied as if unwrapped. An auth error answers with the inner request's type.
     */
    private int applyAuthed(long raftIndex, DirectBuffer request, int offset, int length, MutableDirectBuffer out) {
        envelope.wrap(request, offset, length);
        int innerAt = envelope.innerAt();
        int innerLength = envelope.innerLength();
        if (auth.store().enabled()) {
            AuthError error = auth.check(auth.user(request, envelope.userAt(), envelope.userLength()), envelope.authRevision(), request, innerAt, innerLength,
                    keyspace, leases);
            if (error != AuthError.OK) {
                int innerType = RequestType.typeOf(request, innerAt, innerLength);
                return AuthResponse.error(out, 0, innerType == RequestType.AUTH ? ResponseLayout.AUTH : innerType,
                        error, keyspace.currentRevision());
            }
        }
        return apply(raftIndex, request, innerAt, innerLength, out);
    }

    private int applyPut(DirectBuffer request, int offset, int length, MutableDirectBuffer out) {
        put.wrap(request, offset, length);
        MvccError error = quota.admit(SpaceLedger.cost(put.keyLength(), put.valueLength()));
        if (error == MvccError.OK) {
            error = writes.checkPut(put, true);
        }
        if (error != MvccError.OK) {
            return error(out, RequestType.PUT, error);
        }
        keyspace.beginWrite();
        int written = writes.put(put, out, 0);
        finishWrite();
        return written;
    }

    private int applyTxn(DirectBuffer request, int offset, int length, MutableDirectBuffer out) {
        txns.topLevel().wrap(request, offset, length);
        MvccError error = quota.admit(txns.putCost(txns.topLevel(), 0));
        if (error != MvccError.OK) {
            return error(out, RequestType.TXN, error);
        }
        long before = keyspace.currentRevision();
        int written = txns.apply(out, 0);
        if (keyspace.currentRevision() != before) {
            listener.written(keyspace.currentRevision());
        }
        return written;
    }

    private int compact(long revision, MutableDirectBuffer out) {
        long current = keyspace.currentRevision();
        if (revision <= keyspace.compactRevision()) {
            return error(out, RequestType.COMPACT, MvccError.COMPACTED);
        }
        if (revision > current) {
            return error(out, RequestType.COMPACT, MvccError.FUTURE_REVISION);
        }
        keyspace.compact(revision);
        compactor.start(revision);
        return ResponseLayout.writeHeader(out, 0, RequestType.COMPACT, 0, 0, current);
    }

    private void finishWrite() {
        boolean changed = !keyspace.changes().isEmpty();
        long revision = keyspace.endWrite();
        if (changed) {
            listener.written(revision);
        }
    }

    private int error(MutableDirectBuffer out, int type, MvccError error) {
        return ResponseLayout.writeError(out, 0, type, error.wireId(), keyspace.currentRevision());
    }
}
