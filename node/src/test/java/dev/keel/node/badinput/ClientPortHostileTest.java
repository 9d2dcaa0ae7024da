package dev.keel.node.badinput;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile HTTP clients on the client port (the JSON gateway over HTTP/1.1): a 1 GiB body declared or streamed,
 * and a body that trickles in. Each is refused without the node buffering it, the refusal is logged with the
 * client's address, and a good gRPC client is served meanwhile and after. The node runs in this JVM so its heap
 * can be measured.
 */
class ClientPortHostileTest {
    private static final long GIB = 1L << 30;
    private static KeelCluster cluster;
    private static InetSocketAddress client;
    private PrintStream originalErr;
    private ByteArrayOutputStream log;

    @BeforeAll
    static void startNode() {
        cluster = servingMember(KeelCluster.builder().members(1));
        client = clientAddress(cluster);
    }

    /** Starts the one-member cluster and waits until it leads and takes writes. */
    static KeelCluster servingMember(KeelCluster.Builder builder) {
        KeelCluster started = builder.start();
        Awaits.until("the member leads and takes writes", 60_000, () -> {
            try {
                assertServesOn(started, "ready");
                return true;
            } catch (RuntimeException noLeaderYet) {
                return false;
            }
        });
        return started;
    }

    /** @return the first member's client address */
    static InetSocketAddress clientAddress(KeelCluster c) {
        String[] hostPort = c.member(0).clientEndpoints().get(0).split(":");
        return new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    }

    @AfterAll
    static void stopNode() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** slf4j-simple writes to whatever System.err is at the time, so the node's log lines are teed here. */
    @BeforeEach
    void captureLog() {
        originalErr = System.err;
        log = new ByteArrayOutputStream();
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                originalErr.write(b);
                synchronized (log) {
                    log.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                originalErr.write(b, off, len);
                synchronized (log) {
                    log.write(b, off, len);
                }
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void nodeStillServes() {
        System.setErr(originalErr);
        assertServes("after");
        assertNull(cluster.member(0).failure());
    }

    static KVGrpc.KVBlockingStub kv() {
        return GrpcClients.newClient("http://" + cluster.member(0).clientEndpoints().get(0),
                KVGrpc.KVBlockingStub.class).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    static void assertServes(String when) {
        assertServesOn(cluster, when);
    }

    /** A put then a get through a fresh gRPC client of {@code c}'s first member. */
    static void assertServesOn(KeelCluster c, String when) {
        assertServesOn(c, when, 10);
    }

    /** As above, each call with a deadline of {@code seconds}. */
    static void assertServesOn(KeelCluster c, String when, int seconds) {
        KVGrpc.KVBlockingStub kv = GrpcClients.newClient("http://" + c.member(0).clientEndpoints().get(0),
                KVGrpc.KVBlockingStub.class).withDeadlineAfter(seconds, TimeUnit.SECONDS);
        kv.put(PutRequest.newBuilder().setKey(bs("alive")).setValue(bs(when)).build());
        assertEquals(when, kv.range(RangeRequest.newBuilder().setKey(bs("alive")).build()).getKvs(0).getValue()
                .toStringUtf8());
    }

    static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    /** Asserts a refusal line naming the route, the client's own address (its local port) and the reason. */
    private void assertLogged(Socket s, String reason) {
        String port = ":" + s.getLocalPort();
        Awaits.until("a refusal logged for " + port, 10_000, () -> {
            String text;
            synchronized (log) {
                text = log.toString(StandardCharsets.UTF_8);
            }
            return text.lines().anyMatch(l -> l.contains("gateway: refused /v3/kv/put") && l.contains(port)
                    && l.contains(reason));
        });
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        System.gc();
        return r.totalMemory() - r.freeMemory();
    }

    private static String head(String transfer) {
        return "POST /v3/kv/put HTTP/1.1\r\nHost: keel\r\nContent-Type: application/json\r\n" + transfer + "\r\n";
    }

    @Test
    void aDeclaredGibibyteBodyIsRefusedBeforeAnyOfItIsRead() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(client, 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(head("Content-Length: " + GIB + "\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = readAvailable(s.getInputStream());
            assertTrue(answer.contains("received message larger than max (" + GIB), answer);
            assertLogged(s, "Content-Length " + GIB + " over the cap");
        }
    }

    @Test
    void aStreamedGibibyteBodyIsCutAtTheCapWithoutBeingBuffered() throws Exception {
        long before = usedHeap();
        long sent = 0;
        try (Socket s = new Socket()) {
            s.connect(client, 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head("Transfer-Encoding: chunked\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = chunk(64 * 1024);
            try {
                while (sent < GIB) {
                    out.write(chunk);
                    sent += 64 * 1024;
                }
            } catch (IOException closedByTheNode) {
                // expected: the node answers at the cap and drops the connection
            }
            long grown = usedHeap() - before;
            System.out.printf("streamed body: %d MiB sent before the node closed, heap grew %d MiB%n",
                    sent >> 20, grown >> 20);
            // The cap is 2 × (1.5 MiB + 512 KiB); past it Armeria discards what arrives (how much before it closes
            // varies), so the bound is on what the node keeps: nowhere near the gibibyte sent.
            assertTrue(grown < 128L << 20, "heap grew " + grown + " after " + sent + " bytes sent");
            assertLogged(s, "body over the cap");
        }
    }

    private static byte[] chunk(int size) {
        byte[] hex = (Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] c = new byte[hex.length + size + 2];
        System.arraycopy(hex, 0, c, 0, hex.length);
        java.util.Arrays.fill(c, hex.length, hex.length + size, (byte) ' ');
        c[c.length - 2] = '\r';
        c[c.length - 1] = '\n';
        return c;
    }

    @Test
    void aBodyTricklingInIsCutAfterTheBodyTimeout() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(client, 5_000);
            s.setSoTimeout(1_000);
            OutputStream out = s.getOutputStream();
            out.write(head("Content-Length: 1000\r\n").getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(dev.keel.node.gateway.JsonGateway.BODY_TIMEOUT_MILLIS
                    + 20_000);
            String answer = "";
            // One byte a second, never finishing, while a good client is served.
            while (answer.isEmpty() && System.nanoTime() < deadline) {
                out.write(' ');
                out.flush();
                assertServes("during the trickle");
                answer = readAvailable(s.getInputStream());
            }
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(answer.contains("DEADLINE_EXCEEDED") || answer.contains("request body not received"), answer);
            assertTrue(tookMillis >= dev.keel.node.gateway.JsonGateway.BODY_TIMEOUT_MILLIS - 1_000, "" + tookMillis);
            assertLogged(s, "request body not received within");
        }
    }

    /** What the node sends until it pauses for a second or closes; "" if it sent nothing in that second. */
    static String readAvailable(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                got.write(buf, 0, n);
                if (in.available() == 0 && got.toString(StandardCharsets.UTF_8).contains("}")) {
                    break;
                }
            }
        } catch (SocketTimeoutException pause) {
            // nothing more for now
        } catch (IOException reset) {
            if (got.size() == 0) {
                return "connection reset";
            }
        }
        return got.toString(StandardCharsets.UTF_8);
    }
}
