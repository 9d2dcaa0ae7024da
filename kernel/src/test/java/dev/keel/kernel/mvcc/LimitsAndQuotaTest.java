package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.util.SplitMix64;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Validation errors with etcd's exact texts, the space quota and its alarm, and robustness to bad bytes. */
class LimitsAndQuotaTest {
    private final TestStore store = new TestStore();

    @Test
    void validationErrorsCarryEtcdsCodesAndTexts() {
        assertEquals("etcdserver: key is not provided", store.apply(new Op.Put("", "v", 0, 0)).error().message());
        assertEquals("etcdserver: value is provided",
                store.apply(new Op.Put("k", "v", 0, PutRequest.IGNORE_VALUE)).error().message());
        assertEquals("etcdserver: lease is provided",
                store.apply(new Op.Put("k", "", 3, PutRequest.IGNORE_LEASE)).error().message());
        assertEquals(MvccError.KEY_NOT_FOUND, store.apply(new Op.Put("k", "", 0, PutRequest.IGNORE_VALUE)).error());
        assertEquals(MvccError.EMPTY_KEY, store.apply(new Op.Delete("", "", false)).error());
        assertEquals(MvccError.INVALID_SORT_OPTION,
                store.range(new Op.Range("k", "", 0, 0, 3, 0, 0, 0, 0, 0, 0)).error());

        List<Op> many = new ArrayList<>();
        for (int i = 0; i < 129; i++) {
            many.add(new Op.Put("k" + i, "v", 0, 0));
        }
        Response tooMany = store.apply(new Op.Txn(List.of(), many, List.of()));
        assertEquals("etcdserver: too many operations in txn request", tooMany.error().message());
        assertEquals(3, tooMany.error().grpcCode());
        Response duplicate = store.apply(new Op.Txn(List.of(),
                List.of(new Op.Put("a", "1", 0, 0), new Op.Delete("a", "b", false)), List.of()));
        assertEquals("etcdserver: duplicate key given in txn request", duplicate.error().message());
        assertEquals(MvccError.OK, store.apply(new Op.Txn(List.of(), List.of(
                new Op.Txn(List.of(), List.of(new Op.Put("a", "1", 0, 0)), List.of(new Op.Put("a", "2", 0, 0)))),
                List.of())).error(), "then/else of a nested txn may put the same key");

        byte[] big = new byte[MvccConfig.DEFAULT_MAX_REQUEST_BYTES];
        Response tooLarge = store.apply(new Op.Put("k", new String(big, java.nio.charset.StandardCharsets.ISO_8859_1),
                0, 0));
        assertEquals("etcdserver: request is too large", tooLarge.error().message());
    }

    @Test
    void quotaRaisesTheNoSpaceAlarmButReadsDeletesAndCompactionKeepWorking() {
        TestStore small = new TestStore(new MvccConfig().quotaBytes(1000));
        String value = "x".repeat(200);
        int accepted = 0;
        while (small.apply(new Op.Put("k" + accepted, value, 0, 0)).error() == MvccError.OK) {
            accepted++;
        }
        assertEquals(3, accepted);
        assertTrue(small.sm.noSpaceAlarm());
        Response full = small.apply(new Op.Put("tiny", "", 0, 0));
        assertEquals("etcdserver: mvcc: database space exceeded", full.error().message());
        assertEquals(8, full.error().grpcCode());
        assertEquals(MvccError.NO_SPACE, small.apply(new Op.LeaseGrant(10, 1)).error());
        assertEquals(MvccError.NO_SPACE, small.apply(new Op.Txn(List.of(), List.of(new Op.Put("t", "", 0, 0)),
                List.of())).error());
        assertEquals(3, small.range(Op.Range.of("k", "l")).count());
        assertEquals(1, small.apply(new Op.Delete("k0", "", false)).deleted());
        assertEquals(MvccError.OK, small.apply(new Op.Compact(small.sm.revision())).error());
        assertTrue(small.sm.usedBytes() < 1000 - 264, "compaction released the deleted key's history");
        assertEquals(MvccError.NO_SPACE, small.apply(new Op.Put("k9", value, 0, 0)).error(), "alarm stays raised");
        assertEquals(MvccError.OK, small.apply(new Op.AlarmDisarm()).error());
        assertFalse(small.sm.noSpaceAlarm());
        assertEquals(MvccError.OK, small.apply(new Op.Put("k9", value, 0, 0)).error());
    }

