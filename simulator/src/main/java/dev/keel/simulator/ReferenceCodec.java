package dev.keel.simulator;

import dev.keel.kernel.mvcc.codec.DeleteRangeRequest;
import dev.keel.kernel.mvcc.codec.KeyValueView;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.codec.ResponseView;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/** Reads a replica's encoded answers and requests into the reference model's terms, for comparison and reports. */
final class ReferenceCodec {
    private final KeyValueView kvView = new KeyValueView();

    /** Decodes an encoded MVCC response into an {@link ReferenceStore.Answer}. */
    ReferenceStore.Answer decode(DirectBuffer b, int offset, int length) {
        ResponseView v = new ResponseView().wrap(b, offset, length);
        ReferenceStore.Answer a = new ReferenceStore.Answer();
        a.type = v.type();
        a.error = v.error();
        a.revision = v.revision();
        if (!v.isOk()) {
            return a;
        }
        switch (a.type) {
            case RequestType.PUT:
                a.flag = v.flag(ResponseLayout.FLAG_PREV_KV);
                if (a.flag) {
                    a.kvs = List.of(kv(b, v.bodyAt()));
                }
                break;
            case RequestType.RANGE:
            case RequestType.DELETE_RANGE: {
                a.flag = a.type == RequestType.RANGE && v.flag(ResponseLayout.FLAG_MORE);
                a.count = v.bodyLong(0);
                List<ReferenceStore.Kv> kvs = new ArrayList<>(v.kvCount());
                int at = v.kvsAt();
                for (int i = 0; i < v.kvCount(); i++) {
                    kvs.add(kv(b, at));
                    at = kvView.wrap(b, at).end();
                }
                a.kvs = kvs;
                break;
            }
            case RequestType.TXN: {
                a.flag = v.flag(ResponseLayout.FLAG_SUCCEEDED);
                List<ReferenceStore.Answer> responses = new ArrayList<>(v.responseCount());
                int at = v.responsesAt();
                for (int i = 0; i < v.responseCount(); i++) {
                    int size = b.getInt(at);
                    ReferenceStore.Answer inner = decode(b, at + Integer.BYTES, size);
                    if (inner.type == RequestType.TXN) {
                        inner.revision = 0;
                    }
                    responses.add(inner);
                    at += Integer.BYTES + size;
                }
                a.responses = responses;
                break;
            }
            case RequestType.LEASE_GRANT:
                a.leaseId = v.bodyLong(0);
                a.ttl = v.bodyLong(1);
                break;
            default:
                break;
        }
        return a;
    }

    /** Decodes the kv at {@code at}. */
    ReferenceStore.Kv kv(DirectBuffer b, int at) {
        kvView.wrap(b, at);
        return new ReferenceStore.Kv(ReferenceStore.string(b, kvView.keyOffset(), kvView.keyLength()), kvView.createRevision(),
                kvView.modRevision(), kvView.version(), kvView.lease(),
                ReferenceStore.string(b, kvView.valueOffset(), kvView.valueLength()));
    }

    /** A readable form of a request, for failure reports. */
    String describeRequest(DirectBuffer b, int offset, int length) {
        int type = RequestType.typeOf(b, offset, length);
        switch (type) {
            case RequestType.PUT: {
                PutRequest p = new PutRequest();
                p.wrap(b, offset, length);
                return "put " + ReferenceStore.string(b, p.keyOffset(), p.keyLength()) + "="
                        + ReferenceStore.string(b, p.valueOffset(), p.valueLength()) + (p.lease() != 0 ? " lease " + p.lease() : "")
                        + (p.prevKv() ? " prev_kv" : "");
            }
            case RequestType.DELETE_RANGE: {
                DeleteRangeRequest d = new DeleteRangeRequest();
                d.wrap(b, offset, length);
                return "delete " + ReferenceStore.string(b, d.keyOffset(), d.keyLength()) + " .. "
                        + printable(ReferenceStore.string(b, d.rangeEndOffset(), d.rangeEndLength())) + (d.prevKv() ? " prev_kv" : "");
            }
            case RequestType.RANGE: {
                RangeRequest r = new RangeRequest();
                r.wrap(b, offset, length);
                return "range " + ReferenceStore.string(b, r.keyOffset(), r.keyLength()) + " .. "
                        + printable(ReferenceStore.string(b, r.rangeEndOffset(), r.rangeEndLength())) + " revision " + r.revision()
                        + " limit " + r.limitCount() + (r.countOnly() ? " count_only" : "")
                        + (r.keysOnly() ? " keys_only" : "") + " sort " + r.sortOrder() + "/" + r.sortTarget();
            }
            case RequestType.TXN:
                return "txn";
            case RequestType.COMPACT:
                return "compact " + SmallRequests.firstLong(b, offset);
            case RequestType.LEASE_GRANT:
                return "lease grant ttl " + SmallRequests.firstLong(b, offset);
            case RequestType.LEASE_REVOKE:
                return "lease revoke " + SmallRequests.firstLong(b, offset);
            default:
                return typeName(type);
        }
    }

    private static String printable(String s) {
        return s.isEmpty() ? "(single key)" : s.equals("\0") ? "(end)" : s;
    }

    static String typeName(int type) {
        switch (type) {
            case RequestType.PUT: return "put";
            case RequestType.RANGE: return "range";
            case RequestType.DELETE_RANGE: return "delete";
            case RequestType.TXN: return "txn";
            case RequestType.COMPACT: return "compact";
            case RequestType.LEASE_GRANT: return "lease-grant";
            case RequestType.LEASE_REVOKE: return "lease-revoke";
            case RequestType.LEASE_CHECKPOINT: return "lease-checkpoint";
            case RequestType.ALARM_DISARM: return "alarm-disarm";
            default: return "type-" + type;
        }
    }
}
