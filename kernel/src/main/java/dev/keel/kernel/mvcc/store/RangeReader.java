package dev.keel.kernel.mvcc.store;

import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.IntArrayList;

/**
 * Serves a Range as etcd 3.4's {@code applierV3backend.Range}: count is the number of keys in the range at
 * the read revision (before the min/max revision filters), limit applies after filtering and sorting and
 * sets {@code more}, a sort target other than KEY with order NONE sorts ascending, and the header revision is
 * the store revision even for a historical read.
 */
public final class RangeReader {
    private final Keyspace keyspace;
    private final RangeScan scan;
    private final RecordSorter sorter;
    private final KvWriter kvWriter;
    private final IntArrayList hits = new IntArrayList();

    public RangeReader(Keyspace keyspace, KvWriter kvWriter) {
        this.keyspace = keyspace;
        this.scan = new RangeScan(keyspace.keys());
        this.sorter = new RecordSorter(keyspace);
        this.kvWriter = kvWriter;
    }

    /** @return the error a read at {@code revision} would get with store revision {@code current}, or OK */
    public MvccError checkRevision(long revision, long current) {
        if (revision > current) {
            return MvccError.FUTURE_REVISION;
        }
        if (revision > 0 && revision < keyspace.compactRevision()) {
            return MvccError.COMPACTED;
        }
        return MvccError.OK;
    }

    /**
     * Serves {@code request} as of store revision {@code current}; writes the response at {@code at}.
     *
     * @return the response length
     */
    public int read(RangeRequest request, long current, MutableDirectBuffer out, int at) {
        MvccError error = checkRevision(request.revision(), current);
        if (error != MvccError.OK) {
            return ResponseLayout.writeError(out, at, RequestType.RANGE, error.wireId(), current);
        }
        long revision = request.revision() <= 0 ? current : request.revision();
        boolean filtered = request.minModRevision() != 0 || request.maxModRevision() != 0
                || request.minCreateRevision() != 0 || request.maxCreateRevision() != 0;
        long limit = request.limitCount();
        boolean fetchAll = filtered || request.sortOrder() != RangeRequest.SORT_NONE || limit <= 0;
        long fetch = fetchAll ? Long.MAX_VALUE : limit + 1;
        long count = collect(request, revision, request.countOnly() ? 0 : fetch);
        if (filtered) {
            prune(request);
        }
        sortIfAsked(request);
        boolean more = limit > 0 && hits.size() > limit;
        if (more) {
            truncate((int) limit);
        }
        int p = ResponseLayout.writeHeader(out, at, RequestType.RANGE, 0, more ? ResponseLayout.FLAG_MORE : 0,
                current);
        out.putLong(p, count);
        out.putInt(p + Long.BYTES, hits.size());
        p += Long.BYTES + Integer.BYTES;
        for (int i = 0; i < hits.size(); i++) {
            p = kvWriter.write(out, p, hits.getInt(i), request.keysOnly());
        }
        return p - at;
    }

    private long collect(RangeRequest request, long revision, long fetch) {
        hits.clear();
        long count = 0;
        for (int slot = scan.first(request.buffer(), request.keyOffset(), request.keyLength(),
                request.rangeEndOffset(), request.rangeEndLength()); slot != KeyIndex.NIL; slot = scan.next()) {
            int record = keyspace.visible(slot, revision);
            if (record == RevisionRecords.NIL) {
                continue;
            }
            count++;
            if (hits.size() < fetch) {
                hits.addInt(record);
            }
        }
        return count;
    }

    private void prune(RangeRequest request) {
        RevisionRecords records = keyspace.records();
        int kept = 0;
        for (int i = 0; i < hits.size(); i++) {
            int record = hits.getInt(i);
            long mod = records.main(record);
            long create = records.createRevision(record);
            if ((request.maxModRevision() != 0 && mod > request.maxModRevision())
                    || (request.minModRevision() != 0 && mod < request.minModRevision())
                    || (request.maxCreateRevision() != 0 && create > request.maxCreateRevision())
                    || (request.minCreateRevision() != 0 && create < request.minCreateRevision())) {
                continue;
            }
            hits.setInt(kept++, record);
        }
        truncate(kept);
    }

    private void sortIfAsked(RangeRequest request) {
        int order = request.sortOrder();
        int target = request.sortTarget();
        if (target != RangeRequest.TARGET_KEY && order == RangeRequest.SORT_NONE) {
            order = RangeRequest.SORT_ASCEND;
        }
        // Hits arrive in ascending key order already.
        if (order == RangeRequest.SORT_NONE || (order == RangeRequest.SORT_ASCEND && target == RangeRequest.TARGET_KEY)) {
            return;
        }
        sorter.sort(hits, target, order == RangeRequest.SORT_DESCEND);
    }

    private void truncate(int size) {
        while (hits.size() > size) {
            hits.removeAt(hits.size() - 1);
        }
    }
}
