package dev.keel.simulator;

import dev.keel.kernel.raft.ConfState;
import dev.keel.kernel.raft.EntryType;
import dev.keel.kernel.util.SplitMix64;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WalRecoveryTest {
    private final ExpandableArrayBuffer record = new ExpandableArrayBuffer();

    private void entry(SimDisk disk, long index, long term, String data) {
        byte[] bytes = data.getBytes();
        disk.append(record, Wal.entry(record, index, term, EntryType.NORMAL, new UnsafeBuffer(bytes), 0, bytes.length));
    }

    @Test
    void replaysHardStateEntriesAndOverwrites() {
        SimDisk disk = new SimDisk();
        entry(disk, 1, 1, "a");
        entry(disk, 2, 1, "b");
        entry(disk, 3, 1, "c");
        entry(disk, 2, 2, "B"); // a new leader overwrote 2..
        disk.append(record, Wal.hardState(record, 2, 7, 2));
        disk.sync();
        Recovery r = Recovery.read(disk.bytes(), disk.length());
        assertNull(r.corruption);
        var storage = r.storage();
        assertEquals(2, storage.lastIndex());
        assertEquals(2, storage.term(2));
        assertEquals(7, r.vote);
        assertEquals(2, r.commit);
    }

    @Test
    void unsyncedWritesAreLostAndATornTailIsCut() {
        SimDisk disk = new SimDisk();
        entry(disk, 1, 1, "durable");
        disk.sync();
        int durable = disk.length();
        entry(disk, 2, 1, "not yet synced, and long enough to tear");
        disk.crash(new SplitMix64(3), false);
        assertEquals(durable, disk.length());
        entry(disk, 2, 1, "not yet synced, and long enough to tear");
        disk.crash(new SplitMix64(5), true);
        Recovery r = Recovery.read(disk.bytes(), disk.length());
        assertNull(r.corruption);
        assertTrue(disk.length() == durable || r.tornAt == durable, "a torn tail starts at the last durable byte");
        assertEquals(1, r.storage().lastIndex());
    }

    @Test
    void aFlippedBitInDurableDataIsCorruptionNotATornTail() {
        for (int seed = 0; seed < 200; seed++) {
            SimDisk disk = new SimDisk();
            entry(disk, 1, 1, "first");
            entry(disk, 2, 1, "second");
            disk.append(record, Wal.hardState(record, 1, 1, 2));
            disk.sync();
            int at = disk.corrupt(new SplitMix64(seed), disk.length());
            Recovery r = Recovery.read(disk.bytes(), disk.length());
            assertNotNull(r.corruption, "flip at " + at + " went unnoticed");
        }
    }

    @Test
    void snapshotRecordResetsTheLogAndAFullDiskRefusesWrites() {
        SimDisk disk = new SimDisk();
        entry(disk, 1, 1, "a");
        byte[] state = {1, 2, 3};
        int n = Wal.snapshot(record, 10, 3, ConfState.ofVoters(1, 2, 3), new UnsafeBuffer(state), 3);
        disk.append(record, n);
        entry(disk, 11, 3, "after");
        disk.sync();
        Recovery r = Recovery.read(disk.bytes(), disk.length());
        assertEquals(10, r.snapshotIndex);
        assertEquals(ConfState.ofVoters(1, 2, 3), r.snapshotConf);
        var storage = r.storage();
        assertEquals(10, storage.baseIndex());
        assertEquals(11, storage.lastIndex());
        disk.full = true;
        assertThrows(SimDisk.FullException.class, () -> entry(disk, 12, 3, "x"));
    }
}