    @Test
    void aHeapTooSmallForTheQuotaIsWarnedAboutButNeverChangesTheQuota() {
        long heap = HeapBudget.RESERVE_BYTES + HeapBudget.HEAP_PER_QUOTA_BYTE * 4 * 1024 * 1024; // holds 4 MiB
        String warning = HeapBudget.heapWarning(MvccConfig.DEFAULT_QUOTA_BYTES, heap);
        assertTrue(warning.contains("quota 2048 MiB") && warning.contains("needs a heap of about 9 GiB")
                && warning.contains("-Xmx9g") && warning.contains("at most " + 4 * 1024 * 1024), warning);
        assertEquals(null, HeapBudget.heapWarning(1 << 20, heap), "a quota the heap holds gets no warning");
        assertEquals(null, HeapBudget.heapWarning(MvccConfig.DEFAULT_QUOTA_BYTES,
                HeapBudget.heapFor(MvccConfig.DEFAULT_QUOTA_BYTES)), "bin/keel's default heap holds the default");
        assertTrue(HeapBudget.heapFor(MvccConfig.DEFAULT_QUOTA_BYTES) <= 9L << 30, "-Xmx9g holds 2 GiB");
        // The quota is replicated behaviour (it decides which write fails), so it comes from configuration alone:
        // the store enforces the configured quota whatever heap its process has.
        assertEquals(MvccConfig.DEFAULT_QUOTA_BYTES, new MvccConfig().quotaBytes());
    }

    @Test
    void randomBytesAreRejectedNeverThrown() {
        SplitMix64 random = new SplitMix64(42);
        ExpandableArrayBuffer out = new ExpandableArrayBuffer();
        List<byte[]> valid = List.of(new Op.Put("k", "v", 0, 1).bytes(), Op.Range.of("a", "b").bytes(),
                new Op.Txn(List.of(new Op.Cmp(0, 0, "k", "", 1, "")), List.of(new Op.Put("k", "v", 0, 0)),
                        List.of(new Op.Delete("k", "\0", true))).bytes(), new Op.Compact(1).bytes());
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = valid.get(random.nextInt(valid.size())).clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextLong();
            }
            int length = random.nextInt(4) == 0 ? random.nextInt(bytes.length + 1) : bytes.length;
            UnsafeBuffer request = new UnsafeBuffer(bytes);
            store.sm.validate(request, 0, length);
            int n = store.sm.apply(++store.raftIndex, request, 0, length, out);
            assertTrue(n > 0);
            store.sm.range(request, 0, length, out);
        }
        assertEquals(MvccError.OK, store.apply(new Op.Put("still", "works", 0, 0)).error());
    }

    @Test
    void deeplyNestedTxnsRunOutOfTheOpBudgetInsteadOfTheStack() {
        Op nested = new Op.Put("k", "v", 0, 0);
        for (int depth = 0; depth < 2000; depth++) {
            nested = new Op.Txn(List.of(), List.of(nested), List.of());
        }
        assertEquals(MvccError.TOO_MANY_OPS, store.apply(nested).error(),
                "etcd gives each nested level the budget left by its parent, so depth is bounded by max-txn-ops");
        Op ok = new Op.Put("k", "v", 0, 0);
        for (int depth = 0; depth < 100; depth++) {
            ok = new Op.Txn(List.of(), List.of(ok), List.of());
        }
        assertEquals(MvccError.OK, store.apply(ok).error());
    }
}
