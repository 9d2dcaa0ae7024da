package dev.keel.node.badinput;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.keel.node.KeelCluster;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile HTTP/2 (h2c) clients on the client port, written as raw frames: malformed frames after the preface
 * must end that connection (GOAWAY or close), and a client holding many Watch and unary streams without ever
 * reading or granting window must be held to the advertised stream limit and the flow-control windows. After
 * each, a good gRPC client is served and the node has not failed.
 */
class Http2HostileTest {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int SETTINGS = 0x4;
    private static final int GOAWAY = 0x7;
    private static final int CONTINUATION = 0x9;
    static final int END_STREAM = 0x1;
    static final int END_HEADERS = 0x4;
    private static KeelCluster cluster;
    private static InetSocketAddress client;

    @BeforeAll
    static void startNode() {
        cluster = ClientPortHostileTest.servingMember(KeelCluster.builder().members(1));
        client = ClientPortHostileTest.clientAddress(cluster);
    }

    @AfterAll
    static void stopNode() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void nodeStillServes() {
        ClientPortHostileTest.assertServesOn(cluster, "after");
        assertNull(cluster.member(0).failure());
    }

    static byte[] frame(int length, int type, int flags, int stream, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(9 + payload.length);
        b.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length);
        b.put((byte) type).put((byte) flags).putInt(stream).put(payload);
        return b.array();
    }

    static byte[] frame(int type, int flags, int stream, byte[] payload) {
        return frame(payload.length, type, flags, stream, payload);
    }

    private static Socket open(byte[]... settings) throws IOException {
        return open(client, settings);
    }

    /** Connects to {@code to}, sends the client preface and one SETTINGS frame (the given payload, or empty). */
    static Socket open(InetSocketAddress to, byte[]... settings) throws IOException {
        Socket s = new Socket();
        s.connect(to, 5_000);
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(PREFACE);
        out.write(frame(SETTINGS, 0, 0, settings.length == 0 ? new byte[0] : settings[0]));
        return s;
    }

    /** Reads frames until a GOAWAY or the close; false if the node kept the connection open for 10 s. */
    private static boolean endedByNode(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        try {
            while (true) {
                int length = in.readUnsignedByte() << 16 | in.readUnsignedShort();
                int type = in.readUnsignedByte();
                in.readUnsignedByte();
                in.readInt();
                in.readFully(new byte[length]);
                if (type == GOAWAY) {
                    return true;
                }
            }
        } catch (EOFException | java.net.SocketException closed) {
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        }
    }

    private static void assertEnded(String what, byte[]... frames) throws IOException {
        try (Socket s = open()) {
            try {
                for (byte[] f : frames) {
                    s.getOutputStream().write(f);
                }
            } catch (IOException closedWhileWriting) {
                // the node ended the connection before taking everything: what is asserted below
            }
            assertTrue(endedByNode(s), what + ": the node kept the connection");
        }
        ClientPortHostileTest.assertServesOn(cluster, what);
    }

    static byte[] hpack(Http2Headers headers) {
        try {
            ByteBuf buf = Unpooled.buffer();
            new DefaultHttp2HeadersEncoder().encodeHeaders(1, headers, buf);
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            return out;
        } catch (io.netty.handler.codec.http2.Http2Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Http2Headers grpcHeaders(String method) {
        return new DefaultHttp2Headers().method("POST").scheme("http").authority("keel").path("/" + method)
                .set("content-type", "application/grpc").set("te", "trailers");
    }

    static byte[] grpcMessage(MessageLite m) {
        byte[] body = m.toByteArray();
        return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(body.length).put(body).array();
    }

    @Test
    void malformedFramesEndTheConnectionAndNothingElse() throws IOException {
        assertEnded("DATA on stream 0", frame(DATA, 0, 0, new byte[4]));
        assertEnded("HEADERS with garbage HPACK", frame(HEADERS, END_HEADERS, 1, new byte[]{-1, -1, -1, -1, -1, -1}));
        assertEnded("SETTINGS of 5 bytes", frame(SETTINGS, 0, 0, new byte[5]));
        assertEnded("a frame over SETTINGS_MAX_FRAME_SIZE", frame(1 << 20, DATA, 0, 1, new byte[64 * 1024]));
        assertEnded("a frame length prefix of 16 MiB", frame(0xFFFFFF, 0xEE, 0, 1, new byte[0]));
        assertEnded("HEADERS on an even (server) stream", frame(HEADERS, END_HEADERS | END_STREAM, 2,
                hpack(grpcHeaders("etcdserverpb.KV/Range"))));
        assertEnded("CONTINUATION without HEADERS", frame(CONTINUATION, END_HEADERS, 1, new byte[8]));
    }

    @Test
    void aContinuationFloodOfOneMebibyteOfHeadersEndsTheConnection() throws IOException {
        Http2Headers huge = grpcHeaders("etcdserverpb.KV/Range");
        for (int i = 0; i < 256; i++) {
            huge.set("x-flood-" + i, "v".repeat(4096));
        }
        byte[] block = hpack(huge);
        List<byte[]> frames = new ArrayList<>();
        frames.add(frame(HEADERS, 0, 1, java.util.Arrays.copyOfRange(block, 0, 16_384)));
        for (int off = 16_384; off < block.length; off += 16_384) {
            int end = Math.min(block.length, off + 16_384);
            frames.add(frame(CONTINUATION, end == block.length ? END_HEADERS : 0, 1,
                    java.util.Arrays.copyOfRange(block, off, end)));
        }
        assertEnded("1 MiB of headers in " + frames.size() + " frames", frames.toArray(new byte[0][]));
    }

    /** The SETTINGS the node sends first, as (identifier, value) pairs. */
    static java.util.Map<Integer, Long> serverSettings(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        while (true) {
            int length = in.readUnsignedByte() << 16 | in.readUnsignedShort();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            in.readInt();
            byte[] payload = new byte[length];
            in.readFully(payload);
            if (type == SETTINGS && (flags & 1) == 0) {
                java.util.Map<Integer, Long> out = new java.util.HashMap<>();
                ByteBuffer b = ByteBuffer.wrap(payload);
                while (b.remaining() >= 6) {
                    out.put((int) b.getShort() & 0xFFFF, b.getInt() & 0xFFFFFFFFL);
                }
                return out;
            }
        }
    }

    @Test
    void manyStreamsNeverReadAreHeldToTheStreamLimitAndTheWindows() throws IOException {
        long before = usedHeap();
        // SETTINGS_INITIAL_WINDOW_SIZE = 0: the node may send no DATA on any stream, and none is ever granted.
        try (Socket hostile = open(ByteBuffer.allocate(6).putShort((short) 0x4).putInt(0).array())) {
            java.util.Map<Integer, Long> settings = serverSettings(hostile);
            assertEquals(1_000L, settings.get(0x3), "SETTINGS_MAX_CONCURRENT_STREAMS " + settings);
            assertEquals(8_192L, settings.get(0x6), "SETTINGS_MAX_HEADER_LIST_SIZE " + settings);
            byte[] watch = grpcMessage(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("a")).setRangeEnd(ByteString.copyFrom(new byte[]{0}))).build());
            byte[] range = grpcMessage(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("a"))
                    .setRangeEnd(ByteString.copyFrom(new byte[]{0})).build());
            byte[] watchHeaders = hpack(grpcHeaders("etcdserverpb.Watch/Watch"));
            byte[] rangeHeaders = hpack(grpcHeaders("etcdserverpb.KV/Range"));
            OutputStream out = hostile.getOutputStream();
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            int opened = 0;
            for (int stream = 1; opened < 3_000; stream += 2, opened++) {
                boolean isWatch = opened % 2 == 0;
                batch.write(frame(HEADERS, END_HEADERS, stream, isWatch ? watchHeaders : rangeHeaders));
                batch.write(frame(DATA, isWatch ? 0 : END_STREAM, stream, isWatch ? watch : range));
                if (batch.size() > 64 * 1024) {
                    out.write(batch.toByteArray());
                    batch.reset();
                }
            }
            out.write(batch.toByteArray());
            out.flush();
            // Never read again. A good client on its own connection is served meanwhile. Its deadline is long
            // (30 s) because on a loaded machine the node's first seconds of taking 3,000 streams can delay one
            // call past 10 s (seen once); that it is served is asserted, how fast is printed, not asserted.
            long slowest = 0;
            long total = 0;
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                ClientPortHostileTest.assertServesOn(cluster, "beside " + opened + " held streams " + i, 30);
                long millis = (System.nanoTime() - start) / 1_000_000;
                slowest = Math.max(slowest, millis);
                total += millis;
            }
            long grown = usedHeap() - before;
            System.out.printf("h2 hostile: %d streams opened, never read; the good client's put and get took %d ms "
                    + "on average, %d ms at worst; heap grew %d MiB%n", opened, total / 20, slowest, grown >> 20);
            assertTrue(grown < 128L << 20, "heap grew " + grown);
        }
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        System.gc();
        return r.totalMemory() - r.freeMemory();
    }
}
