package dev.keel.simulator;

import dev.keel.kernel.mvcc.codec.DeleteRangeRequest;
import dev.keel.kernel.mvcc.codec.KeyValueView;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.codec.ResponseView;
import dev.keel.kernel.mvcc.codec.TxnCompare;
import dev.keel.kernel.mvcc.codec.TxnEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The workload's client-side codec: the client operations (keys {@code k/00..k/99}, values the decimal digits
 * of unique numbers) encoded as etcd requests for a replica, and the replica's MVCC responses decoded into
 * {@link Outcome}s for the history. It holds no server state: the replica owns the store.
 */
final class WorkloadCodec {
    /** Every key the workload uses shares this prefix, so a prefix range reads them all. */
    static final byte[] PREFIX = "k/".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PREFIX_END = "k0".getBytes(StandardCharsets.US_ASCII);

    private final ResponseView view = new ResponseView();
    private final ResponseView inner = new ResponseView();
    private final KeyValueView kv = new KeyValueView();
    private final TxnEncoder txn = new TxnEncoder();
    private final RangeRequest.Options options = new RangeRequest.Options();
    /** What a client learns from one operation. */
    static final class Outcome {
        boolean ok;
        /** get / txn else-branch: value read (0 = absent) and its mod revision. */
        long value;
        long modRevision;
        /** get: the lease the key read is attached to (0: none). */
        long lease;
        /** delete: keys deleted; cas and txn: whether the compare held. */
        long count;
        boolean succeeded;
        /** range over the prefix: per key index, value and mod revision (value 0 = absent). */
        long[] values;
        long[] modRevisions;
        /** The store's revision the response was served at (its header). */
        long revision;
    }

    static UnsafeBuffer key(int key) {
        return new UnsafeBuffer(keyBytes(key));
    }

    private static final byte[][] KEYS = new byte[100][];

    static {
        for (int k = 0; k < KEYS.length; k++) {
            KEYS[k] = new byte[]{'k', '/', (byte) ('0' + k / 10), (byte) ('0' + k % 10)};
        }
    }

    private static final byte[][] LEASE_KEYS = new byte[100][];

    static {
        for (int k = 0; k < LEASE_KEYS.length; k++) {
            LEASE_KEYS[k] = new byte[]{'l', '/', (byte) ('0' + k / 10), (byte) ('0' + k % 10)};
        }
    }

    static final byte[] COLD_PREFIX = "c/".getBytes(StandardCharsets.US_ASCII);
    static final byte[] COLD_PREFIX_END = "c0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ABSENT_PREFIX = "x/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ABSENT_PREFIX_END = "x0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] COLD_KEYS = keys('c');
    private static final byte[][] ABSENT_KEYS = keys('x');

