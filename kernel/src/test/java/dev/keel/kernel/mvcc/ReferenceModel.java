package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.TxnCompare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deliberately naive etcd 3.4 keyspace: the whole history as a list of writes, every read a scan of it.
 * Strings hold bytes as ISO-8859-1 characters, so String order is etcd's unsigned byte order.
 */
final class ReferenceModel {
    record Write(long main, int sub, String key, Response.Kv kv) {
    }

    static final long MAX_TTL = 9_000_000_000L;
    final List<Write> history = new ArrayList<>();
    final TreeMap<Long, Long> leases = new TreeMap<>();
    final long minTtl;
    final int maxTxnOps;
    long current = 1;
    long compacted;
    private int changes;
    private boolean writing;

    ReferenceModel(long minTtl, int maxTxnOps) {
        this.minTtl = minTtl;
        this.maxTxnOps = maxTxnOps;
    }

    Response.Kv get(String key, long rev) {
        Response.Kv kv = null;
        for (Write w : history) {
            if (w.main() <= rev && w.key().equals(key)) {
                kv = w.kv();
            }
        }
        return kv;
    }

    private long readRev() {
        return writing && changes > 0 ? current + 1 : current;
    }

    static boolean inRange(String k, String key, String end) {
        if (end.isEmpty()) {
            return k.equals(key);
        }
        if (end.equals("\0")) {
            return k.compareTo(key) >= 0;
        }
        return k.compareTo(key) >= 0 && k.compareTo(end) < 0;
    }

    private List<Response.Kv> visible(String key, String end, long rev) {
        TreeSet<String> keys = new TreeSet<>();
        for (Write w : history) {
            if (inRange(w.key(), key, end)) {
                keys.add(w.key());
            }
        }
        List<Response.Kv> out = new ArrayList<>();
        for (String k : keys) {
            Response.Kv kv = get(k, rev);
            if (kv != null) {
                out.add(kv);
            }
        }
        return out;
    }

    Response apply(Op op) {
        MvccError error = validate(op);
        if (error != MvccError.OK) {
            return Response.error(typeOf(op), error, 0);
        }
        if (op instanceof Op.Put p) {
            MvccError e = checkPut(p, true);
            if (e != MvccError.OK) {
                return Response.error(RequestType.PUT, e, 0);
            }
            begin();
            Response r = put(p);
            end();
            return r;
        }
        if (op instanceof Op.Delete d) {
            begin();
            Response r = delete(d);
            end();
            return r;
        }
        if (op instanceof Op.Range r) {
            return range(r, current);
        }
        if (op instanceof Op.Txn t) {
            return txn(t);
        }
        if (op instanceof Op.Compact c) {
            if (c.revision() <= compacted) {
                return Response.error(RequestType.COMPACT, MvccError.COMPACTED, 0);
            }
            if (c.revision() > current) {
                return Response.error(RequestType.COMPACT, MvccError.FUTURE_REVISION, 0);
            }
            compacted = c.revision();
            return Response.simple(RequestType.COMPACT, current);
        }
        if (op instanceof Op.LeaseGrant g) {
            if (leases.containsKey(g.id())) {
                return Response.error(RequestType.LEASE_GRANT, MvccError.LEASE_EXISTS, 0);
            }
            long ttl = Math.max(g.ttl(), minTtl);
            leases.put(g.id(), ttl);
            return new Response(RequestType.LEASE_GRANT, MvccError.OK, current, 0, 0, List.of(), 0, List.of(),
                    g.id(), ttl);
        }
        if (op instanceof Op.LeaseRevoke v) {
            if (!leases.containsKey(v.id())) {
                return Response.error(RequestType.LEASE_REVOKE, MvccError.LEASE_NOT_FOUND, 0);
            }
            begin();
            for (Response.Kv kv : visible("\0", "\0", current)) {
                if (kv.lease() == v.id()) {
                    tombstone(kv.key());
                }
            }
            end();
            leases.remove(v.id());
            return Response.simple(RequestType.LEASE_REVOKE, current);
        }
        throw new IllegalArgumentException("unsupported op " + op);
    }

    static int typeOf(Op op) {
        return op instanceof Op.Put ? RequestType.PUT : op instanceof Op.Range ? RequestType.RANGE
                : op instanceof Op.Delete ? RequestType.DELETE_RANGE : op instanceof Op.Txn ? RequestType.TXN
                : op instanceof Op.Compact ? RequestType.COMPACT : op instanceof Op.LeaseGrant
                ? RequestType.LEASE_GRANT : RequestType.LEASE_REVOKE;
    }

