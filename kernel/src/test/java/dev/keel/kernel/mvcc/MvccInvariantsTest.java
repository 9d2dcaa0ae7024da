package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.lease.LeaseTable;
import dev.keel.kernel.mvcc.store.KeyIndex;
import dev.keel.kernel.mvcc.store.Keyspace;
import dev.keel.kernel.mvcc.store.RevisionLog;
import dev.keel.kernel.mvcc.store.RevisionRecords;
import dev.keel.kernel.mvcc.store.SpaceLedger;
import dev.keel.kernel.util.InvariantViolation;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MVCC store's invariants are always on (InvariantViolation, not {@code assert}): each fires when broken on
 * purpose, and names the values that broke it.
 */
class MvccInvariantsTest {
    private static final UnsafeBuffer A = key("a");
    private static final UnsafeBuffer B = key("b");

    @Test
    void keyspaceWriteTransactionsDoNotNestAndWritesNeedOne() {
        Keyspace ks = new Keyspace();
        fails(ks::endWrite, "endWrite without a write transaction");
        fails(() -> put(ks, KeyIndex.NIL, A), "put outside a write transaction");
        fails(() -> ks.delete(0), "delete outside a write transaction");
        ks.beginWrite();
        fails(ks::beginWrite, "nested write transaction");
    }

    @Test
    void keyspacePutChecksTheSlotAndDeleteChecksTheKeyIsLive() {
        Keyspace ks = new Keyspace();
        ks.beginWrite();
        put(ks, KeyIndex.NIL, A);
        int slotOfA = ks.keys().find(A, 0, 1);
        fails(() -> put(ks, slotOfA, B), "the slot passed holds another key (slot) (" + slotOfA + ")");
        ks.delete(slotOfA);
        fails(() -> ks.delete(slotOfA), "deleting a key that is not live (slot, newest record) (" + slotOfA + ", ");
        ks.endWrite();
    }

    @Test
    void keyspaceCompactionStaysWithinTheKeptRevisions() {
        Keyspace ks = new Keyspace();
        ks.beginWrite();
        put(ks, KeyIndex.NIL, A);
        ks.endWrite(); // revision 2
        fails(() -> ks.compact(3), "compaction out of range (revision, compacted, current) (3, 0, 2)");
        ks.compact(2);
        fails(() -> ks.compact(2), "compaction out of range (revision, compacted, current) (2, 2, 2)");
    }

    @Test
    void keyIndexRefusesToRemoveAnAbsentKey() {
        KeyIndex index = new KeyIndex();
        int slot = index.insert(A, 0, 1);
        index.remove(slot);
        fails(() -> index.remove(slot), "removing a key that is not in the index (slot) (" + slot + ")");
    }

    @Test
    void revisionLogStaysInRevisionOrder() {
        RevisionRecords records = new RevisionRecords();
        RevisionLog log = new RevisionLog(records);
        log.append(records.addTombstone(0, 5, 0, RevisionRecords.NIL));
        int older = records.addTombstone(0, 3, 0, RevisionRecords.NIL);
        fails(() -> log.append(older), "appending revision 3 after 5");
    }

    @Test
    void spaceLedgerBooksNoGarbageBelowTheCompactionPoint() {
        SpaceLedger ledger = new SpaceLedger();
        ledger.garbageAt(4, 10);
        ledger.compact(5);
        fails(() -> ledger.garbageAt(3, 10), "below the compaction point (revision, first kept revision) (3, 6)");
    }

    @Test
    void leaseTableGrantsOnceAndAttachesOnlyToExistingLeases() {
        LeaseTable leases = new LeaseTable(2);
        leases.grant(7, 10);
        fails(() -> leases.grant(7, 10), "lease granted twice (lease) (7)");
        fails(() -> leases.attach(8, 3), "attaching a key to a missing lease (lease, slot) (8, 3)");
    }

    private static void put(Keyspace ks, int slot, UnsafeBuffer key) {
        ks.put(slot, key, 0, key.capacity(), key, 0, key.capacity(), 0);
    }

    private static void fails(Executable action, String messagePart) {
        InvariantViolation e = assertThrows(InvariantViolation.class, action);
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    private static UnsafeBuffer key(String text) {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }
}
