package dev.keel.node.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.keel.kernel.mvcc.watch.WatchRegistry;
import io.etcd.jetcd.api.WatchCreateRequest;

/**
 * A create request read as etcd 3.4's API layer reads it: an empty key means {@code "\0"} (the smallest key),
 * a range end of {@code "\0"} means every key from {@code key} on, a non-empty range end not above the key is
 * an empty range (refused with {@link WatchResponses#EMPTY_RANGE}). etcd 3.4's {@code watch_id} (7) and
 * {@code fragment} (8) are missing from jetcd-grpc's older proto and are read from its unknown fields.
 *
 * @param watchId the client's watch ID, 0 for "assign one" (etcd's AutoWatchID)
 * @param options {@link WatchRegistry}'s option bits
 */
record WatchCreate(byte[] key, byte[] rangeEnd, long startRevision, int options, long watchId, boolean fragment) {
    static final int WATCH_ID_FIELD = 7;
    static final int FRAGMENT_FIELD = 8;

    static WatchCreate of(WatchCreateRequest r) {
        byte[] key = r.getKey().isEmpty() ? new byte[]{0} : r.getKey().toByteArray();
        int options = 0;
        options |= r.getPrevKv() ? WatchRegistry.PREV_KV : 0;
        options |= r.getProgressNotify() ? WatchRegistry.PROGRESS_NOTIFY : 0;
        for (int filter : r.getFiltersValueList()) {
            options |= filter == 0 ? WatchRegistry.NO_PUT : filter == 1 ? WatchRegistry.NO_DELETE : 0;
        }
        UnknownFieldSet unknown = r.getUnknownFields();
        return new WatchCreate(key, r.getRangeEnd().toByteArray(), r.getStartRevision(), options,
                varint(unknown, WATCH_ID_FIELD), varint(unknown, FRAGMENT_FIELD) != 0);
    }

    private static long varint(UnknownFieldSet fields, int number) {
        UnknownFieldSet.Field f = fields.getField(number);
        return f == null || f.getVarintList().isEmpty() ? 0 : f.getVarintList().get(f.getVarintList().size() - 1);
    }

    /** @return etcd's "watcher range is empty": a range end that is neither empty nor "\0" and not above the key */
    boolean emptyRange() {
        if (rangeEnd.length == 0 || (rangeEnd.length == 1 && rangeEnd[0] == 0)) {
            return false;
        }
        return ByteString.unsignedLexicographicalComparator().compare(ByteString.copyFrom(key),
                ByteString.copyFrom(rangeEnd)) >= 0;
    }
}
