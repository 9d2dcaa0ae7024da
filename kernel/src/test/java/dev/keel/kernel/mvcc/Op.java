package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.DeleteRangeRequest;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import dev.keel.kernel.mvcc.codec.TxnEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Test-side object model of the requests, with their encoding through the production codec. */
sealed interface Op {
    /** Encodes at {@code at}; returns the length. */
    int encode(MutableDirectBuffer out, int at);

    default byte[] bytes() {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(256);
        int length = encode(out, 0);
        return Arrays.copyOf(out.byteArray(), length);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static String show(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return out.toString();
    }

    record Put(String key, String value, long lease, int flags) implements Op {
        public int encode(MutableDirectBuffer out, int at) {
            return PutRequest.encode(out, at, new UnsafeBuffer(b(key)), 0, key.length(), new UnsafeBuffer(b(value)), 0,
                    value.length(), lease, flags);
        }

        public String toString() {
            return "put " + show(key) + "=" + show(value) + (lease != 0 ? " lease=" + lease : "")
                    + (flags != 0 ? " flags=" + flags : "");
        }
    }

    record Range(String key, String end, long limit, long revision, int sortOrder, int sortTarget, long minMod,
                 long maxMod, long minCreate, long maxCreate, int flags) implements Op {
        static Range of(String key, String end) {
            return new Range(key, end, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        Range at(long rev) {
            return new Range(key, end, limit, rev, sortOrder, sortTarget, minMod, maxMod, minCreate, maxCreate, flags);
        }

        public int encode(MutableDirectBuffer out, int at) {
            RangeRequest.Options o = new RangeRequest.Options().reset();
            o.limit = limit;
            o.revision = revision;
            o.sortOrder = sortOrder;
            o.sortTarget = sortTarget;
            o.minModRevision = minMod;
            o.maxModRevision = maxMod;
            o.minCreateRevision = minCreate;
            o.maxCreateRevision = maxCreate;
            o.flags = flags;
            return RangeRequest.encode(out, at, new UnsafeBuffer(b(key)), 0, key.length(), new UnsafeBuffer(b(end)), 0,
                    end.length(), o);
        }

        public String toString() {
            return "range " + show(key) + ".." + show(end) + " limit=" + limit + " rev=" + revision + " sort="
                    + sortOrder + "/" + sortTarget + " mod=[" + minMod + "," + maxMod + "] create=[" + minCreate + ","
                    + maxCreate + "] flags=" + flags;
        }
    }

    record Delete(String key, String end, boolean prevKv) implements Op {
        public int encode(MutableDirectBuffer out, int at) {
            return DeleteRangeRequest.encode(out, at, new UnsafeBuffer(b(key)), 0, key.length(),
                    new UnsafeBuffer(b(end)), 0, end.length(), prevKv ? DeleteRangeRequest.PREV_KV : 0);
        }

        public String toString() {
            return "delete " + show(key) + ".." + show(end) + (prevKv ? " prevKv" : "");
        }
    }

    record Cmp(int result, int target, String key, String end, long operand, String value) {
        public String toString() {
            return "cmp(" + show(key) + ".." + show(end) + " target=" + target + " result=" + result + " "
                    + operand + "/" + show(value) + ")";
        }
    }

    record Txn(List<Cmp> compares, List<Op> success, List<Op> failure) implements Op {
        public int encode(MutableDirectBuffer out, int at) {
            TxnEncoder txn = new TxnEncoder().begin(out, at);
            for (Cmp c : compares) {
                txn.compare(c.result(), c.target(), c.operand(), new UnsafeBuffer(b(c.key())), 0, c.key().length(),
                        new UnsafeBuffer(b(c.end())), 0, c.end().length(), new UnsafeBuffer(b(c.value())), 0,
                        c.value().length());
            }
            txn.success();
            for (Op op : success) {
                txn.opEnd(op.encode(out, txn.opStart()));
            }
            txn.failure();
            for (Op op : failure) {
                txn.opEnd(op.encode(out, txn.opStart()));
            }
            return txn.end();
        }

        public String toString() {
            return "txn{if " + compares + " then " + success.stream().map(Object::toString)
                    .collect(Collectors.joining("; ")) + " else " + failure.stream().map(Object::toString)
                    .collect(Collectors.joining("; ")) + "}";
        }
    }

    record Compact(long revision) implements Op {
        public int encode(MutableDirectBuffer out, int at) {
            return SmallRequests.encodeCompact(out, at, revision, 0);
        }
    }

    record LeaseGrant(long ttl, long id) implements Op {
        public int encode(MutableDirectBuffer out, int at) {
            return SmallRequests.encodeLeaseGrant(out, at, ttl, id);
        }
    }

    record LeaseRevoke(long id) implements Op {
        public int encode(MutableDirectBuffer out, int at) {
            return SmallRequests.encodeLeaseRevoke(out, at, id);
        }
    }

    record AlarmDisarm() implements Op {
        public int encode(MutableDirectBuffer out, int at) {
            return SmallRequests.encodeAlarmDisarm(out, at);
        }
    }
}
