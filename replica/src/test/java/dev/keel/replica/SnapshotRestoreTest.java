package dev.keel.replica;

import dev.keel.kernel.mvcc.MvccConfig;
import dev.keel.kernel.mvcc.MvccStateMachine;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.raft.ConfState;
import dev.keel.replica.snapshot.SavedSnapshot;
import dev.keel.replica.snapshot.SnapshotRestore;
import dev.keel.replica.wal.RecoveredLog;
import dev.keel.replica.wal.WalRecovery;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Restoring a saved store snapshot writes a disk that recovery reads as a founding member of the new cluster:
 * the store at its revision, a local snapshot of the new voters, and a hard state committing it.
 */
class SnapshotRestoreTest {
    private static final ConfState NEW_CLUSTER = ConfState.ofVoters(11, 12, 13);

    /** A store that applied {@code puts} puts at Raft indexes 1.. and its saved snapshot (no hash). */
    private static byte[] saved(int puts) {
        MvccStateMachine store = new MvccStateMachine(new MvccConfig());
        ExpandableArrayBuffer request = new ExpandableArrayBuffer(64);
        ExpandableArrayBuffer response = new ExpandableArrayBuffer(256);
        for (int i = 0; i < puts; i++) {
            byte[] key = ("key" + i).getBytes(StandardCharsets.UTF_8);
            byte[] value = ("value" + i).getBytes(StandardCharsets.UTF_8);
            int n = PutRequest.encode(request, 0, new UnsafeBuffer(key), 0, key.length, new UnsafeBuffer(value), 0,
                    value.length, 0, 0);
            store.apply(i + 1, request, 0, n, response);
        }
        ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(1024);
        int length = store.snapshot(snapshot);
        byte[] out = new byte[SavedSnapshot.length(length)];
        assertEquals(out.length, SavedSnapshot.write(snapshot, 0, length, new UnsafeBuffer(out)));
        return out;
    }

    @Test
    void theRestoredDiskRecoversAsAFoundingMemberHoldingTheStore() {
        byte[] saved = saved(5);
        assertEquals(0, saved.length % SavedSnapshot.PAGE_BYTES, "whole pages, as etcdctl wants");
        MemoryDisk disk = new MemoryDisk();
        SnapshotRestore.Result result = SnapshotRestore.fromSaved(new UnsafeBuffer(saved), saved.length, NEW_CLUSTER,
                disk, 1 << 20);
        assertTrue(result.ok(), result.error());
        assertEquals(6, result.revision(), "five puts on an empty store");
        assertEquals(5, result.index(), "the store's applied index");

        RecoveredLog log = WalRecovery.read(disk.load());
        assertFalse(log.corrupted(), log.corruption);
        assertEquals(5, log.storage.snapshotIndex());
        assertEquals(1, log.storage.snapshotTerm());
        assertEquals(NEW_CLUSTER, log.storage.snapshotConf());
        assertEquals(1, log.term);
        assertEquals(0, log.vote);
        assertEquals(5, log.commit);
        MvccStateMachine store = new MvccStateMachine(new MvccConfig());
        assertTrue(store.restore(log.snapshotData, log.snapshotOffset, log.snapshotLength));
        assertEquals(6, store.revision());
    }

    @Test
    void anEmptyStoreStartsTheLogAtIndexOne() {
        byte[] saved = saved(0);
        SnapshotRestore.Result result = SnapshotRestore.fromSaved(new UnsafeBuffer(saved), saved.length, NEW_CLUSTER,
                new MemoryDisk(), 1 << 20);
        assertTrue(result.ok(), result.error());
        assertEquals(1, result.index());
        assertEquals(1, result.revision());
    }

    @Test
    void bytesThatAreNoSavedSnapshotAreRefusedAndNothingIsWritten() {
        byte[] saved = saved(3);
        byte[] wrongMagic = saved.clone();
        wrongMagic[0] ^= 1;
        byte[] damagedStore = saved.clone();
        damagedStore[SavedSnapshot.HEADER_BYTES + 30] ^= 1;
        for (byte[] bad : new byte[][]{wrongMagic, damagedStore, new byte[10]}) {
            MemoryDisk disk = new MemoryDisk();
            SnapshotRestore.Result result = SnapshotRestore.fromSaved(new UnsafeBuffer(bad), bad.length, NEW_CLUSTER,
                    disk, 1 << 20);
            assertFalse(result.ok());
            assertTrue(WalRecovery.read(disk.load()).empty(), "nothing written for " + result.error());
        }
    }

    @Test
    void aDiskHoldingAMemberIsRefused() {
        byte[] saved = saved(2);
        MemoryDisk disk = new MemoryDisk();
        assertTrue(SnapshotRestore.fromSaved(new UnsafeBuffer(saved), saved.length, NEW_CLUSTER, disk, 1 << 20).ok());
        SnapshotRestore.Result again = SnapshotRestore.fromSaved(new UnsafeBuffer(saved), saved.length, NEW_CLUSTER,
                disk, 1 << 20);
        assertEquals("the data directory already holds a member's data", again.error());
    }
}