    private static byte[][] keys(char prefix) {
        byte[][] keys = new byte[100][];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = new byte[]{(byte) prefix, '/', (byte) ('0' + k / 10), (byte) ('0' + k % 10)};
        }
        return keys;
    }

    private static UnsafeBuffer keyOf(ClientRequest r) {
        if (r.onLeaseKey()) {
            return new UnsafeBuffer(LEASE_KEYS[r.key]);
        }
        return new UnsafeBuffer(r.space == ClientRequest.SPACE_COLD ? COLD_KEYS[r.key]
                : r.space == ClientRequest.SPACE_ABSENT ? ABSENT_KEYS[r.key] : KEYS[r.key]);
    }

    /** @return the key's bytes, {@code k/00} to {@code k/99} (shared: do not modify) */
    static byte[] keyBytes(int key) {
        return KEYS[key];
    }

    static int keyIndex(byte[] key) {
        return (key[2] - '0') * 10 + (key[3] - '0');
    }

    private static UnsafeBuffer value(long value) {
        return new UnsafeBuffer(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }

    /** @return the number a value's decimal digits spell (0 for an empty value) */
    static long parseValue(DirectBuffer buffer, int offset, int length) {
        long v = 0;
        for (int i = 0; i < length; i++) {
            v = v * 10 + (buffer.getByte(offset + i) - '0');
        }
        return v;
    }

    /** Encodes a write request (the payload of a log entry) into {@code out}; returns its length. */
    int encodeWrite(ClientRequest r, MutableDirectBuffer out) {
        UnsafeBuffer k = keyOf(r);
        switch (r.op) {
            case ClientRequest.PUT: {
                UnsafeBuffer v = value(r.value);
                return PutRequest.encode(out, 0, k, 0, k.capacity(), v, 0, v.capacity(), 0, r.flags);
            }
            case ClientRequest.LEASE_PUT: {
                UnsafeBuffer v = value(r.value);
                return PutRequest.encode(out, 0, k, 0, k.capacity(), v, 0, v.capacity(), r.expected, 0);
            }
            case ClientRequest.LEASE_GRANT:
                return SmallRequests.encodeLeaseGrant(out, 0, r.value, 0);
            case ClientRequest.LEASE_REVOKE:
                return SmallRequests.encodeLeaseRevoke(out, 0, r.expected);
            case ClientRequest.DELETE:
                return DeleteRangeRequest.encode(out, 0, k, 0, k.capacity(), k, 0, 0, r.flags);
            default:
                return encodeTxn(r, out, k);
        }
    }

    /**
     * CAS: {@code if value == expected (or: key absent) then put else get}. TXN_MOD: {@code if mod_revision ==
     * expected then put else get} — etcd's idiom for "unchanged since I read it".
     */
    private int encodeTxn(ClientRequest r, MutableDirectBuffer out, UnsafeBuffer k) {
        UnsafeBuffer none = new UnsafeBuffer(new byte[0]);
        txn.begin(out, 0);
        if (r.op == ClientRequest.TXN_MOD) {
            txn.compare(TxnCompare.EQUAL, TxnCompare.MOD, r.expected, k, 0, k.capacity(), none, 0, 0, none, 0, 0);
        } else if (r.expected == 0) {
            txn.compare(TxnCompare.EQUAL, TxnCompare.VERSION, 0, k, 0, k.capacity(), none, 0, 0, none, 0, 0);
        } else {
            UnsafeBuffer expected = value(r.expected);
            txn.compare(TxnCompare.EQUAL, TxnCompare.VALUE, 0, k, 0, k.capacity(), none, 0, 0, expected, 0,
                    expected.capacity());
        }
        UnsafeBuffer v = value(r.value);
        txn.success();
        txn.opEnd(PutRequest.encode(out, txn.opStart(), k, 0, k.capacity(), v, 0, v.capacity(), 0, 0));
        txn.failure();
        txn.opEnd(RangeRequest.encode(out, txn.opStart(), k, 0, k.capacity(), none, 0, 0, options.reset()));
        return txn.end();
    }

    /** Decodes a replica's response to write {@code r}. */
    Outcome outcomeOfWrite(ClientRequest r, DirectBuffer response, int responseLength) {
        Outcome o = new Outcome();
        view.wrap(response, 0, responseLength);
        o.ok = view.isOk();
        o.revision = view.revision();
        if (!o.ok) {
            return o;
        }
        switch (r.op) {
            case ClientRequest.DELETE:
                o.count = view.bodyLong(0);
                break;
            case ClientRequest.LEASE_GRANT:
                o.value = view.bodyLong(0); // the lease ID
                break;
            case ClientRequest.CAS:
            case ClientRequest.TXN_MOD:
                o.succeeded = view.flag(ResponseLayout.FLAG_SUCCEEDED);
                if (!o.succeeded) {
                    int at = view.responsesAt();
                    int size = response.getInt(at);
                    inner.wrap(response, at + Integer.BYTES, size);
                    readFirstKv(inner, o);
                }
                break;
            default:
                break;
        }
        return o;
    }

    /** Encodes read {@code r} (one key, or the whole workload prefix) as a range request; returns its length. */
    int encodeRead(ClientRequest r, MutableDirectBuffer out) {
        if (r.op == ClientRequest.RANGE_OPTS) {
            byte[] start = r.space == ClientRequest.SPACE_COLD ? COLD_PREFIX
                    : r.space == ClientRequest.SPACE_ABSENT ? ABSENT_PREFIX : PREFIX;
            byte[] end = r.space == ClientRequest.SPACE_COLD ? COLD_PREFIX_END
                    : r.space == ClientRequest.SPACE_ABSENT ? ABSENT_PREFIX_END : PREFIX_END;
            UnsafeBuffer from = r.prefix ? new UnsafeBuffer(start) : keyOf(r);
            UnsafeBuffer to = new UnsafeBuffer(r.prefix ? end : new byte[0]);
            RangeRequest.Options o = options.reset();
            o.revision = r.revision;
            o.limit = r.limit;
            o.flags = r.flags;
            o.sortOrder = r.sortOrder;
            o.sortTarget = r.sortTarget;
            return RangeRequest.encode(out, 0, from, 0, from.capacity(), to, 0, to.capacity(), o);
        }
        boolean prefix = r.op == ClientRequest.RANGE;
        UnsafeBuffer from = prefix ? new UnsafeBuffer(PREFIX) : keyOf(r);
        UnsafeBuffer to = prefix ? new UnsafeBuffer(PREFIX_END) : new UnsafeBuffer(new byte[0]);
        return RangeRequest.encode(out, 0, from, 0, from.capacity(), to, 0, to.capacity(), options.reset());
    }

    /** Decodes a replica's response to read {@code r}. */
    Outcome outcomeOfRead(ClientRequest r, DirectBuffer response, int length) {
        Outcome o = new Outcome();
        boolean prefix = r.op == ClientRequest.RANGE;
        view.wrap(response, 0, length);
        o.ok = view.isOk();
        o.revision = view.revision();
        if (!o.ok || r.op == ClientRequest.RANGE_OPTS) {
            return o; // a range with options is judged by the reference model alone
        }
        if (!prefix) {
            readFirstKv(view, o);
            return o;
        }
        o.values = new long[r.keys];
        o.modRevisions = new long[r.keys];
        int at = view.kvsAt();
        for (int i = 0; i < view.kvCount(); i++) {
            kv.wrap(response, at);
            int key = keyIndex(kv.key());
            if (key < r.keys) {
                o.values[key] = parseValue(response, kv.valueOffset(), kv.valueLength());
                o.modRevisions[key] = kv.modRevision();
            }
            at = kv.end();
        }
        return o;
    }

    private void readFirstKv(ResponseView range, Outcome o) {
        if (range.kvCount() == 0) {
            return;
        }
        kv.wrap(range.buffer(), range.kvsAt());
        o.value = parseValue(range.buffer(), kv.valueOffset(), kv.valueLength());
        o.modRevision = kv.modRevision();
        o.lease = kv.lease();
    }
}
