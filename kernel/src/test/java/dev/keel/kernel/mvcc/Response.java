package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.KeyValueView;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.codec.ResponseView;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/** A decoded response, comparable field by field with the reference model's answer. */
record Response(int type, MvccError error, long revision, int flags, long count, List<Kv> kvs, long deleted,
                List<Response> responses, long leaseId, long ttl) {

    record Kv(String key, String value, long create, long mod, long version, long lease) {
        public String toString() {
            return Op.show(key) + "=" + Op.show(value) + "(c" + create + " m" + mod + " v" + version
                    + (lease != 0 ? " l" + lease : "") + ")";
        }
    }

    static Response error(int type, MvccError error, long revision) {
        return new Response(type, error, revision, 0, 0, List.of(), 0, List.of(), 0, 0);
    }

    static Response simple(int type, long revision) {
        return new Response(type, MvccError.OK, revision, 0, 0, List.of(), 0, List.of(), 0, 0);
    }

    /** Decodes any response of the MVCC codec. */
    static Response decode(DirectBuffer buffer, int offset, int length) {
        ResponseView view = new ResponseView().wrap(buffer, offset, length);
        int type = view.type();
        if (!view.isOk()) {
            return error(type, view.error(), view.revision());
        }
        int flags = buffer.getByte(offset + ResponseLayout.FLAGS_OFFSET);
        List<Kv> kvs = new ArrayList<>();
        List<Response> nested = new ArrayList<>();
        long count = 0;
        long deleted = 0;
        long leaseId = 0;
        long ttl = 0;
        switch (type) {
            case RequestType.PUT:
                if (view.flag(ResponseLayout.FLAG_PREV_KV)) {
                    kvs.add(kv(buffer, view.bodyAt()));
                }
                break;
            case RequestType.RANGE:
                count = view.count();
                readKvs(buffer, view.kvsAt(), view.kvCount(), kvs);
                break;
            case RequestType.DELETE_RANGE:
                deleted = view.count();
                readKvs(buffer, view.kvsAt(), view.kvCount(), kvs);
                break;
            case RequestType.TXN: {
                int p = view.responsesAt();
                for (int i = 0; i < view.responseCount(); i++) {
                    int n = buffer.getInt(p);
                    nested.add(decode(buffer, p + 4, n));
                    p += 4 + n;
                }
                break;
            }
            case RequestType.LEASE_GRANT:
            case ResponseLayout.KEEP_ALIVE:
                leaseId = view.bodyLong(0);
                ttl = view.bodyLong(1);
                break;
            default:
                break;
        }
        return new Response(type, MvccError.OK, view.revision(), flags, count, kvs, deleted, nested, leaseId, ttl);
    }

    static void readKvs(DirectBuffer buffer, int at, int n, List<Kv> out) {
        KeyValueView view = new KeyValueView();
        int p = at;
        for (int i = 0; i < n; i++) {
            view.wrap(buffer, p);
            out.add(kv(buffer, p));
            p = view.end();
        }
    }

    static Kv kv(DirectBuffer buffer, int at) {
        KeyValueView v = new KeyValueView().wrap(buffer, at);
        return new Kv(Op.s(v.key()), Op.s(v.value()), v.createRevision(), v.modRevision(), v.version(), v.lease());
    }

    public String toString() {
        if (error != MvccError.OK) {
            return "error(" + error + ")";
        }
        StringBuilder b = new StringBuilder("resp(type=" + type + " rev=" + revision + " flags=" + flags);
        if (type == RequestType.RANGE) {
            b.append(" count=").append(count);
        }
        if (type == RequestType.DELETE_RANGE) {
            b.append(" deleted=").append(deleted);
        }
        if (!kvs.isEmpty()) {
            b.append(" kvs=").append(kvs);
        }
        if (!responses.isEmpty()) {
            b.append(" responses=").append(responses);
        }
        if (leaseId != 0) {
            b.append(" lease=").append(leaseId).append(" ttl=").append(ttl);
        }
        return b.append(')').toString();
    }
}
