package dev.keel.simulator;

import dev.keel.kernel.mvcc.MvccConfig;
import dev.keel.kernel.mvcc.MvccStateMachine;
import dev.keel.kernel.mvcc.codec.DeleteRangeRequest;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import dev.keel.kernel.raft.EntryType;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference model agrees with the real MVCC store on a small history, and fails the run — naming the node,
 * the request and both answers — when a replica's answer differs: a wrong revision, prev kv or deleted count at
 * apply, a wrong kv or a missing "more" in a served range, "compacted" for a revision that was not compacted,
 * and data for one that was.
 */
class ReferenceStoreTest {
    private final MvccStateMachine store = new MvccStateMachine(new MvccConfig());
    private final ReferenceStore reference = new ReferenceStore();
    private final ExpandableArrayBuffer entry = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer response = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer request = new ExpandableArrayBuffer(256);
    private long index;

    private static UnsafeBuffer bytes(String s) {
        return new UnsafeBuffer(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Encodes a request at offset 16 of {@code entry} (behind a proposal envelope); returns its length. */
    private int put(String key, String value, int flags) {
        UnsafeBuffer k = bytes(key);
        UnsafeBuffer v = bytes(value);
        return PutRequest.encode(entry, 16, k, 0, k.capacity(), v, 0, v.capacity(), 0, flags);
    }

    /** Applies the entry to the real store; {@code tamper} may change its answer before the reference sees it. */
    private void apply(int requestLength, java.util.function.IntConsumer tamper) {
        index++;
        int n = store.apply(index, entry, 16, requestLength, response);
        tamper.accept(n);
        reference.onApplied(1, index, EntryType.NORMAL, entry, 0, 16 + requestLength, response, n);
    }

    private void apply(int requestLength) {
        apply(requestLength, n -> { });
    }

    private int range(String key, String end, RangeRequest.Options o) {
        UnsafeBuffer k = bytes(key);
        UnsafeBuffer e = bytes(end);
        return RangeRequest.encode(request, 0, k, 0, k.capacity(), e, 0, e.capacity(), o);
    }

    private void read(int length, java.util.function.IntConsumer tamper) {
        int n = store.range(request, 0, length, response);
        tamper.accept(n);
        reference.checkRead(2, store.appliedIndex(), request, 0, length, response, n);
    }

    private void history() {
        apply(put("k/00", "1", 0));
        apply(put("k/01", "2", 0));
        apply(put("k/00", "3", PutRequest.PREV_KV));
        UnsafeBuffer k = bytes("k/02");
        apply(DeleteRangeRequest.encode(entry, 16, k, 0, k.capacity(), k, 0, 0, DeleteRangeRequest.PREV_KV));
        apply(put("k/02", "4", 0));
    }

    @Test
    void agreesWithTheRealStore() {
        assertDoesNotThrow(() -> {
            history();
            RangeRequest.Options o = new RangeRequest.Options().reset();
            o.limit = 2;
            o.sortOrder = RangeRequest.SORT_DESCEND;
            o.sortTarget = RangeRequest.TARGET_MOD;
            read(range("k/", "k0", o), n -> { });
            o.reset();
            o.revision = 2;
            read(range("k/", "k0", o), n -> { });
            o.reset();
            o.flags = RangeRequest.COUNT_ONLY;
            read(range("k/", "k0", o), n -> { });
        });
        assertTrue(reference.checkedWrites() == 5 && reference.checkedReads() == 3);
    }

    @Test
    void aWrongRevisionAtApplyFailsTheRun() {
        history();
        SimulationFailure f = assertThrows(SimulationFailure.class, () -> apply(put("k/03", "5", 0),
                n -> response.putLong(ResponseLayout.REVISION_OFFSET, response.getLong(ResponseLayout.REVISION_OFFSET) + 1)));
        assertTrue(f.getMessage().contains("node 1") && f.getMessage().contains("put k/03=5"), f.getMessage());
    }

    @Test
    void aWrongPrevKvFailsTheRun() {
        history();
        // the prev kv's mod revision sits in the body after the create revision
        assertThrows(SimulationFailure.class, () -> apply(put("k/01", "6", PutRequest.PREV_KV),
                n -> response.putLong(ResponseLayout.HEADER_LENGTH + 8, 99)));
    }

    @Test
    void aWrongDeletedCountFailsTheRun() {
        history();
        UnsafeBuffer k = bytes("x/00");
        int length = DeleteRangeRequest.encode(entry, 16, k, 0, k.capacity(), k, 0, 0, 0);
        assertThrows(SimulationFailure.class, () -> apply(length, n -> response.putLong(ResponseLayout.HEADER_LENGTH, 1)));
    }

    @Test
    void aWrongServedRangeFailsTheRun() {
        history();
        RangeRequest.Options o = new RangeRequest.Options().reset();
        o.limit = 1;
        int length = range("k/", "k0", o);
        // drop the "more" flag
        SimulationFailure f = assertThrows(SimulationFailure.class, () -> read(length,
                n -> response.putByte(ResponseLayout.FLAGS_OFFSET, (byte) 0)));
        assertTrue(f.getMessage().contains("node 2") && f.getMessage().contains("limit 1"), f.getMessage());
        // a version off by one
        assertThrows(SimulationFailure.class, () -> read(range("k/00", "", o.reset()),
                n -> response.putLong(ResponseLayout.KVS_AT + 16, 7)));
    }

    @Test
    void compactedOnlyWhenTrulyCompacted() {
        history();
        apply(SmallRequests.encodeCompact(entry, 16, 4, 0));
        RangeRequest.Options o = new RangeRequest.Options().reset();
        o.revision = 4; // the compaction revision itself is still readable
        int atCompaction = range("k/", "k0", o);
        assertDoesNotThrow(() -> read(atCompaction, n -> { }));
        SimulationFailure f = assertThrows(SimulationFailure.class, () -> read(atCompaction,
                n -> ResponseLayout.writeError(response, 0, dev.keel.kernel.mvcc.codec.RequestType.RANGE,
                        dev.keel.kernel.mvcc.MvccError.COMPACTED.wireId(), store.revision())));
        assertTrue(f.getMessage().contains("COMPACTED"), f.getMessage());
        o.revision = 3; // below it: the answer must be "compacted", never data
        int below = range("k/", "k0", o);
        assertDoesNotThrow(() -> read(below, n -> { }));
        ExpandableArrayBuffer currentRange = new ExpandableArrayBuffer(64);
        UnsafeBuffer k = bytes("k/");
        UnsafeBuffer e = bytes("k0");
        int now = RangeRequest.encode(currentRange, 0, k, 0, k.capacity(), e, 0, e.capacity(),
                new RangeRequest.Options().reset());
        int servedLength = store.range(currentRange, 0, now, response);
        int served = store.range(request, 0, below, new ExpandableArrayBuffer(64));
        assertTrue(served == ResponseLayout.HEADER_LENGTH); // the real store says "compacted"
        SimulationFailure g = assertThrows(SimulationFailure.class, () -> reference.checkRead(2, store.appliedIndex(),
                request, 0, below, response, servedLength)); // data instead
        assertTrue(g.getMessage().contains("COMPACTED"), g.getMessage());
    }
}
