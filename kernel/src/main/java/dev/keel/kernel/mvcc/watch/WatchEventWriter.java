package dev.keel.kernel.mvcc.watch;

import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.store.ByteCompare;
import dev.keel.kernel.mvcc.store.KeyIndex;
import dev.keel.kernel.mvcc.store.Keyspace;
import dev.keel.kernel.mvcc.store.KvWriter;
import dev.keel.kernel.mvcc.store.RevisionRecords;
import org.agrona.ExpandableArrayBuffer;

/**
 * Builds one watch response for one watcher in a reusable buffer: decides whether a record is an event the
 * watcher wants (its range and NOPUT/NODELETE filters) and encodes it, with the prev kv when asked. The prev
 * kv is the key's value at revision - 1 if that is still readable (not below the compaction revision), as
 * etcd reads it.
 */
final class WatchEventWriter {
    private final Keyspace keyspace;
    private final KvWriter kvWriter;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private int position;
    private int events;

    WatchEventWriter(Keyspace keyspace, KvWriter kvWriter) {
        this.keyspace = keyspace;
        this.kvWriter = kvWriter;
    }

    ExpandableArrayBuffer buffer() {
        return buffer;
    }

    /** Starts a response for {@code watchId}. */
    void begin(long watchId, long compactRevision, boolean canceled) {
        ResponseLayout.writeHeader(buffer, 0, ResponseLayout.WATCH, 0,
                canceled ? ResponseLayout.FLAG_CANCELED : 0, keyspace.currentRevision());
        buffer.putLong(ResponseLayout.HEADER_LENGTH, watchId);
        buffer.putLong(ResponseLayout.HEADER_LENGTH + Long.BYTES, compactRevision);
        position = ResponseLayout.EVENTS_AT;
        events = 0;
    }

    /** Re-addresses the response being built to another watcher (same events, same options). */
    void watchId(long watchId) {
        buffer.putLong(ResponseLayout.HEADER_LENGTH, watchId);
    }

    /** @return whether {@code record} is an event {@code watcher} receives */
    boolean wants(Watcher watcher, int record) {
        RevisionRecords records = keyspace.records();
        boolean delete = records.isTombstone(record);
        if (delete ? watcher.has(WatchRegistry.NO_DELETE) : watcher.has(WatchRegistry.NO_PUT)) {
            return false;
        }
        KeyIndex keys = keyspace.keys();
        int slot = records.keySlot(record);
        int fromKey = keys.compareTo(watcher.key, 0, watcher.key.capacity(), slot);
        if (watcher.rangeEnd.capacity() == 0) {
            return fromKey == 0;
        }
        if (fromKey > 0) {
            return false;
        }
        return watcher.unboundedEnd || ByteCompare.compare(keys.keyBuffer(slot), keys.keyOffset(slot),
                keys.keyLength(slot), watcher.rangeEnd, 0, watcher.rangeEnd.capacity()) < 0;
    }

    /** Appends the event of {@code record}. */
    void add(Watcher watcher, int record) {
        RevisionRecords records = keyspace.records();
        boolean delete = records.isTombstone(record);
        int previous = records.previous(record);
        boolean withPrev = watcher.has(WatchRegistry.PREV_KV) && previous != RevisionRecords.NIL
                && !records.isTombstone(previous) && records.main(record) > keyspace.compactRevision();
        buffer.putByte(position, (byte) (delete ? ResponseLayout.EVENT_DELETE : ResponseLayout.EVENT_PUT));
        buffer.putByte(position + 1, (byte) (withPrev ? 1 : 0));
        position = kvWriter.write(buffer, position + 2, record, false);
        if (withPrev) {
            position = kvWriter.write(buffer, position, previous, false);
        }
        events++;
    }

    int events() {
        return events;
    }

    /** Finishes the response; returns its length. */
    int end() {
        buffer.putInt(ResponseLayout.EVENTS_AT - Integer.BYTES, events);
        return position;
    }
}
