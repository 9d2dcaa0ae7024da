package dev.keel.replica;

import dev.keel.kernel.mvcc.HeapBudget;
import dev.keel.kernel.mvcc.MvccConfig;
import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.mvcc.codec.ResponseView;
import dev.keel.replica.testing.Kv;
import dev.keel.replica.testing.TestCluster;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A heap too small for the configured quota (etcd's 2 GiB default here) clamps it: every member raises NOSPACE at
 * the clamp, at the same entry, and the cluster stays up, answering reads and deletes.
 */
class HeapQuotaTest {
    private static final long CLAMP = 2L << 20;
    private static final long HEAP = HeapBudget.RESERVE_BYTES + HeapBudget.HEAP_PER_QUOTA_BYTE * CLAMP;

    @Test
    void aSmallHeapRaisesNoSpaceAtTheClampAndTheClusterStillReadsAndDeletes() {
        TestCluster c = new TestCluster(3, config -> config.withMvcc(new MvccConfig().ticksPerSecond(10)
                .maxHeapBytes(HEAP)));
        c.elect(1);
        assertEquals(MvccConfig.DEFAULT_QUOTA_BYTES, c.node(1).config.mvcc().quotaBytes());
        assertEquals(CLAMP, c.node(1).config.mvcc().effectiveQuotaBytes());
        String value = "v".repeat(4000);
        int accepted = 0;
        MvccError error = MvccError.OK;
        while (error == MvccError.OK && accepted < 1000) { // 2 MiB of 4 KB values take about 500 puts
            TestCluster.Outcome outcome = c.putAndSettle(1, "k" + accepted, value);
            assertTrue(outcome.succeeded(), "applied (its response may carry an error)");
            error = new ResponseView().wrap(new UnsafeBuffer(outcome.response()), 0, outcome.response().length)
                    .error();
            accepted += error == MvccError.OK ? 1 : 0;
        }
        assertEquals(MvccError.NO_SPACE, error, "the write past the clamp fails with NOSPACE");
        for (TestCluster.Node n : c.nodes()) {
            assertTrue(n.replica.mvcc().noSpaceAlarm(), "alarm raised on member " + n.id);
            assertTrue(n.replica.mvcc().usedBytes() <= CLAMP && n.replica.mvcc().usedBytes() > CLAMP - 8000,
                    "stored bytes at the clamp: " + n.replica.mvcc().usedBytes());
        }
        assertTrue(accepted > 400, "about 2 MiB of 4 KB values were accepted: " + accepted);

        long read = c.get(2, "k0", false);
        c.settle();
        assertEquals(value, Kv.value(c.node(2).outcome(read).response()), "a linearizable read still works");
        long delete = newDelete(c, "k0");
        c.settle();
        assertTrue(c.node(1).outcome(delete).succeeded(), "a delete still works");
        for (TestCluster.Node n : c.nodes()) {
            assertEquals(null, c.valueAt(n.id, "k0"), "deleted on member " + n.id);
        }
    }

    private static long newDelete(TestCluster c, String key) {
        long token = c.newToken();
        Kv.Request r = Kv.delete(key);
        c.node(1).replica.write(token, r.buffer(), 0, r.length());
        return token;
    }
}
