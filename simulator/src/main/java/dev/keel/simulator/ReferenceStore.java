package dev.keel.simulator;

import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.mvcc.codec.DeleteRangeRequest;
import dev.keel.kernel.mvcc.codec.KeyValueView;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.codec.ResponseView;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import dev.keel.kernel.mvcc.codec.TxnCompare;
import dev.keel.kernel.mvcc.codec.TxnRequest;
import dev.keel.kernel.raft.EntryType;
import dev.keel.replica.Proposal;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A deliberately simple model of the committed log, independent of the kernel's store: every key's whole
 * history as a list of versions (tombstones included), the lease table, the compaction revision, and the store
 * revision and compaction revision after every log index. It replays each committed entry once, in index order
 * (the first time any replica applies it), and every answer a replica gives — write responses at apply, range
 * responses when served, watch events — is compared with what this model says for the same request at the same
 * revision. Keys are held as ISO-8859-1 strings, so String order is etcd's unsigned byte order. Nothing is
 * ever physically compacted here: reads below the compaction revision are answered "compacted" by rule.
 */
final class ReferenceStore {
    /** One version of a key; {@code version == 0} is a tombstone (a delete at {@code mod}). */
    record Kv(String key, long create, long mod, long version, long lease, String value) {
        boolean tombstone() {
            return version == 0;
        }

        String describe(boolean withValue) {
            return key + "=" + (withValue ? value : "") + "@c" + create + "/m" + mod + "/v" + version
                    + (lease != 0 ? "/l" + lease : "");
        }
    }

    /** A response reduced to what a client sees; two answers agree when their descriptions do. */
    static final class Answer {
        int type;
        MvccError error = MvccError.OK;
        long revision;
        boolean flag;
        long count;
        List<Kv> kvs = List.of();
        List<Answer> responses = List.of();
        long leaseId;
        long ttl;
        boolean keysOnly;
        /** Ranges: the revision asked for (0: the current one); statistics only, not compared. */
        long requestedRevision;

        String describe() {
            StringBuilder sb = new StringBuilder();
            describe(sb);
            return sb.toString();
        }

        private void describe(StringBuilder sb) {
            sb.append(ReferenceCodec.typeName(type));
            if (error != MvccError.OK) {
                sb.append(" error ").append(error).append(" rev ").append(revision);
                return;
            }
            sb.append(" rev ").append(revision);
            switch (type) {
                case RequestType.RANGE:
                    sb.append(" count ").append(count).append(flag ? " more" : "");
                    break;
                case RequestType.DELETE_RANGE:
                    sb.append(" deleted ").append(count);
                    break;
                case RequestType.PUT:
                    sb.append(flag ? " prev" : "");
                    break;
                case RequestType.TXN:
                    sb.append(flag ? " succeeded" : " failed");
                    break;
                case RequestType.LEASE_GRANT:
                    sb.append(" id ").append(leaseId).append(" ttl ").append(ttl);
                    break;
                default:
                    break;
            }
            if (!kvs.isEmpty()) {
                sb.append(" [");
                for (Kv kv : kvs) {
                    sb.append(' ').append(kv.describe(!keysOnly));
                }
                sb.append(" ]");
            }
            if (!responses.isEmpty()) {
                sb.append(" {");
                for (Answer a : responses) {
                    sb.append(' ');
                    a.describe(sb);
                    sb.append(';');
                }
                sb.append(" }");
            }
        }
    }

    private final TreeMap<String, ArrayList<Kv>> keys = new TreeMap<>();
    /** Live leases: ID to TTL. */
    final TreeMap<Long, Long> leases = new TreeMap<>();
    long current = 1;
    long compacted;
    /** Highest compaction revision ever applied. */
    private long maxCompacted;
    /** Indexed by log index: store revision and compaction revision after applying it. */
    private long[] revisionAt = new long[1024];
    private long[] compactedAt = new long[1024];
    private long lastIndex;
    private long checkedWrites;
    private long checkedReads;
    private long checkedEvents;
    /** Coverage, for the run's summary: reads answered "compacted", past-revision reads served, prev kvs, ... */
    private long compactedReads;
    private long pastReads;
    private long prevKvs;
    private long prevEvents;
    private long truncatedRanges;
    private long oldVersionsRead;

