package dev.keel.transport;

import dev.keel.kernel.raft.ConfState;
import dev.keel.kernel.raft.InMemoryLogStorage;
import dev.keel.kernel.raft.RaftConfig;
import dev.keel.kernel.raft.RaftNode;
import dev.keel.kernel.raft.Ready;
import dev.keel.kernel.raft.Role;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryTransportTest {

    @Test
    void deliversInOrderCopiesBytesAndBoundsTheInbox() {
        DirectRouter router = new DirectRouter();
        InMemoryTransport a = router.connect(1, 3);
        InMemoryTransport b = router.connect(2, 3);
        byte[] payload = {1, 2, 3};
        UnsafeBuffer buffer = new UnsafeBuffer(payload);
        assertTrue(a.send(2, buffer, 0, 3));
        payload[0] = 9; // the transport copied the first send
        assertTrue(a.send(2, buffer, 1, 2));
        assertTrue(a.send(2, buffer, 0, 1));
        assertFalse(a.send(2, buffer, 0, 1), "inbox of 3 is full");
        assertFalse(a.send(7, buffer, 0, 1), "no such peer");
        List<String> got = new ArrayList<>();
        b.poll((from, buf, off, len) -> {
            StringBuilder sb = new StringBuilder(from + ":");
            for (int i = 0; i < len; i++) {
                sb.append(buf.getByte(off + i));
            }
            got.add(sb.toString());
        }, 10);
        assertEquals(List.of("1:123", "1:23", "1:9"), got);
        assertEquals(0, b.queued());
    }

    @Test
    void manyMessagesSurviveInboxCompaction() {
        DirectRouter router = new DirectRouter();
        InMemoryTransport a = router.connect(1, 100_000);
        InMemoryTransport b = router.connect(2, 100_000);
        long[] sum = {0};
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 300; i++) {
                a.send(2, new UnsafeBuffer(new byte[]{(byte) i}), 0, 1);
            }
            b.poll((from, buf, off, len) -> sum[0] += buf.getByte(off) & 0xFF, 200);
        }
        b.poll((from, buf, off, len) -> sum[0] += buf.getByte(off) & 0xFF, Integer.MAX_VALUE);
        long perRound = 0;
        for (int i = 0; i < 300; i++) {
            perRound += i & 0xFF;
        }
        assertEquals(50 * perRound, sum[0]);
    }

    /** Three kernels over in-memory transports elect a leader and commit a proposal. */
    @Test
    void carriesAKernelClusterToAgreement() {
        DirectRouter router = new DirectRouter();
        ConfState members = ConfState.ofVoters(1, 2, 3);
        RaftNode[] nodes = new RaftNode[3];
        InMemoryTransport[] transports = new InMemoryTransport[3];
        for (int i = 0; i < 3; i++) {
            nodes[i] = RaftNode.bootstrap(RaftConfig.defaults(i + 1, i), new InMemoryLogStorage(new ConfState()),
                    members);
            transports[i] = router.connect(i + 1, 1024);
        }
        nodes[0].campaign();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 3; i++) {
                RaftNode node = nodes[i];
                transports[i].poll((from, buf, off, len) -> node.step(buf, off, len), Integer.MAX_VALUE);
                while (node.hasReady()) {
                    Ready r = node.ready();
                    for (int m = 0; m < r.messageCount(); m++) {
                        transports[i].send(r.messageTo(m), r.messageBuffer(), r.messageOffset(m), r.messageLength(m));
                    }
                    node.advance();
                }
            }
            if (round == 5) {
                nodes[0].propose(new UnsafeBuffer("x".getBytes()), 0, 1);
            }
        }
        assertEquals(Role.LEADER, nodes[0].role());
        for (RaftNode node : nodes) {
            assertEquals(5, node.appliedIndex(), node.toString());
        }
    }
}