    private void begin() {
        writing = true;
        changes = 0;
    }

    private void end() {
        writing = false;
        if (changes > 0) {
            current++;
        }
    }

    /** A standalone put checks its lease first (etcd's Put); a put in a txn its key first (etcd's checkPut). */
    private MvccError checkPut(Op.Put p, boolean standalone) {
        boolean leaseMissing = (p.flags() & PutRequest.IGNORE_LEASE) == 0 && p.lease() != 0
                && !leases.containsKey(p.lease());
        if (standalone && leaseMissing) {
            return MvccError.LEASE_NOT_FOUND;
        }
        boolean ignore = (p.flags() & (PutRequest.IGNORE_VALUE | PutRequest.IGNORE_LEASE)) != 0;
        if (ignore && get(p.key(), readRev()) == null) {
            return MvccError.KEY_NOT_FOUND;
        }
        return leaseMissing ? MvccError.LEASE_NOT_FOUND : MvccError.OK;
    }

    private Response put(Op.Put p) {
        long rev = current + 1;
        Response.Kv prev = get(p.key(), readRev());
        String value = (p.flags() & PutRequest.IGNORE_VALUE) != 0 ? prev.value() : p.value();
        long lease = (p.flags() & PutRequest.IGNORE_LEASE) != 0 ? prev.lease() : p.lease();
        Response.Kv kv = new Response.Kv(p.key(), value, prev == null ? rev : prev.create(), rev,
                prev == null ? 1 : prev.version() + 1, lease);
        history.add(new Write(rev, changes++, p.key(), kv));
        boolean withPrev = (p.flags() & PutRequest.PREV_KV) != 0 && prev != null;
        return new Response(RequestType.PUT, MvccError.OK, rev, withPrev ? 1 : 0, 0,
                withPrev ? List.of(prev) : List.of(), 0, List.of(), 0, 0);
    }

    private void tombstone(String key) {
        history.add(new Write(current + 1, changes++, key, null));
    }

    private Response delete(Op.Delete d) {
        List<Response.Kv> doomed = visible(d.key(), d.end(), readRev());
        for (Response.Kv kv : doomed) {
            tombstone(kv.key());
        }
        return new Response(RequestType.DELETE_RANGE, MvccError.OK, readRev(), 0, 0,
                d.prevKv() ? doomed : List.of(), doomed.size(), List.of(), 0, 0);
    }

    private Response range(Op.Range r, long cur) {
        if (r.revision() > cur) {
            return Response.error(RequestType.RANGE, MvccError.FUTURE_REVISION, 0);
        }
        if (r.revision() > 0 && r.revision() < compacted) {
            return Response.error(RequestType.RANGE, MvccError.COMPACTED, 0);
        }
        long rev = r.revision() <= 0 ? cur : r.revision();
        List<Response.Kv> all = visible(r.key(), r.end(), rev);
        List<Response.Kv> list = new ArrayList<>((r.flags() & RangeRequest.COUNT_ONLY) != 0 ? List.of() : all);
        list.removeIf(kv -> (r.maxMod() != 0 && kv.mod() > r.maxMod()) || (r.minMod() != 0 && kv.mod() < r.minMod())
                || (r.maxCreate() != 0 && kv.create() > r.maxCreate())
                || (r.minCreate() != 0 && kv.create() < r.minCreate()));
        boolean filtered = r.minMod() != 0 || r.maxMod() != 0 || r.minCreate() != 0 || r.maxCreate() != 0;
        if (!filtered && r.sortOrder() == RangeRequest.SORT_NONE && r.limit() > 0 && list.size() > r.limit() + 1) {
            // etcd fetches limit + 1 keys (in key order) before an implied sort: order NONE, target not KEY.
            list = new ArrayList<>(list.subList(0, (int) r.limit() + 1));
        }
        int order = r.sortOrder();
        if (r.sortTarget() != RangeRequest.TARGET_KEY && order == RangeRequest.SORT_NONE) {
            order = RangeRequest.SORT_ASCEND;
        }
        if (order != RangeRequest.SORT_NONE) {
            Comparator<Response.Kv> c = switch (r.sortTarget()) {
                case RangeRequest.TARGET_VERSION -> Comparator.comparingLong(Response.Kv::version);
                case RangeRequest.TARGET_CREATE -> Comparator.comparingLong(Response.Kv::create);
                case RangeRequest.TARGET_MOD -> Comparator.comparingLong(Response.Kv::mod);
                case RangeRequest.TARGET_VALUE -> Comparator.comparing(Response.Kv::value);
                default -> Comparator.comparing(Response.Kv::key);
            };
            list.sort(order == RangeRequest.SORT_DESCEND ? c.reversed() : c);
        }
        boolean more = r.limit() > 0 && list.size() > r.limit();
        if (more) {
            list = new ArrayList<>(list.subList(0, (int) r.limit()));
        }
        if ((r.flags() & RangeRequest.KEYS_ONLY) != 0) {
            list.replaceAll(kv -> new Response.Kv(kv.key(), "", kv.create(), kv.mod(), kv.version(), kv.lease()));
        }
        return new Response(RequestType.RANGE, MvccError.OK, cur, more ? 1 : 0, all.size(), list, 0, List.of(), 0,
                0);
    }