    // txn bookkeeping (etcd: a txn's writes share one revision; its reads see its own earlier writes)
    private boolean writing;
    private int changes;

    private final PutRequest put = new PutRequest();
    private final DeleteRangeRequest delete = new DeleteRangeRequest();
    private final RangeRequest range = new RangeRequest();
    private final TxnCompare compare = new TxnCompare();
    private final ResponseView view = new ResponseView();
    private final KeyValueView kvView = new KeyValueView();
    private final ReferenceCodec codec = new ReferenceCodec();
    private final ReferenceTxn txns = new ReferenceTxn(this);

    // ---------------------------------------------------------------- the committed log

    /**
     * Member {@code node} applied entry {@code index} and answered {@code response}. The first application of
     * each index is replayed here and its response compared; later ones are covered by the state-hash check.
     */
    void onApplied(long node, long index, byte type, DirectBuffer data, int offset, int length,
                   DirectBuffer response, int responseLength) {
        if (index <= lastIndex) {
            return;
        }
        if (index != lastIndex + 1) {
            throw new SimulationFailure("reference model", "node " + node + " applied index " + index
                    + " first, but index " + (lastIndex + 1) + " was never applied anywhere");
        }
        if (type == EntryType.NORMAL && length >= 16) {
            Answer expected = apply(data, offset + Proposal.HEADER, length - Proposal.HEADER, response,
                    responseLength);
            Answer actual = codec.decode(response, 0, responseLength);
            checkedWrites++;
            count(expected, compacted);
            if (!expected.describe().equals(actual.describe())) {
                throw new SimulationFailure("reference model", "node " + node + " answered entry " + index + " ("
                        + codec.describeRequest(data, offset + Proposal.HEADER, length - Proposal.HEADER) + ") with\n    " + actual.describe()
                        + "\n  but the reference model of the committed log says\n    " + expected.describe());
            }
        }
        lastIndex = index;
        ensure(index);
        revisionAt[(int) index] = current;
        compactedAt[(int) index] = compacted;
    }

    /**
     * Member {@code node}, at applied index {@code appliedIndex}, served range {@code request} with
     * {@code response}: it must be what the model answers at that index's revision (or at the requested one).
     */
    void checkRead(long node, long appliedIndex, DirectBuffer request, int offset, int length, DirectBuffer response,
                   int responseLength) {
        if (appliedIndex > lastIndex || appliedIndex < 0) {
            throw new SimulationFailure("reference model", "node " + node + " served a read at applied index "
                    + appliedIndex + ", which was never applied anywhere first");
        }
        long rev = appliedIndex == 0 ? 1 : revisionAt[(int) appliedIndex];
        long comp = appliedIndex == 0 ? 0 : compactedAt[(int) appliedIndex];
        range.wrap(request, offset, length);
        Answer expected = range(range, rev, comp);
        Answer actual = codec.decode(response, 0, responseLength);
        checkedReads++;
        count(expected, comp);
        if (!expected.describe().equals(actual.describe())) {
            throw new SimulationFailure("reference model", "node " + node + " at applied index " + appliedIndex
                    + " answered " + codec.describeRequest(request, offset, length) + " with\n    " + actual.describe()
                    + "\n  but the reference model (revision " + rev + ", compacted at " + comp + ") says\n    "
                    + expected.describe());
        }
    }

    /**
     * A watch event on {@code node}: {@code kv} must be the key's version at the event's revision; {@code prev}
     * (null: none sent) the version before it — which the store leaves out after a tombstone, and may leave out
     * once the event's revision is compacted.
     */
    void checkWatchEvent(long node, int eventType, Kv kv, Kv prev, boolean prevAsked) {
        checkedEvents++;
        Kv at = versionAt(kv.key(), kv.mod());
        boolean same = at != null && at.mod() == kv.mod() && (eventType == ResponseLayout.EVENT_DELETE
                ? at.tombstone() && kv.create() == 0 && kv.version() == 0
                : !at.tombstone() && at.equals(kv));
        if (!same) {
            throw new SimulationFailure("reference model", "node " + node + " sent watch event "
                    + (eventType == ResponseLayout.EVENT_DELETE ? "DELETE " : "PUT ") + kv.describe(true)
                    + " but the committed log holds " + (at == null ? "nothing" : at.describe(true)) + " there");
        }
        if (!prevAsked) {
            return;
        }
        if (prev != null) {
            prevEvents++;
        }
        Kv before = get(kv.key(), kv.mod() - 1);
        if (prev == null ? before != null && kv.mod() > maxCompacted : !prev.equals(before)) {
            throw new SimulationFailure("reference model", "node " + node + " sent watch event at revision "
                    + kv.mod() + " on " + kv.key() + " with prev_kv " + (prev == null ? "none" : prev.describe(true))
                    + " but the committed log's previous version is " + (before == null ? "none"
                    : before.describe(true)));
        }
    }

