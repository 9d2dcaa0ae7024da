package dev.keel.replica;

import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.ResponseView;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import dev.keel.replica.testing.TestCluster;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leases end on the leader's clock and through the log: a lease nobody keeps alive is revoked by the leader's
 * proposal after its TTL and its keys vanish on every replica; keepalives at the leader hold it; a follower
 * refuses keepalives with "not leader".
 */
class LeaseExpiryTest {
    private static final int TICKS_PER_SECOND = 10;

    @Test
    void aLeaseNobodyKeepsAliveExpiresOnEveryReplica() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        long lease = grant(c, 2);
        putOnLease(c, "svc/a", lease);
        assertEquals("1", c.valueAt(2, "svc/a"));
        for (int i = 0; i < 3 * TICKS_PER_SECOND + 20; i++) {
            c.tickAll();
            c.settle();
        }
        for (TestCluster.Node n : c.nodes()) {
            assertNull(c.valueAt(n.id, "svc/a"), "node " + n.id + " still holds the expired lease's key");
        }
    }

    @Test
    void keepalivesAtTheLeaderHoldTheLeaseAndAFollowerRefusesThem() {
        TestCluster c = new TestCluster(3);
        c.elect(1);
        long lease = grant(c, 2);
        putOnLease(c, "svc/b", lease);
        for (int i = 0; i < 6 * TICKS_PER_SECOND; i++) {
            if (i % 5 == 0) {
                long token = c.newToken();
                c.node(1).replica.keepAlive(token, lease);
                assertTrue(c.node(1).outcome(token).succeeded(), "the leader serves keepalives");
            }
            c.tickAll();
            c.settle();
        }
        assertEquals("1", c.valueAt(3, "svc/b"), "a lease kept alive must not expire");
        long token = c.newToken();
        c.node(2).replica.keepAlive(token, lease);
        assertEquals(dev.keel.kernel.mvcc.MvccError.NOT_LEADER, c.node(2).outcome(token).rejection());
    }

    private static long grant(TestCluster c, long ttlSeconds) {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
        int n = SmallRequests.encodeLeaseGrant(out, 0, ttlSeconds, 0);
        long token = c.newToken();
        c.node(1).replica.write(token, out, 0, n);
        c.settle();
        TestCluster.Outcome o = c.node(1).outcome(token);
        assertNotNull(o);
        assertTrue(o.succeeded(), "lease grant: " + o);
        ResponseView view = new ResponseView().wrap(new UnsafeBuffer(o.response()), 0, o.response().length);
        return view.bodyLong(0);
    }

    private static void putOnLease(TestCluster c, String key, long lease) {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
        UnsafeBuffer k = new UnsafeBuffer(key.getBytes(StandardCharsets.US_ASCII));
        UnsafeBuffer v = new UnsafeBuffer("1".getBytes(StandardCharsets.US_ASCII));
        int n = PutRequest.encode(out, 0, k, 0, k.capacity(), v, 0, v.capacity(), lease, 0);
        long token = c.newToken();
        c.node(1).replica.write(token, out, 0, n);
        c.settle();
        assertTrue(c.node(1).outcome(token).succeeded(), "put on lease");
    }
}