    // ---- txn ----

    private boolean holds(Op.Cmp c) {
        List<Response.Kv> kvs = visible(c.key(), c.end(), current);
        if (kvs.isEmpty()) {
            return c.target() != TxnCompare.VALUE && compare(c, new Response.Kv(c.key(), "", 0, 0, 0, 0));
        }
        return kvs.stream().allMatch(kv -> compare(c, kv));
    }

    private static boolean compare(Op.Cmp c, Response.Kv kv) {
        int r = switch (c.target()) {
            case TxnCompare.VALUE -> Integer.signum(kv.value().compareTo(c.value()));
            case TxnCompare.CREATE -> Long.compare(kv.create(), c.operand());
            case TxnCompare.MOD -> Long.compare(kv.mod(), c.operand());
            case TxnCompare.LEASE -> Long.compare(kv.lease(), c.operand());
            default -> Long.compare(kv.version(), c.operand());
        };
        return switch (c.result()) {
            case TxnCompare.EQUAL -> r == 0;
            case TxnCompare.NOT_EQUAL -> r != 0;
            case TxnCompare.GREATER -> r > 0;
            default -> r < 0;
        };
    }

    private void path(Op.Txn t, List<Boolean> out) {
        boolean ok = t.compares().stream().allMatch(this::holds);
        out.add(ok);
        for (Op op : ok ? t.success() : t.failure()) {
            if (op instanceof Op.Txn nested) {
                path(nested, out);
            }
        }
    }

    private MvccError check(Op.Txn t, List<Boolean> path, int[] cursor, boolean puts) {
        boolean ok = path.get(cursor[0]++);
        for (Op op : ok ? t.success() : t.failure()) {
            MvccError e = MvccError.OK;
            if (op instanceof Op.Txn nested) {
                e = check(nested, path, cursor, puts);
            } else if (puts && op instanceof Op.Put p) {
                e = checkPut(p, false);
            } else if (!puts && op instanceof Op.Range r) {
                e = r.revision() > current ? MvccError.FUTURE_REVISION
                        : r.revision() > 0 && r.revision() < compacted ? MvccError.COMPACTED : MvccError.OK;
            }
            if (e != MvccError.OK) {
                return e;
            }
        }
        return MvccError.OK;
    }

    private static boolean writes(Op.Txn t) {
        for (List<Op> branch : List.of(t.success(), t.failure())) {
            for (Op op : branch) {
                if (op instanceof Op.Put || op instanceof Op.Delete || (op instanceof Op.Txn n && writes(n))) {
                    return true;
                }
            }
        }
        return false;
    }

    private Response txn(Op.Txn t) {
        List<Boolean> path = new ArrayList<>();
        path(t, path);
        MvccError e = check(t, path, new int[]{0}, true);
        if (e == MvccError.OK) {
            e = check(t, path, new int[]{0}, false);
        }
        if (e != MvccError.OK) {
            return Response.error(RequestType.TXN, e, 0);
        }
        boolean write = writes(t);
        if (write) {
            begin();
        }
        Response r = execute(t, path, new int[]{0});
        if (write) {
            end();
        }
        return new Response(RequestType.TXN, MvccError.OK, current, r.flags(), 0, List.of(), 0, r.responses(), 0, 0);
    }