    /** Every change to keys in {@code [from, to)} at or after {@code revision}: {revision, key index, type, value}. */
    List<long[]> events(String from, String to, long revision) {
        List<long[]> out = new ArrayList<>();
        for (Map.Entry<String, ArrayList<Kv>> e : keys.subMap(from, true, to, false).entrySet()) {
            for (Kv kv : e.getValue()) {
                if (kv.mod() >= revision) {
                    byte[] key = kv.key().getBytes(StandardCharsets.ISO_8859_1);
                    out.add(new long[]{kv.mod(), WorkloadCodec.keyIndex(key),
                            kv.tombstone() ? ResponseLayout.EVENT_DELETE : ResponseLayout.EVENT_PUT,
                            kv.tombstone() ? 0 : Long.parseLong(kv.value().isEmpty() ? "0" : kv.value())});
                }
            }
        }
        out.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        return out;
    }

    void count(Answer a, long comp) {
        if (a.error == MvccError.COMPACTED && a.type == RequestType.RANGE) {
            compactedReads++;
        }
        if (a.type == RequestType.RANGE && a.error == MvccError.OK) {
            if (a.requestedRevision > 0) {
                pastReads++;
            }
            if (a.flag) {
                truncatedRanges++;
            }
            for (Kv kv : a.kvs) {
                if (kv.mod() < comp) {
                    oldVersionsRead++;
                }
            }
        }
        if ((a.type == RequestType.PUT && a.flag) || (a.type == RequestType.DELETE_RANGE && !a.kvs.isEmpty())) {
            prevKvs++;
        }
        for (Answer inner : a.responses) {
            count(inner, comp);
        }
    }

    /** @return what the reference checks covered in this run */
    String coverage() {
        return checkedWrites + " applied and " + checkedReads + " served answers and " + checkedEvents
                + " watch events matched the reference model (" + pastReads + " reads at a past revision, "
                + compactedReads + " answered compacted, " + truncatedRanges + " ranges cut by a limit, "
                + oldVersionsRead + " kvs read from below the compaction revision, " + prevKvs + " prev kvs, "
                + prevEvents + " watch prev kvs)";
    }

    long revision() {
        return current;
    }

    long compactRevision() {
        return compacted;
    }

    long checkedWrites() {
        return checkedWrites;
    }

    long checkedReads() {
        return checkedReads;
    }

    long checkedEvents() {
        return checkedEvents;
    }

    // ---------------------------------------------------------------- the model

    /** @return the visible version of {@code key} at {@code rev}, or null (absent or deleted) */
    Kv get(String key, long rev) {
        Kv kv = versionAt(key, rev);
        return kv == null || kv.tombstone() ? null : kv;
    }

    /** @return the last version (tombstones included) of {@code key} with mod revision ≤ {@code rev} */
    Kv versionAt(String key, long rev) {
        ArrayList<Kv> versions = keys.get(key);
        if (versions == null) {
            return null;
        }
        int lo = 0;
        int hi = versions.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (versions.get(mid).mod() <= rev) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == 0 ? null : versions.get(lo - 1);
    }

    private Iterable<String> keysIn(String key, String end) {
        if (end.isEmpty()) {
            return keys.containsKey(key) ? List.of(key) : List.of();
        }
        NavigableMap<String, ArrayList<Kv>> sub = end.equals("\0") ? keys.tailMap(key, true)
                : key.compareTo(end) >= 0 ? new TreeMap<>() : keys.subMap(key, true, end, false);
        return sub.keySet();
    }

