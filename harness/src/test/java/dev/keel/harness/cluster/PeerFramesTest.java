package dev.keel.harness.cluster;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PeerFramesTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsWholeFramesInOrderAndEndsCleanlyBetweenFrames() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(PeerFrames.frame(bytes("first")));
        wire.write(PeerFrames.frame(bytes("second frame")));
        ByteArrayInputStream in = new ByteArrayInputStream(wire.toByteArray());

        assertArrayEquals(PeerFrames.frame(bytes("first")), PeerFrames.read(in));
        assertArrayEquals(PeerFrames.frame(bytes("second frame")), PeerFrames.read(in));
        assertNull(PeerFrames.read(in));
    }

    @Test
    void aStreamEndingInsideAFrameIsAnError() {
        byte[] frame = PeerFrames.frame(bytes("truncated"));
        ByteArrayInputStream in = new ByteArrayInputStream(Arrays.copyOf(frame, frame.length - 2));
        assertThrows(EOFException.class, () -> PeerFrames.read(in));
    }

    @Test
    void anOutOfBoundsLengthIsReportedWithTheBytesRead() {
        byte[] http = bytes("GET / HTTP/1.1\r\n");
        PeerFrames.NotFramedException e = assertThrows(PeerFrames.NotFramedException.class,
                () -> PeerFrames.read(new ByteArrayInputStream(http)));
        assertArrayEquals(bytes("GET "), e.prefix());
        assertThrows(PeerFrames.NotFramedException.class,
                () -> PeerFrames.read(new ByteArrayInputStream(new byte[] {0, 0, 0, 0, 1})));
    }

    @Test
    void aMembersHandshakeNamesTheSender() {
        byte[] handshake = PeerFrames.handshake(0x1234L, 0x5678L,
                "n3\nhttp://127.0.0.1:2379\nhttp://127.0.0.1:2380");
        assertEquals(Optional.of("n3"), PeerFrames.handshakeSender(handshake));
        assertEquals(Optional.of("solo"), PeerFrames.handshakeSender(PeerFrames.handshake(7, 8, "solo")));
    }

    @Test
    void queriesAndOtherFramesNameNobody() {
        assertEquals(Optional.empty(), PeerFrames.handshakeSender(PeerFrames.handshake(0, 0, "")));
        assertEquals(Optional.empty(), PeerFrames.handshakeSender(PeerFrames.handshake(0, 0, "n1\nx\ny")));
        assertEquals(Optional.empty(), PeerFrames.handshakeSender(PeerFrames.handshake(5, 6, "")));
        assertEquals(Optional.empty(), PeerFrames.handshakeSender(PeerFrames.frame(new byte[100])));
        assertEquals(Optional.empty(), PeerFrames.handshakeSender(PeerFrames.frame(bytes("short"))));
        byte[] lying = PeerFrames.handshake(5, 6, "n1\nx\ny");
        lying[4 + 59] = 99; // the info length no longer matches the frame
        assertEquals(Optional.empty(), PeerFrames.handshakeSender(lying));
    }
}
