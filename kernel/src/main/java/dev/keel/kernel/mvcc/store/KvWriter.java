package dev.keel.kernel.mvcc.store;

import dev.keel.kernel.mvcc.codec.ByteField;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import org.agrona.MutableDirectBuffer;

/** Writes a record as an encoded kv ({@link ResponseLayout}); a tombstone as etcd's DELETE kv. */
public final class KvWriter {
    private final KeyIndex keys;
    private final RevisionRecords records;

    public KvWriter(Keyspace keyspace) {
        this.keys = keyspace.keys();
        this.records = keyspace.records();
    }

    /**
     * Writes the kv of {@code record}; a tombstone becomes {@code {key, mod_revision}} as in etcd's DELETE
     * events. Returns the offset after it.
     */
    public int write(MutableDirectBuffer out, int at, int record, boolean keysOnly) {
        int slot = records.keySlot(record);
        boolean tombstone = records.isTombstone(record);
        out.putLong(at, records.createRevision(record));
        out.putLong(at + 8, records.main(record));
        out.putLong(at + 16, records.version(record));
        out.putLong(at + 24, records.lease(record));
        int p = ByteField.write(out, at + ResponseLayout.KV_FIXED, keys.keyBuffer(slot), keys.keyOffset(slot),
                keys.keyLength(slot));
        int valueLength = keysOnly || tombstone ? 0 : records.valueLength(record);
        return ByteField.write(out, p, records.valueBuffer(record), records.valueOffset(record), valueLength);
    }
}