    List<Kv> visible(String key, String end, long rev) {
        List<Kv> out = new ArrayList<>();
        for (String k : keysIn(key, end)) {
            Kv kv = get(k, rev);
            if (kv != null) {
                out.add(kv);
            }
        }
        return out;
    }

    long readRev() {
        return writing && changes > 0 ? current + 1 : current;
    }

    void write(Kv kv) {
        keys.computeIfAbsent(kv.key(), k -> new ArrayList<>(4)).add(kv);
        changes++;
    }

    static String string(DirectBuffer b, int offset, int length) {
        byte[] bytes = new byte[length];
        b.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static Answer error(int type, MvccError e, long revision) {
        Answer a = new Answer();
        a.type = type;
        a.error = e;
        a.revision = revision;
        return a;
    }

    /** Applies one MVCC request (the entry's payload); {@code response} supplies only the store-chosen lease ID. */
    Answer apply(DirectBuffer b, int offset, int length, DirectBuffer response, int responseLength) {
        int type = RequestType.typeOf(b, offset, length);
        switch (type) {
            case RequestType.PUT: {
                put.wrap(b, offset, length);
                String key = string(b, put.keyOffset(), put.keyLength());
                if (put.lease() != 0 && !leases.containsKey(put.lease())) {
                    return error(type, MvccError.LEASE_NOT_FOUND, current);
                }
                begin();
                Answer a = put(key, string(b, put.valueOffset(), put.valueLength()), put.lease(), put.prevKv());
                end();
                return a;
            }
            case RequestType.DELETE_RANGE: {
                delete.wrap(b, offset, length);
                begin();
                Answer a = delete(string(b, delete.keyOffset(), delete.keyLength()),
                        string(b, delete.rangeEndOffset(), delete.rangeEndLength()), delete.prevKv());
                end();
                return a;
            }
            case RequestType.RANGE:
                range.wrap(b, offset, length);
                return range(range, current, compacted);
            case RequestType.TXN:
                return txns.txn(b, offset, length);
            case RequestType.COMPACT: {
                long rev = SmallRequests.firstLong(b, offset);
                if (rev <= compacted) {
                    return error(type, MvccError.COMPACTED, current);
                }
                if (rev > current) {
                    return error(type, MvccError.FUTURE_REVISION, current);
                }
                compacted = rev;
                maxCompacted = Math.max(maxCompacted, rev);
                return simple(type);
            }
            case RequestType.LEASE_GRANT: {
                // The store picks the ID (from the raft index) and the TTL floor: taken from its answer.
                view.wrap(response, 0, responseLength);
                if (!view.isOk()) {
                    return error(type, view.error(), view.revision());
                }
                Answer a = simple(type);
                a.leaseId = view.bodyLong(0);
                a.ttl = view.bodyLong(1);
                if (leases.containsKey(a.leaseId)) {
                    return error(type, MvccError.LEASE_EXISTS, current);
                }
                leases.put(a.leaseId, a.ttl);
                return a;
            }
            case RequestType.LEASE_REVOKE: {
                long id = SmallRequests.firstLong(b, offset);
                if (leases.remove(id) == null) {
                    return error(type, MvccError.LEASE_NOT_FOUND, current);
                }
                begin();
                for (Kv kv : visible("\0", "\0", current)) {
                    if (kv.lease() == id) {
                        write(new Kv(kv.key(), 0, current + 1, 0, 0, ""));
                    }
                }
                end();
                return simple(type);
            }
            case RequestType.LEASE_CHECKPOINT:
            case RequestType.ALARM_DISARM:
                return simple(type);
            default:
                return error(Math.max(type, 0), MvccError.MALFORMED_REQUEST, current);
        }
    }

    Answer simple(int type) {
        Answer a = new Answer();
        a.type = type;
        a.revision = current;
        return a;
    }

    void begin() {
        writing = true;
        changes = 0;
    }

    void end() {
        writing = false;
        if (changes > 0) {
            current++;
        }
    }

    Answer put(String key, String value, long lease, boolean withPrev) {
        long rev = current + 1;
        Kv prev = get(key, readRev());
        write(new Kv(key, prev == null ? rev : prev.create(), rev, prev == null ? 1 : prev.version() + 1, lease,
                value));
        Answer a = new Answer();
        a.type = RequestType.PUT;
        a.revision = rev;
        if (withPrev && prev != null) {
            a.flag = true;
            a.kvs = List.of(prev);
        }
        return a;
    }

    Answer delete(String key, String end, boolean withPrev) {
        List<Kv> doomed = visible(key, end, readRev());
        for (Kv kv : doomed) {
            write(new Kv(kv.key(), 0, current + 1, 0, 0, ""));
        }
        Answer a = new Answer();
        a.type = RequestType.DELETE_RANGE;
        a.revision = readRev();
        a.count = doomed.size();
        a.kvs = withPrev ? doomed : List.of();
        return a;
    }

    /** A range as of store revision {@code cur} with compaction revision {@code comp}. */
    Answer range(RangeRequest r, long cur, long comp) {
        long revision = r.revision();
        if (revision > cur) {
            return error(RequestType.RANGE, MvccError.FUTURE_REVISION, cur);
        }
        if (revision > 0 && revision < comp) {
            return error(RequestType.RANGE, MvccError.COMPACTED, cur);
        }
        long rev = revision <= 0 ? cur : revision;
        String key = string(r.buffer(), r.keyOffset(), r.keyLength());
        String end = string(r.buffer(), r.rangeEndOffset(), r.rangeEndLength());
        List<Kv> all = visible(key, end, rev);
        List<Kv> list = new ArrayList<>(r.countOnly() ? List.of() : all);
        long minMod = r.minModRevision();
        long maxMod = r.maxModRevision();
        long minCreate = r.minCreateRevision();
        long maxCreate = r.maxCreateRevision();
        list.removeIf(kv -> (maxMod != 0 && kv.mod() > maxMod) || (minMod != 0 && kv.mod() < minMod)
                || (maxCreate != 0 && kv.create() > maxCreate) || (minCreate != 0 && kv.create() < minCreate));
        boolean filtered = minMod != 0 || maxMod != 0 || minCreate != 0 || maxCreate != 0;
        long limit = r.limitCount();
        if (!filtered && r.sortOrder() == RangeRequest.SORT_NONE && limit > 0 && list.size() > limit + 1) {
            // etcd fetches limit + 1 keys (in key order) before an implied sort (order NONE, target not KEY)
            list = new ArrayList<>(list.subList(0, (int) limit + 1));
        }
        int order = r.sortOrder();
        if (r.sortTarget() != RangeRequest.TARGET_KEY && order == RangeRequest.SORT_NONE) {
            order = RangeRequest.SORT_ASCEND;
        }
        if (order != RangeRequest.SORT_NONE) {
            Comparator<Kv> c = switch (r.sortTarget()) {
                case RangeRequest.TARGET_VERSION -> Comparator.comparingLong(Kv::version);
                case RangeRequest.TARGET_CREATE -> Comparator.comparingLong(Kv::create);
                case RangeRequest.TARGET_MOD -> Comparator.comparingLong(Kv::mod);
                case RangeRequest.TARGET_VALUE -> Comparator.comparing(Kv::value);
                default -> Comparator.comparing(Kv::key);
            };
            list.sort(order == RangeRequest.SORT_DESCEND ? c.reversed() : c);
        }
        boolean more = limit > 0 && list.size() > limit;
        if (more) {
            list = new ArrayList<>(list.subList(0, (int) limit));
        }
        Answer a = new Answer();
        a.type = RequestType.RANGE;
        a.revision = cur;
        a.flag = more;
        a.count = all.size();
        a.kvs = list;
        a.keysOnly = r.keysOnly();
        a.requestedRevision = r.revision();
        return a;
    }

    /** Decodes the kv at {@code at} (for watch events). */
    Kv kv(DirectBuffer b, int at) {
        return codec.kv(b, at);
    }

    private void ensure(long index) {
        if (index >= revisionAt.length) {
            int capacity = Math.max(revisionAt.length * 2, (int) index + 1);
            revisionAt = Arrays.copyOf(revisionAt, capacity);
            compactedAt = Arrays.copyOf(compactedAt, capacity);
        }
    }
}
