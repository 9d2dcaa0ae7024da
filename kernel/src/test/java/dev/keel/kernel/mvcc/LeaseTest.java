package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.codec.ResponseView;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leases: grant, minimum TTL, keepalive, leader-only expiry from ticks, promotion refresh, revoke. */
class LeaseTest {
    private static final int TPS = 10;
    private final TestStore store = new TestStore(new MvccConfig().ticksPerSecond(TPS));
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer();

    private void ticks(int n) {
        for (int i = 0; i < n; i++) {
            store.sm.tick();
        }
    }

    private LongArrayList expired() {
        LongArrayList ids = new LongArrayList();
        store.sm.expiredLeases(ids);
        return ids;
    }

    @Test
    void grantRaisesTtlToTheMinimumAndRejectsHugeTtls() {
        Response grant = store.apply(new Op.LeaseGrant(1, 7));
        assertEquals(7, grant.leaseId());
        assertEquals(2, grant.ttl()); // etcd: "granted with TTL(2s)" for --ttl 1
        assertEquals(MvccError.LEASE_EXISTS, store.apply(new Op.LeaseGrant(5, 7)).error());
        Response huge = store.apply(new Op.LeaseGrant(9_000_000_001L, 8));
        assertEquals(MvccError.LEASE_TTL_TOO_LARGE, huge.error());
        assertEquals("etcdserver: too large lease TTL", huge.error().message());
    }

    @Test
    void generatedIdsAreDerivedFromTheRaftIndexSoReplicasAgree() {
        TestStore other = new TestStore();
        long a = store.apply(new Op.LeaseGrant(10, 0)).leaseId();
        long b = other.apply(new Op.LeaseGrant(10, 0)).leaseId();
        assertEquals(a, b);
        assertTrue(a > 0);
        assertNotEquals(a, store.apply(new Op.LeaseGrant(10, 0)).leaseId());
    }

    @Test
    void onlyTheLeaderExpiresAndARevokeDeletesAttachedKeysInOneRevision() {
        store.apply(new Op.LeaseGrant(3, 1));
        store.apply(new Op.Put("k2", "v", 1, 0));
        store.apply(new Op.Put("k1", "v", 1, 0));
        store.apply(new Op.Put("other", "v", 0, 0));
        ticks(100);
        assertTrue(expired().isEmpty(), "a follower never expires leases");

        store.sm.promote(5);
        ticks(3 * TPS + 4);
        assertTrue(expired().isEmpty(), "promotion extends the lease by the election timeout");
        ticks(1);
        assertEquals(List.of(1L), expired());
        assertTrue(expired().isEmpty(), "reported once, then retried after 3 s");

        long before = store.sm.revision();
        Response revoke = store.apply(new Op.LeaseRevoke(1));
        assertEquals(before + 1, revoke.revision());
        assertEquals(0, store.range(Op.Range.of("k", "l")).count());
        assertEquals(1, store.range(Op.Range.of("other", "")).count());
        assertEquals(MvccError.LEASE_NOT_FOUND, store.apply(new Op.LeaseRevoke(1)).error());
    }

    @Test
    void keepAliveRestartsTheTtlOnTheLeaderOnly() {
        store.apply(new Op.LeaseGrant(5, 9));
        ResponseView view = new ResponseView();
        int n = store.sm.keepAlive(9, out);
        assertEquals(MvccError.NOT_LEADER, view.wrap(out, 0, n).error());

        store.sm.promote(0);
        ticks(4 * TPS);
        n = store.sm.keepAlive(9, out);
        assertEquals(MvccError.OK, view.wrap(out, 0, n).error());
        assertEquals(5, view.bodyLong(1));
        ticks(4 * TPS);
        assertTrue(expired().isEmpty(), "keepalive restarted the TTL");
        ticks(TPS);
        assertEquals(List.of(9L), expired());
        n = store.sm.keepAlive(9, out);
        assertEquals(MvccError.LEASE_NOT_FOUND, view.wrap(out, 0, n).error(), "an expired lease cannot be renewed");
        n = store.sm.keepAlive(404, out);
        assertEquals(MvccError.LEASE_NOT_FOUND, view.wrap(out, 0, n).error());
    }

    @Test
    void checkpointedRemainingTtlIsWhatANewLeaderRestartsFrom() {
        store.apply(new Op.LeaseGrant(60, 4));
        ExpandableArrayBuffer entry = new ExpandableArrayBuffer();
        int length = dev.keel.kernel.mvcc.codec.SmallRequests.encodeLeaseCheckpoint(entry, 0, new long[]{4},
                new long[]{7}, 1);
        store.sm.apply(++store.raftIndex, entry, 0, length, out);
        store.sm.promote(0);
        ticks(7 * TPS - 1);
        assertTrue(expired().isEmpty());
        ticks(1);
        assertEquals(List.of(4L), expired());
    }

