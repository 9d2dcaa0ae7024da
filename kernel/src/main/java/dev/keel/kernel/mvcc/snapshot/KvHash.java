package dev.keel.kernel.mvcc.snapshot;

import dev.keel.kernel.mvcc.store.KeptHistory;
import dev.keel.kernel.mvcc.store.KeyCursor;
import dev.keel.kernel.mvcc.store.KeyIndex;
import dev.keel.kernel.mvcc.store.Keyspace;
import dev.keel.kernel.mvcc.store.RevisionRecords;
import org.agrona.collections.IntArrayList;

/**
 * etcd's HashKV purpose: a hash of the kept key-value history up to a revision (and of the compaction
 * revision), equal on every replica whose history is equal, whatever its physical compaction progress.
 */
public final class KvHash {
    private KvHash() {
    }

    /** @return the hash of every kept record with main revision {@code <= revision} */
    public static long of(Keyspace keyspace, long revision) {
        Hash64 hash = new Hash64().add(keyspace.compactRevision());
        KeyIndex keys = keyspace.keys();
        RevisionRecords records = keyspace.records();
        IntArrayList kept = new IntArrayList();
        KeyCursor cursor = new KeyCursor();
        for (int slot = keys.first(cursor); slot != KeyIndex.NIL; slot = keys.next(cursor)) {
            KeptHistory.collect(keyspace, slot, revision, kept);
            if (kept.isEmpty()) {
                continue;
            }
            hash.add(keys.keyBuffer(slot), keys.keyOffset(slot), keys.keyLength(slot));
            for (int i = 0; i < kept.size(); i++) {
                int r = kept.getInt(i);
                hash.add(records.main(r)).add(records.sub(r)).add(records.createRevision(r))
                        .add(records.version(r)).add(records.lease(r));
                hash.add(records.valueBuffer(r), records.valueOffset(r),
                        records.isTombstone(r) ? -1 : records.valueLength(r));
            }
        }
        return hash.value();
    }
}
