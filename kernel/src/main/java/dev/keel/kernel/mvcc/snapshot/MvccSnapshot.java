package dev.keel.kernel.mvcc.snapshot;

import dev.keel.kernel.mvcc.lease.Lease;
import dev.keel.kernel.mvcc.lease.LeaseTable;
import dev.keel.kernel.mvcc.store.KeptHistory;
import dev.keel.kernel.mvcc.store.KeyCursor;
import dev.keel.kernel.mvcc.store.KeyIndex;
import dev.keel.kernel.mvcc.store.Keyspace;
import dev.keel.kernel.mvcc.store.RevisionRecords;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;

/**
 * The deterministic snapshot of the whole MVCC state. Layout (little-endian):
 * <pre>
 * magic:i64 "KEELMVCC" | format:i32 | raftIndex:i64 | currentRevision:i64 | compactRevision:i64 | flags:i32
 * (1 = alarm, 2 = a tombstone at the compaction revision was freed)
 * leaseCount:i32 | (id:i64 | ttl:i64 | remainingTtl:i64)*            -- ascending ID
 * keyCount:i32 | (key | recordCount:i32 | record*)*                   -- ascending key
 *   record: main:i64 | sub:i32 | create:i64 | version:i64 | lease:i64 | valueLength:i32 (-1 = tombstone) | value
 * hash:i64                                                            -- Hash64 of everything before it
 * </pre>
 * Only what compaction keeps is written, so equal states give equal bytes whatever the physical compaction
 * progress; the leader-only lease expiry times are not part of it.
 */
public final class MvccSnapshot {
    /** "KEELMVCC" as a little-endian long. */
    public static final long MAGIC = 0x4343564D4C45454BL;
    public static final int FORMAT = 1;

    /** Header fields a restore needs before loading keys. */
    public static final class Header {
        public long raftIndex;
        public long currentRevision;
        public long compactRevision;
        /** Whether the compaction freed a tombstone at the compaction revision (watchers must start after it). */
        public boolean compactionHoles;
        public boolean alarm;
    }

    private MvccSnapshot() {
    }

    /**
     * Writes the snapshot at {@code out[at]} (an expandable buffer grows as needed, but a caller sizing it with
     * {@link #length} first avoids growth by copying); returns its length.
     */
    public static int write(Keyspace keyspace, LeaseTable leases, long raftIndex, boolean alarm,
                            MutableDirectBuffer out, int at) {
        int p = at;
        out.putLong(p, MAGIC);
        out.putInt(p + 8, FORMAT);
        out.putLong(p + 12, raftIndex);
        out.putLong(p + 20, keyspace.currentRevision());
        out.putLong(p + 28, keyspace.compactRevision());
        // flags: 1 = NOSPACE alarm raised, 2 = compaction freed a tombstone at the compaction revision
        long compacted = keyspace.compactRevision();
        out.putInt(p + 36, (alarm ? 1 : 0) | (keyspace.log().completeFrom(compacted) > compacted ? 2 : 0));
        p += 40;
        LongArrayList ids = new LongArrayList();
        leases.sortedIds(ids);
        out.putInt(p, ids.size());
        p += 4;
        for (int i = 0; i < ids.size(); i++) {
            Lease lease = leases.get(ids.getLong(i));
            out.putLong(p, lease.id());
            out.putLong(p + 8, lease.ttl());
            out.putLong(p + 16, lease.remainingTtl());
            p += 24;
        }
        p = writeKeys(keyspace, out, p);
        out.putLong(p, new Hash64().add(out, at, p - at).value());
        return p + 8 - at;
    }

    /** @return the exact length {@link #write} would write now, found without writing */
    public static long length(Keyspace keyspace, LeaseTable leases) {
        LongArrayList ids = new LongArrayList();
        leases.sortedIds(ids);
        long length = 40 + 4 + 24L * ids.size() + 4 + 8;
        KeyIndex keys = keyspace.keys();
        RevisionRecords records = keyspace.records();
        IntArrayList kept = new IntArrayList();
        KeyCursor cursor = new KeyCursor();
        for (int slot = keys.first(cursor); slot != KeyIndex.NIL; slot = keys.next(cursor)) {
            KeptHistory.collect(keyspace, slot, Long.MAX_VALUE, kept);
            if (kept.isEmpty()) {
                continue;
            }
            length += 8 + keys.keyLength(slot);
            for (int i = 0; i < kept.size(); i++) {
                int r = kept.getInt(i);
                length += 40 + (records.isTombstone(r) ? 0 : records.valueLength(r));
            }
        }
        return length;
    }