    @Test
    void timeToLiveAndLeasesList() {
        store.apply(new Op.LeaseGrant(30, 3));
        store.apply(new Op.LeaseGrant(30, 2));
        store.apply(new Op.Put("k2", "v", 3, 0));
        store.apply(new Op.Put("k1", "v", 3, 0));
        store.sm.promote(0);
        ticks(15);
        int n = store.sm.timeToLive(3, true, out);
        ResponseView view = new ResponseView().wrap(out, 0, n);
        assertEquals(3, view.bodyLong(0));
        assertEquals(28, view.bodyLong(1)); // 28.5 s left, whole seconds as etcd truncates
        assertEquals(30, view.bodyLong(2));
        assertEquals(2, view.bodyInt(24));
        assertEquals("k1", new String(new byte[]{out.getByte(view.bodyAt() + 32), out.getByte(view.bodyAt() + 33)}));
        n = store.sm.timeToLive(99, false, out);
        assertEquals(-1, new ResponseView().wrap(out, 0, n).bodyLong(1));

        n = store.sm.leases(out);
        view.wrap(out, 0, n);
        assertEquals(ResponseLayout.LEASES, view.type());
        assertEquals(2, view.bodyInt(0));
        assertEquals(2, out.getLong(view.bodyAt() + 4));
        assertEquals(3, out.getLong(view.bodyAt() + 12));
    }

    @Test
    void putWithUnknownLeaseFailsAndMovingAKeyDetachesItFromTheOldLease() {
        assertEquals(MvccError.LEASE_NOT_FOUND, store.apply(new Op.Put("k", "v", 5, 0)).error());
        store.apply(new Op.LeaseGrant(30, 5));
        store.apply(new Op.LeaseGrant(30, 6));
        store.apply(new Op.Put("k", "v", 5, 0));
        store.apply(new Op.Put("k", "v", 6, 0));
        store.apply(new Op.LeaseRevoke(5));
        assertEquals(1, store.range(Op.Range.of("k", "")).count());
        store.apply(new Op.LeaseRevoke(6));
        assertEquals(0, store.range(Op.Range.of("k", "")).count());
    }

    @Test
    void theLeaderProducesCheckpointsAndClearsThemOnKeepAlive() {
        store.apply(new Op.LeaseGrant(60, 4));
        assertEquals(0, store.sm.leaseCheckpoint(out), "followers propose no checkpoints");
        store.sm.promote(0);
        ticks(10 * TPS);
        ExpandableArrayBuffer entry = new ExpandableArrayBuffer();
        int length = store.sm.leaseCheckpoint(entry);
        assertEquals(MvccError.OK, store.sm.validate(entry, 0, length));
        assertEquals(4, dev.keel.kernel.mvcc.codec.SmallRequests.checkpointId(entry, 0, 0));
        assertEquals(50, dev.keel.kernel.mvcc.codec.SmallRequests.checkpointRemaining(entry, 0, 0));
        store.sm.apply(++store.raftIndex, entry, 0, length, out);

        store.sm.keepAlive(4, out);
        length = store.sm.leaseCheckpoint(entry);
        assertEquals(4, dev.keel.kernel.mvcc.codec.SmallRequests.checkpointId(entry, 0, 0));
        assertEquals(0, dev.keel.kernel.mvcc.codec.SmallRequests.checkpointRemaining(entry, 0, 0),
                "a renewed lease's checkpoint is cleared first");
    }

    @Test
    void manyLeasesExpireInExpiryThenIdOrder() {
        store.sm.promote(0);
        for (int i = 1; i <= 40; i++) {
            // TTLs 2..4 s, many leases per TTL; all expire before the first 3 s retry (tick 50)
            store.apply(new Op.LeaseGrant(2 + (i * 7) % 3, 100 - i));
        }
        LongArrayList all = new LongArrayList();
        for (int t = 0; t < 5 * TPS - 1; t++) {
            store.sm.tick();
            store.sm.expiredLeases(all);
        }
        assertEquals(40, all.size());
        long[] order = all.toLongArray();
        for (int i = 1; i < order.length; i++) {
            long ttlPrev = 2 + ((100 - order[i - 1]) * 7) % 3;
            long ttl = 2 + ((100 - order[i]) * 7) % 3;
            assertTrue(ttlPrev < ttl || (ttlPrev == ttl && order[i - 1] < order[i]), "order at " + i);
        }
    }
}