    private Response execute(Op.Txn t, List<Boolean> path, int[] cursor) {
        boolean ok = path.get(cursor[0]++);
        List<Response> out = new ArrayList<>();
        for (Op op : ok ? t.success() : t.failure()) {
            if (op instanceof Op.Put p) {
                out.add(put(p));
            } else if (op instanceof Op.Delete d) {
                out.add(delete(d));
            } else if (op instanceof Op.Range r) {
                out.add(range(r, readRev()));
            } else {
                out.add(execute((Op.Txn) op, path, cursor));
            }
        }
        return new Response(RequestType.TXN, MvccError.OK, 0, ok ? 1 : 0, 0, List.of(), 0, out, 0, 0);
    }

    // ---- validation (etcd's v3rpc checks) ----

    MvccError validate(Op op) {
        if (op instanceof Op.Txn t) {
            MvccError e = validateTxn(t, maxTxnOps);
            if (e == MvccError.OK && (duplicate(t.success()) || duplicate(t.failure()))) {
                e = MvccError.DUPLICATE_KEY;
            }
            return e;
        }
        if (op instanceof Op.LeaseGrant g) {
            return g.ttl() > MAX_TTL ? MvccError.LEASE_TTL_TOO_LARGE : MvccError.OK;
        }
        return validateOp(op, maxTxnOps);
    }

    private MvccError validateOp(Op op, int budget) {
        if (op instanceof Op.Put p) {
            if (p.key().isEmpty()) {
                return MvccError.EMPTY_KEY;
            }
            if ((p.flags() & PutRequest.IGNORE_VALUE) != 0 && !p.value().isEmpty()) {
                return MvccError.VALUE_PROVIDED;
            }
            return (p.flags() & PutRequest.IGNORE_LEASE) != 0 && p.lease() != 0 ? MvccError.LEASE_PROVIDED
                    : MvccError.OK;
        }
        if (op instanceof Op.Range r) {
            if (r.key().isEmpty()) {
                return MvccError.EMPTY_KEY;
            }
            return r.sortOrder() > 2 || r.sortTarget() > 4 ? MvccError.INVALID_SORT_OPTION : MvccError.OK;
        }
        if (op instanceof Op.Delete d) {
            return d.key().isEmpty() ? MvccError.EMPTY_KEY : MvccError.OK;
        }
        if (op instanceof Op.Txn t) {
            return validateTxn(t, budget);
        }
        return MvccError.OK;
    }

    private MvccError validateTxn(Op.Txn t, int budget) {
        int ops = Math.max(t.compares().size(), Math.max(t.success().size(), t.failure().size()));
        if (ops > budget) {
            return MvccError.TOO_MANY_OPS;
        }
        for (Op.Cmp c : t.compares()) {
            if (c.key().isEmpty()) {
                return MvccError.EMPTY_KEY;
            }
        }
        for (List<Op> branch : List.of(t.success(), t.failure())) {
            for (Op op : branch) {
                MvccError e = validateOp(op, budget - ops);
                if (e != MvccError.OK) {
                    return e;
                }
            }
        }
        return MvccError.OK;
    }

    /** etcd's checkIntervals, with "\0" as an unbounded end; returns whether a key is written twice. */
    private static boolean duplicate(List<Op> ops) {
        return intervals(ops) == null;
    }

    private record Sets(Set<String> puts, List<String[]> dels) {
    }

    private static boolean hits(List<String[]> dels, String k) {
        return dels.stream().anyMatch(d -> inRange(k, d[0], d[1]));
    }

    private static Sets intervals(List<Op> ops) {
        List<String[]> dels = new ArrayList<>();
        for (Op op : ops) {
            if (op instanceof Op.Delete d) {
                dels.add(new String[]{d.key(), d.end()});
            }
        }
        Set<String> puts = new HashSet<>();
        for (Op op : ops) {
            if (op instanceof Op.Txn t) {
                Sets then = intervals(t.success());
                Sets otherwise = intervals(t.failure());
                if (then == null || otherwise == null) {
                    return null;
                }
                for (String k : then.puts()) {
                    if (puts.contains(k) || hits(dels, k)) {
                        return null;
                    }
                    puts.add(k);
                }
                for (String k : otherwise.puts()) {
                    if ((puts.contains(k) && !then.puts().contains(k)) || hits(dels, k)) {
                        return null;
                    }
                    puts.add(k);
                }
                dels.addAll(then.dels());
                dels.addAll(otherwise.dels());
            }
        }
        for (Op op : ops) {
            if (op instanceof Op.Put p) {
                if (puts.contains(p.key()) || hits(dels, p.key())) {
                    return null;
                }
                puts.add(p.key());
            }
        }
        return new Sets(puts, dels);
    }
}
