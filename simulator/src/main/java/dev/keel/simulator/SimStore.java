package dev.keel.simulator;

import dev.keel.kernel.mvcc.MvccConfig;
import dev.keel.kernel.mvcc.MvccStateMachine;
import dev.keel.kernel.mvcc.codec.DeleteRangeRequest;
import dev.keel.kernel.mvcc.codec.KeyValueView;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.codec.ResponseView;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import dev.keel.kernel.mvcc.codec.TxnCompare;
import dev.keel.kernel.mvcc.codec.TxnEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * One replica's state machine in the simulator: the real MVCC store, with the client operations the workload
 * uses encoded as etcd requests (keys {@code k/00..k/99}, values the decimal digits of unique numbers) and
 * their responses decoded into {@link Outcome}s for the history.
 */
final class SimStore {
    /** Every key the workload uses shares this prefix, so a prefix range reads them all. */
    static final byte[] PREFIX = "k/".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PREFIX_END = "k0".getBytes(StandardCharsets.US_ASCII);

    final MvccStateMachine mvcc;
    private final ExpandableArrayBuffer response = new ExpandableArrayBuffer(4096);
    private final ExpandableArrayBuffer request = new ExpandableArrayBuffer(1024);
    private final ResponseView view = new ResponseView();
    private final ResponseView inner = new ResponseView();
    private final KeyValueView kv = new KeyValueView();
    private final TxnEncoder txn = new TxnEncoder();
    private final RangeRequest.Options options = new RangeRequest.Options();
    private int responseLength;

    /** What a client learns from one operation. */
    static final class Outcome {
        boolean ok;
        /** get / txn else-branch: value read (0 = absent) and its mod revision. */
        long value;
        long modRevision;
        /** delete: keys deleted; cas and txn: whether the compare held. */
        long count;
        boolean succeeded;
        /** range over the prefix: per key index, value and mod revision (value 0 = absent). */
        long[] values;
        long[] modRevisions;
    }

    SimStore() {
        mvcc = new MvccStateMachine(new MvccConfig().ticksPerSecond((int) (1_000_000 / Simulation.TICK_MICROS)));
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
        UnsafeBuffer k = key(r.key);
        switch (r.op) {
            case ClientRequest.PUT: {
                UnsafeBuffer v = value(r.value);
                return PutRequest.encode(out, 0, k, 0, k.capacity(), v, 0, v.capacity(), 0, 0);
            }
            case ClientRequest.DELETE:
                return DeleteRangeRequest.encode(out, 0, k, 0, k.capacity(), k, 0, 0, 0);
            case ClientRequest.CAS:
            case ClientRequest.TXN_MOD:
                return encodeTxn(r, out, k);
            default:
                return SmallRequests.encodeCompact(out, 0, r.value, 0);
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

    /** Applies a committed entry; its response stays available to {@link #outcomeOfWrite} until the next. */
    void apply(long index, DirectBuffer payload, int offset, int length) {
        responseLength = mvcc.apply(index, payload, offset, length, response);
    }

    /** @return a digest of the last applied entry's response: equal on every replica that applied it */
    long responseDigest() {
        return SimNode.digest(response, 0, responseLength);
    }

    /** Decodes the response of the entry just applied as the outcome of write {@code r}. */
    Outcome outcomeOfWrite(ClientRequest r) {
        Outcome o = new Outcome();
        view.wrap(response, 0, responseLength);
        o.ok = view.isOk();
        if (!o.ok) {
            return o;
        }
        switch (r.op) {
            case ClientRequest.DELETE:
                o.count = view.bodyLong(0);
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

    /** Serves a linearizable read (after its ReadIndex round) from the local store. */
    Outcome read(ClientRequest r) {
        Outcome o = new Outcome();
        boolean prefix = r.op == ClientRequest.RANGE;
        UnsafeBuffer from = prefix ? new UnsafeBuffer(PREFIX) : key(r.key);
        UnsafeBuffer to = prefix ? new UnsafeBuffer(PREFIX_END) : new UnsafeBuffer(new byte[0]);
        int length = RangeRequest.encode(request, 0, from, 0, from.capacity(), to, 0, to.capacity(), options.reset());
        int n = mvcc.range(request, 0, length, response);
        view.wrap(response, 0, n);
        o.ok = view.isOk();
        if (!o.ok) {
            return o;
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
    }

    long revision() {
        return mvcc.revision();
    }

    /** @return a digest of the whole store (etcd's HashKV at the current revision) */
    long hashKv() {
        int n = mvcc.hashKv(0, response);
        return n > ResponseLayout.HEADER_LENGTH ? response.getLong(ResponseLayout.HEADER_LENGTH) : 0;
    }

    int snapshot(ExpandableArrayBuffer out) {
        return mvcc.snapshot(out);
    }

    static SimStore restore(DirectBuffer data, int length) {
        SimStore store = new SimStore();
        store.install(data, length);
        return store;
    }

    /** Replaces the state with a snapshot's; registered watchers stay and catch up (or are canceled). */
    void install(DirectBuffer data, int length) {
        if (length > 0 && !mvcc.restore(data, 0, length)) {
            throw new SimulationFailure("snapshot", "an MVCC snapshot could not be restored");
        }
    }
}