    private static int writeKeys(Keyspace keyspace, MutableDirectBuffer out, int at) {
        KeyIndex keys = keyspace.keys();
        RevisionRecords records = keyspace.records();
        IntArrayList kept = new IntArrayList();
        KeyCursor cursor = new KeyCursor();
        int countAt = at;
        int keyCount = 0;
        int p = at + 4;
        for (int slot = keys.first(cursor); slot != KeyIndex.NIL; slot = keys.next(cursor)) {
            KeptHistory.collect(keyspace, slot, Long.MAX_VALUE, kept);
            if (kept.isEmpty()) {
                continue;
            }
            keyCount++;
            out.putInt(p, keys.keyLength(slot));
            out.putBytes(p + 4, keys.keyBuffer(slot), keys.keyOffset(slot), keys.keyLength(slot));
            p += 4 + keys.keyLength(slot);
            out.putInt(p, kept.size());
            p += 4;
            for (int i = 0; i < kept.size(); i++) {
                int r = kept.getInt(i);
                out.putLong(p, records.main(r));
                out.putInt(p + 8, records.sub(r));
                out.putLong(p + 12, records.createRevision(r));
                out.putLong(p + 20, records.version(r));
                out.putLong(p + 28, records.lease(r));
                boolean tombstone = records.isTombstone(r);
                int length = records.valueLength(r);
                out.putInt(p + 36, tombstone ? -1 : length);
                p += 40;
                if (!tombstone && length > 0) {
                    out.putBytes(p, records.valueBuffer(r), records.valueOffset(r), length);
                    p += length;
                }
            }
        }
        out.putInt(countAt, keyCount);
        return p;
    }

    /**
     * Reads the header and checks the magic, format and trailing hash.
     *
     * @return whether the bytes are an intact snapshot
     */
    public static boolean readHeader(DirectBuffer in, int offset, int length, Header header) {
        if (length < 48 || in.getLong(offset) != MAGIC || in.getInt(offset + 8) != FORMAT) {
            return false;
        }
        if (new Hash64().add(in, offset, length - 8).value() != in.getLong(offset + length - 8)) {
            return false;
        }
        header.raftIndex = in.getLong(offset + 12);
        header.currentRevision = in.getLong(offset + 20);
        header.compactRevision = in.getLong(offset + 28);
        header.alarm = (in.getInt(offset + 36) & 1) != 0;
        header.compactionHoles = (in.getInt(offset + 36) & 2) != 0;
        return true;
    }

    /**
     * Loads leases and keys into an empty keyspace and lease table (after {@link #readHeader} succeeded and
     * the keyspace's revisions were set).
     */
    public static void load(DirectBuffer in, int offset, Keyspace keyspace, LeaseTable leases) {
        int p = offset + 40;
        int leaseCount = in.getInt(p);
        p += 4;
        for (int i = 0; i < leaseCount; i++) {
            leases.restore(in.getLong(p), in.getLong(p + 8), in.getLong(p + 16));
            p += 24;
        }
        int keyCount = in.getInt(p);
        p += 4;
        KeyIndex keys = keyspace.keys();
        RevisionRecords records = keyspace.records();
        for (int k = 0; k < keyCount; k++) {
            int keyLength = in.getInt(p);
            int slot = keys.insert(in, p + 4, keyLength);
            p += 4 + keyLength;
            int recordCount = in.getInt(p);
            p += 4;
            for (int i = 0; i < recordCount; i++) {
                int valueLength = in.getInt(p + 36);
                boolean tombstone = valueLength < 0;
                keyspace.restoreRecord(slot, in.getLong(p), in.getInt(p + 8), in.getLong(p + 12), in.getLong(p + 20),
                        in.getLong(p + 28), in, p + 40, Math.max(valueLength, 0), tombstone);
                p += 40 + Math.max(valueLength, 0);
            }
            int newest = keys.newest(slot);
            if (!records.isTombstone(newest) && records.lease(newest) != 0) {
                leases.attach(records.lease(newest), slot);
            }
        }
        keyspace.rebuildLog();
    }
}
