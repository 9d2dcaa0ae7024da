package dev.keel.node.badinput;

import static dev.keel.node.badinput.Http2HostileTest.DATA;
import static dev.keel.node.badinput.Http2HostileTest.END_HEADERS;
import static dev.keel.node.badinput.Http2HostileTest.HEADERS;
import static dev.keel.node.badinput.Http2HostileTest.frame;
import static dev.keel.node.badinput.Http2HostileTest.grpcHeaders;
import static dev.keel.node.badinput.Http2HostileTest.grpcMessage;
import static dev.keel.node.badinput.Http2HostileTest.hpack;
import static dev.keel.node.badinput.Http2HostileTest.serverSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.keel.node.KeelCluster;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --max-concurrent-streams} as etcd's: the member advertises the limit in its HTTP/2 SETTINGS, serves that
 * many streams on one connection, and refuses the next one (RST_STREAM with REFUSED_STREAM, which clients retry)
 * while the connection and the other streams go on.
 */
class MaxConcurrentStreamsTest {
    private static final int LIMIT = 4;
    private static final int RST_STREAM = 0x3;
    private static final int REFUSED_STREAM = 0x7;
    private static KeelCluster cluster;
    private static InetSocketAddress client;

    @BeforeAll
    static void startNode() {
        cluster = ClientPortHostileTest.servingMember(KeelCluster.builder().members(1).configure(c -> c.withMaxConcurrentStreams(LIMIT)));
        client = ClientPortHostileTest.clientAddress(cluster);
    }

    @AfterAll
    static void stopNode() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theLimitIsAdvertisedAndTheStreamBeyondItIsRefused() throws IOException {
        try (Socket s = Http2HostileTest.open(client)) {
            Map<Integer, Long> settings = serverSettings(s);
            assertEquals((long) LIMIT, settings.get(0x3), "SETTINGS_MAX_CONCURRENT_STREAMS " + settings);
            byte[] watch = grpcMessage(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("streams"))).build());
            byte[] headers = hpack(grpcHeaders("etcdserverpb.Watch/Watch"));
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            // Acknowledge the node's SETTINGS, as every client does: its limits apply from then on (RFC 9113 6.5.3).
            batch.write(frame(Http2HostileTest.SETTINGS, 1, 0, new byte[0]));
            // Watch streams stay open (no END_STREAM): LIMIT of them, then the HEADERS of one more (a client sends
            // its body only once the stream is accepted; DATA on a refused stream would end the connection).
            for (int i = 0, stream = 1; i < LIMIT; i++, stream += 2) {
                batch.write(frame(HEADERS, END_HEADERS, stream, headers));
                batch.write(frame(DATA, 0, stream, watch));
            }
            batch.write(frame(HEADERS, END_HEADERS, 2 * LIMIT + 1, headers));
            s.getOutputStream().write(batch.toByteArray());
            s.getOutputStream().flush();
            Map<Integer, Integer> answered = answersPerStream(s, LIMIT + 1);
            int beyond = 2 * LIMIT + 1;
            assertEquals(REFUSED_STREAM, answered.get(beyond), "stream " + beyond + ": " + answered);
            for (int stream = 1; stream < beyond; stream += 2) {
                assertEquals(HEADERS, answered.get(stream), "stream " + stream + " served: " + answered);
            }
        }
        ClientPortHostileTest.assertServesOn(cluster, "after the refused stream");
        assertNull(cluster.member(0).failure());
    }

    /**
     * Reads frames until {@code streams} streams have had their first answer: HEADERS (the call is served) or
     * RST_STREAM (mapped to its error code). A GOAWAY fails the test with the frames seen as (type@stream).
     */
    private static Map<Integer, Integer> answersPerStream(Socket s, int streams) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        Map<Integer, Integer> first = new HashMap<>();
        StringBuilder seen = new StringBuilder();
        while (first.size() < streams) {
            int length = in.readUnsignedByte() << 16 | in.readUnsignedShort();
            int type = in.readUnsignedByte();
            in.readUnsignedByte();
            int stream = in.readInt() & 0x7FFF_FFFF;
            byte[] payload = new byte[length];
            in.readFully(payload);
            seen.append(type).append('@').append(stream).append(' ');
            if (type == 0x7) {
                throw new AssertionError("the node ended the connection (GOAWAY) after frames " + seen + ": " + java.nio.ByteBuffer.wrap(payload).getInt(4)
                        + " " + new String(payload, 8, payload.length - 8));
            }
            if (type == HEADERS) {
                first.putIfAbsent(stream, HEADERS);
            } else if (type == RST_STREAM) {
                first.putIfAbsent(stream, java.nio.ByteBuffer.wrap(payload).getInt());
            }
        }
        assertTrue(first.size() >= streams);
        return first;
    }
}
