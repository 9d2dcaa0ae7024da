package dev.keel.kernel.raft;

import dev.keel.kernel.testing.Property;
import dev.keel.kernel.util.SplitMix64;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Round trips through {@link Outbox} and {@link MessageDecoder}, and fuzzing of the decoder. */
class MessageCodecTest {

    @Test
    void appendRoundTripsEveryField() {
        Outbox out = new Outbox();
        EntryView e = new EntryView();
        byte[] a = "alpha".getBytes(StandardCharsets.UTF_8);
        out.begin(MessageType.APP, 1, 2, 7).logTerm(6).index(41).commit(40).context(9).hint(3)
                .appendEntry(e.set(42, 6, EntryType.NORMAL, new UnsafeBuffer(a), 0, a.length))
                .appendEntry(e.set(43, 7, EntryType.CONF_CHANGE, new UnsafeBuffer(new byte[0]), 0, 0)).end();
        MessageDecoder d = decode(out, 0);
        assertEquals(MessageType.APP, d.type());
        assertEquals(1, d.from());
        assertEquals(2, d.to());
        assertEquals(7, d.term());
        assertEquals(6, d.logTerm());
        assertEquals(41, d.index());
        assertEquals(40, d.commit());
        assertEquals(9, d.context());
        assertEquals(3, d.hint());
        assertEquals(2, d.count());
        EntryView v = new EntryView();
        int p = d.readEntry(d.firstEntryPosition(), 42, v);
        assertEquals(6, v.term());
        assertArrayEquals(a, v.copyData());
        d.readEntry(p, 43, v);
        assertEquals(7, v.term());
        assertEquals(EntryType.CONF_CHANGE, v.type());
        assertEquals(0, v.length());
    }

    @Test
    void snapshotChunkRoundTrips() {
        Outbox out = new Outbox();
        byte[] data = "0123456789".getBytes(StandardCharsets.UTF_8);
        ConfState conf = ConfState.ofVoters(1, 2, 3);
        conf.addLearner(9);
        out.begin(MessageType.SNAP, 1, 3, 5).index(100).logTerm(4).context(data.length).hint(4)
                .appendChunk(conf, new UnsafeBuffer(data), 4, 6).flags(MessageLayout.FLAG_LAST_CHUNK).end();
        MessageDecoder d = decode(out, 0);
        assertEquals(conf, d.snapshotConf());
        assertEquals(6, d.count());
        byte[] chunk = new byte[6];
        d.buffer().getBytes(d.snapshotChunkOffset(), chunk);
        assertArrayEquals("456789".getBytes(StandardCharsets.UTF_8), chunk);
    }

    @Test
    void aChunkMarkedLastMustEndTheSnapshot() {
        Outbox out = new Outbox();
        byte[] data = new byte[10];
        out.begin(MessageType.SNAP, 1, 3, 5).index(100).logTerm(4).context(10).hint(0)
                .appendChunk(ConfState.ofVoters(1), new UnsafeBuffer(data), 0, 4)
                .flags(MessageLayout.FLAG_LAST_CHUNK).end();
        MessageDecoder d = new MessageDecoder();
        assertEquals(DecodeStatus.BAD_SNAPSHOT, d.wrap(out.buffer(), out.offset(0), out.length(0)));
    }

    @Test
    void entriesWithDecreasingTermsAreRefused() {
        Outbox out = new Outbox();
        EntryView e = new EntryView();
        UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
        out.begin(MessageType.APP, 1, 2, 7).logTerm(6).index(1)
                .appendEntry(e.set(2, 7, EntryType.NORMAL, empty, 0, 0))
                .appendEntry(e.set(3, 6, EntryType.NORMAL, empty, 0, 0)).end();
        MessageDecoder d = new MessageDecoder();
        assertEquals(DecodeStatus.BAD_ENTRY, d.wrap(out.buffer(), out.offset(0), out.length(0)));
    }

    /** Random bytes, truncations, extensions and bit flips of valid messages never make the decoder throw. */
    @Test
    void decoderNeverThrowsOnArbitraryBytes() {
        Property.forAll("decoder fuzz", 3000, seed -> {
            SplitMix64 random = new SplitMix64(seed);
            byte[] valid = randomValidMessage(random);
            byte[] bytes = mutate(valid, random);
            MessageDecoder d = new MessageDecoder();
            UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            int offset = bytes.length == 0 ? 0 : random.nextInt(Math.max(1, Math.min(bytes.length, 8)));
            int status = d.wrap(buffer, offset, bytes.length - offset);
            if (status == DecodeStatus.OK) {
                readEverything(d);
            }
        });
    }

