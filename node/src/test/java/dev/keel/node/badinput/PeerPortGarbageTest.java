package dev.keel.node.badinput;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import dev.keel.node.Sockets;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Garbage on a member's peer port closes that connection and nothing else: each case connects to m1's peer
 * port, writes bytes that are not (or not only) a Keel handshake, and expects m1 to close the connection; the
 * 3-member cluster must then still serve a write through m1 and linearizable reads through m2 and m3 (which need
 * the members' own peer connections), and no member may have failed.
 */
class PeerPortGarbageTest {
    private static final String TOKEN = "peer-garbage";
    private static final long DEADLINE_MILLIS = 20_000;
    private static KeelCluster cluster;
    private static int round;

    @BeforeAll
    static void startCluster() {
        cluster = KeelCluster.builder().members(3).clusterToken(TOKEN).start();
        assertClusterServes();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static KVGrpc.KVBlockingStub kv(int member) {
        return GrpcClients.newClient("http://" + cluster.member(member).clientEndpoints().get(0),
                KVGrpc.KVBlockingStub.class).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    /** A write through m1, then reads of it through every member, polled until they work (or the deadline). */
    private static void assertClusterServes() {
        String value = "v" + (++round);
        ByteString key = ByteString.copyFromUtf8("after-garbage");
        Awaits.until("the cluster serves a write and reads on every member", DEADLINE_MILLIS, () -> {
            try {
                kv(0).put(PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)).build());
                for (int m = 0; m < 3; m++) {
                    String seen = kv(m).range(RangeRequest.newBuilder().setKey(key).build()).getKvs(0).getValue()
                            .toStringUtf8();
                    if (!seen.equals(value)) {
                        return false;
                    }
                }
                return true;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
        for (int m = 0; m < 3; m++) {
            assertNull(cluster.member(m).failure(), "member " + m + " failed");
        }
    }

    /** Writes {@code junk} to m1's peer port and waits until m1 closes the connection. */
    private static void assertClosedAfter(byte[] junk) throws IOException {
        assertClosedAfter(0, junk);
    }

    /** Writes {@code junk} to member {@code target}'s peer port and waits until it closes the connection. */
    private static void assertClosedAfter(int target, byte[] junk) throws IOException {
        InetSocketAddress peer = cluster.member(target).peerAddress();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", peer.getPort()), 5_000);
            s.setSoTimeout(200);
            try {
                s.getOutputStream().write(junk);
                s.getOutputStream().flush();
            } catch (IOException resetWhileWriting) {
                return;
            }
            assertTrue(Sockets.closedByPeer(s.getInputStream(), DEADLINE_MILLIS),
                    "m1 kept a connection that sent garbage open for "
                    + DEADLINE_MILLIS + " ms");
        }
        assertClusterServes();
    }

    private static byte[] handshake(byte[] tokenHash, long sender, long expected, int magic) {
        byte[] info = "garbage".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 60 + info.length);
        b.putInt(60 + info.length).putInt(magic).putShort((short) 1).putShort((short) 0).put(tokenHash)
                .putLong(sender).putLong(expected).putInt(info.length).put(info);
        return b.array();
    }

    private static byte[] sha256(String token) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    }

    private static final int KEEL_MAGIC = 0x4B45454C;

    @Test
    void randomBytes() throws IOException {
        byte[] junk = new byte[4096];
        new Random(42).nextBytes(junk);
        assertClosedAfter(junk);
    }

    @Test
    void aHugeLengthPrefix() throws IOException {
        assertClosedAfter(new byte[]{0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4});
    }

    @Test
    void aZeroLengthFrame() throws IOException {
        assertClosedAfter(new byte[]{0, 0, 0, 0, 0, 0, 0, 0});
    }

    @Test
    void anHttpRequest() throws IOException {
        assertClosedAfter("GET /members HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aHandshakeWithTheWrongMagic() throws Exception {
        assertClosedAfter(handshake(sha256(TOKEN), 7, cluster.member(0).memberId(), 0x12345678));
    }

    @Test
    void aHandshakeWithTheWrongClusterToken() throws Exception {
        assertClosedAfter(handshake(sha256("another-cluster"), 7, cluster.member(0).memberId(), KEEL_MAGIC));
    }

    @Test
    void aHandshakeFromAStranger() throws Exception {
        assertClosedAfter(handshake(sha256(TOKEN), 0x1234, cluster.member(0).memberId(), KEEL_MAGIC));
    }

    @Test
    void aHandshakeAsAnotherMemberThenGarbageFrames() throws Exception {
        // Claims to be a member with the right token, to the member that accepts that member's connections (the
        // higher ID accepts), so the handshake passes; the frame after it is junk. The target must drop this
        // connection and the real member must get (or keep) its own, which the reads through it then prove.
        int target = 0;
        for (int m = 1; m < 3; m++) {
            target = cluster.member(m).memberId() > cluster.member(target).memberId() ? m : target;
        }
        int impersonated = (target + 1) % 3;
        byte[] hello = handshake(sha256(TOKEN), cluster.member(impersonated).memberId(),
                cluster.member(target).memberId(), KEEL_MAGIC);
        byte[] junk = new byte[512];
        new Random(7).nextBytes(junk);
        ByteBuffer b = ByteBuffer.allocate(hello.length + 4 + junk.length);
        b.put(hello).putInt(junk.length).put(junk);
        assertClosedAfter(target, b.array());
        assertEquals(3, cluster.size());
    }
}
