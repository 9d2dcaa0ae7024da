package dev.keel.node.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnsafeByteOperations;
import dev.keel.kernel.mvcc.codec.KeyValueView;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.node.HeaderFacts;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.WatchResponse;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * etcd's {@code WatchResponse}s: read from the kernel's encoded watch responses ({@link ResponseLayout#WATCH}),
 * built for the stream's control answers, and split into fragments as etcd 3.4's {@code sendFragments} splits
 * them. etcd 3.4's {@code fragment} (field 7) is missing from jetcd-grpc's older proto, so it is written by
 * field number. Pure.
 */
final class WatchResponses {
    /** etcd 3.4's WatchResponse.fragment. */
    static final int FRAGMENT_FIELD = 7;
    /** etcd's texts for a create it refuses (mvcc.ErrEmptyWatcherRange, mvcc.ErrWatcherDuplicateID). */
    static final String EMPTY_RANGE = "mvcc: watcher range is empty";
    /** etcd 3.4's cancel reason for a watch on keys the caller may not read: its gRPC error's text. */
    static final String PERMISSION_DENIED = "rpc error: code = PermissionDenied desc = etcdserver: permission denied";
    static final String DUPLICATE_ID = "mvcc: duplicate watch ID provided on the WatchStream";

    private WatchResponses() {
    }

    /** etcd's header: cluster and member ID, the revision given, the Raft term. */
    static io.etcd.jetcd.api.ResponseHeader header(HeaderFacts facts, long revision) {
        return KvService.header(facts).setRevision(revision).build();
    }

    /** The answer to a create: {@code watchId} created (or, with a reason, refused with watch ID -1). */
    static WatchResponse created(HeaderFacts facts, long revision, long watchId, String refusal) {
        WatchResponse.Builder b = WatchResponse.newBuilder().setHeader(header(facts, revision)).setCreated(true);
        if (refusal != null) {
            return b.setWatchId(-1).setCanceled(true).setCancelReason(refusal).build();
        }
        return b.setWatchId(watchId).build();
    }

    /** The answer to a cancel of a watch the stream has. */
    static WatchResponse canceled(HeaderFacts facts, long revision, long watchId) {
        return WatchResponse.newBuilder().setHeader(header(facts, revision)).setWatchId(watchId).setCanceled(true)
                .build();
    }

    /** Reads a kernel watch response, addressed to the stream's own {@code watchId}. */
    static WatchResponse fromKernel(byte[] response, long watchId, HeaderFacts facts) {
        UnsafeBuffer b = new UnsafeBuffer(response);
        if (response.length < ResponseLayout.EVENTS_AT || b.getByte(ResponseLayout.TYPE_OFFSET) != ResponseLayout.WATCH) {
            throw new IllegalArgumentException("not a kernel watch response: " + response.length + " bytes");
        }
        long compactRevision = b.getLong(ResponseLayout.HEADER_LENGTH + Long.BYTES);
        boolean canceled = (b.getByte(ResponseLayout.FLAGS_OFFSET) & ResponseLayout.FLAG_CANCELED) != 0;
        // etcd's compaction notice carries no store revision: its header says revision 0.
        long revision = canceled && compactRevision != 0 ? 0 : b.getLong(ResponseLayout.REVISION_OFFSET);
        WatchResponse.Builder out = WatchResponse.newBuilder().setHeader(header(facts, revision))
                .setWatchId(watchId).setCompactRevision(compactRevision).setCanceled(canceled);
        int count = b.getInt(ResponseLayout.EVENTS_AT - Integer.BYTES);
        KeyValueView kv = new KeyValueView();
        int at = ResponseLayout.EVENTS_AT;
        for (int i = 0; i < count; i++) {
            boolean delete = b.getByte(at) == ResponseLayout.EVENT_DELETE;
            boolean withPrev = b.getByte(at + 1) != 0;
            Event.Builder event = Event.newBuilder().setType(delete ? Event.EventType.DELETE : Event.EventType.PUT)
                    .setKv(keyValue(kv.wrap(b, at + 2), b));
            at = kv.end();
            if (withPrev) {
                event.setPrevKv(keyValue(kv.wrap(b, at), b));
                at = kv.end();
            }
            out.addEvents(event);
        }
        return out.build();
    }

    /**
     * @return whether every event of a kernel watch response ({@code buffer[offset, offset + length)}) is of one
     *         revision: such a response cannot be split into smaller catch-up batches
     */
    static boolean singleRevision(DirectBuffer b, int offset, int length) {
        if (length < ResponseLayout.EVENTS_AT) {
            return true;
        }
        int count = b.getInt(offset + ResponseLayout.EVENTS_AT - Integer.BYTES);
        KeyValueView kv = new KeyValueView();
        int at = offset + ResponseLayout.EVENTS_AT;
        long first = 0;
        for (int i = 0; i < count; i++) {
            boolean withPrev = b.getByte(at + 1) != 0;
            long revision = kv.wrap(b, at + 2).modRevision();
            if (i == 0) {
                first = revision;
            } else if (revision != first) {
                return false;
            }
            at = kv.end();
            if (withPrev) {
                at = kv.wrap(b, at).end();
            }
        }
        return true;
    }

    private static KeyValue keyValue(KeyValueView kv, UnsafeBuffer b) {
        return KeyValue.newBuilder().setKey(bytes(b, kv.keyOffset(), kv.keyLength()))
                .setCreateRevision(kv.createRevision()).setModRevision(kv.modRevision()).setVersion(kv.version())
                .setValue(bytes(b, kv.valueOffset(), kv.valueLength())).setLease(kv.lease()).build();
    }

    private static ByteString bytes(UnsafeBuffer b, int offset, int length) {
        if (length == 0) {
            return ByteString.EMPTY;
        }
        byte[] copy = new byte[length];
        b.getBytes(offset, copy);
        return UnsafeByteOperations.unsafeWrap(copy);
    }

    /**
     * etcd's {@code sendFragments}: a response of at least {@code maxRequestBytes} with two or more events is
     * split into responses of events that stay under the limit (one event always goes, however big), every one
     * but the last marked {@code fragment}.
     */
    static List<WatchResponse> fragments(WatchResponse whole, int maxRequestBytes) {
        if (whole.getSerializedSize() < maxRequestBytes || whole.getEventsCount() < 2) {
            return List.of(whole);
        }
        List<WatchResponse> out = new ArrayList<>();
        WatchResponse empty = fragment(whole.toBuilder().clearEvents(), true).build();
        int emptySize = empty.getSerializedSize();
        int index = 0;
        List<Event> events = whole.getEventsList();
        while (index < events.size()) {
            WatchResponse.Builder cur = empty.toBuilder();
            int size = emptySize;
            int taken = 0;
            for (; index < events.size(); index++) {
                int eventSize = events.get(index).getSerializedSize();
                int withEvent = size + 1 + com.google.protobuf.CodedOutputStream.computeUInt32SizeNoTag(eventSize)
                        + eventSize;
                if (taken > 0 && withEvent >= maxRequestBytes) {
                    break;
                }
                cur.addEvents(events.get(index));
                size = withEvent;
                taken++;
            }
            out.add(index == events.size() ? fragment(cur, false).build() : cur.build());
        }
        return out;
    }

    private static WatchResponse.Builder fragment(WatchResponse.Builder b, boolean fragment) {
        UnknownFieldSet.Builder fields = UnknownFieldSet.newBuilder(b.getUnknownFields());
        fields.clearField(FRAGMENT_FIELD);
        if (fragment) {
            fields.addField(FRAGMENT_FIELD, UnknownFieldSet.Field.newBuilder().addVarint(1).build());
        }
        return b.setUnknownFields(fields.build());
    }

    /** @return whether {@code r} carries etcd's fragment flag */
    static boolean isFragment(WatchResponse r) {
        UnknownFieldSet.Field f = r.getUnknownFields().getField(FRAGMENT_FIELD);
        return f != null && !f.getVarintList().isEmpty() && f.getVarintList().get(0) != 0;
    }
}