    /** Refused bytes leave a live node exactly as it was. */
    @Test
    void refusedBytesDoNotChangeANode() {
        Property.forAll("step fuzz", 500, seed -> {
            SplitMix64 random = new SplitMix64(seed);
            RaftNode node = RaftNode.bootstrap(RaftConfig.defaults(2, 1), new InMemoryLogStorage(new ConfState()),
                    ConfState.ofVoters(1, 2, 3));
            while (node.hasReady()) {
                node.ready();
                node.advance();
            }
            String before = node.toString();
            byte[] bytes = mutate(randomValidMessage(random), random);
            int status = node.step(new UnsafeBuffer(bytes), 0, bytes.length);
            if (status != DecodeStatus.OK) {
                assertEquals(before, node.toString());
                assertTrue(!node.hasReady());
            }
        });
    }

    @Test
    void mutationActuallyBreaksMessages() {
        // Guards the fuzz tests against a mutator that never produces invalid input.
        int refused = 0;
        SplitMix64 random = new SplitMix64(7);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = mutate(randomValidMessage(random), random);
            if (new MessageDecoder().wrap(new UnsafeBuffer(bytes), 0, bytes.length) != DecodeStatus.OK) {
                refused++;
            }
        }
        assertNotEquals(0, refused);
    }

    private static MessageDecoder decode(Outbox out, int i) {
        MessageDecoder d = new MessageDecoder();
        assertEquals(DecodeStatus.OK, d.wrap(out.buffer(), out.offset(i), out.length(i)));
        return d;
    }

    private static byte[] randomValidMessage(SplitMix64 random) {
        Outbox out = new Outbox();
        byte type = (byte) (1 + random.nextInt(14));
        out.begin(type, 1 + random.nextInt(5), 2, 3).index(random.nextInt(100)).commit(random.nextInt(100))
                .logTerm(random.nextInt(3)).context(random.nextLong()).hint(random.nextInt(50));
        if (type == MessageType.APP) {
            EntryView e = new EntryView();
            int n = random.nextInt(4);
            for (int i = 0; i < n; i++) {
                byte[] data = new byte[random.nextInt(20)];
                out.appendEntry(e.set(0, 3, EntryType.NORMAL, new UnsafeBuffer(data), 0, data.length));
            }
        } else if (type == MessageType.SNAP) {
            byte[] data = new byte[1 + random.nextInt(20)];
            out.index(5).logTerm(2).context(data.length).hint(0).flags(MessageLayout.FLAG_LAST_CHUNK)
                    .appendChunk(ConfState.ofVoters(1, 2, 3), new UnsafeBuffer(data), 0, data.length);
        }
        out.end();
        byte[] bytes = new byte[out.length(0)];
        out.buffer().getBytes(out.offset(0), bytes);
        return bytes;
    }

    private static byte[] mutate(byte[] valid, SplitMix64 random) {
        switch (random.nextInt(5)) {
            case 0: {
                byte[] garbage = new byte[random.nextInt(200)];
                for (int i = 0; i < garbage.length; i++) {
                    garbage[i] = (byte) random.nextLong();
                }
                return garbage;
            }
            case 1:
                return java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
            case 2:
                return java.util.Arrays.copyOf(valid, valid.length + 1 + random.nextInt(16));
            default: {
                byte[] flipped = valid.clone();
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    int at = random.nextInt(flipped.length);
                    flipped[at] ^= (byte) (1 << random.nextInt(8));
                }
                return flipped;
            }
        }
    }

    private static void readEverything(MessageDecoder d) {
        d.from();
        d.to();
        d.term();
        d.index();
        d.commit();
        d.context();
        d.hint();
        if (d.type() == MessageType.APP) {
            EntryView v = new EntryView();
            int p = d.firstEntryPosition();
            for (int i = 0; i < d.count(); i++) {
                p = d.readEntry(p, d.index() + 1 + i, v);
                v.copyData();
            }
        } else if (d.type() == MessageType.SNAP) {
            byte[] chunk = new byte[d.count()];
            d.buffer().getBytes(d.snapshotChunkOffset(), chunk);
        }
    }
}
