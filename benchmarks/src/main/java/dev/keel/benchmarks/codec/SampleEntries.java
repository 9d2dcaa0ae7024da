package dev.keel.benchmarks.codec;

import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.raft.EntryType;
import dev.keel.kernel.raft.EntryView;
import dev.keel.kernel.raft.MessageType;
import dev.keel.kernel.raft.Outbox;
import dev.keel.replica.Proposal;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Log entries shaped like the ones a busy Keel cluster replicates: each is the replica's proposal envelope
 * ({@link Proposal}: origin member, request ID) around an etcd Put of a 9-byte key and a 256-byte value, about
 * 300 bytes in all. Built once, back to back in one buffer; the benchmarks of the codecs, the WAL and the TCP
 * transport share them so their figures describe the same traffic.
 */
public final class SampleEntries {
    /** Value bytes of each Put. */
    public static final int VALUE_BYTES = 256;
    /** Term every sample entry carries. */
    public static final long TERM = 7;

    private final ExpandableArrayBuffer data = new ExpandableArrayBuffer(64 * 1024);
    private final int[] offsets;
    private final int[] lengths;

    /** Encodes {@code count} entries: keys {@code key/00000}, {@code key/00001}, ... */
    public SampleEntries(int count) {
        offsets = new int[count];
        lengths = new int[count];
        byte[] value = new byte[VALUE_BYTES];
        java.util.Arrays.fill(value, (byte) 'v');
        UnsafeBuffer valueBuffer = new UnsafeBuffer(value);
        int at = 0;
        for (int i = 0; i < count; i++) {
            byte[] key = String.format("key/%05d", i).getBytes(StandardCharsets.US_ASCII);
            offsets[i] = at;
            // The envelope's two longs, as Proposal lays them out: origin member 1, request ID i + 1.
            data.putLong(at, 1, ByteOrder.LITTLE_ENDIAN);
            data.putLong(at + Long.BYTES, i + 1, ByteOrder.LITTLE_ENDIAN);
            int put = PutRequest.encode(data, at + Proposal.HEADER, new UnsafeBuffer(key), 0, key.length,
                    valueBuffer, 0, VALUE_BYTES, 0, 0);
            lengths[i] = Proposal.HEADER + put;
            at += lengths[i];
        }
    }

    /** @return how many entries there are */
    public int count() {
        return offsets.length;
    }

    /** @return the buffer holding every entry's bytes */
    public MutableDirectBuffer buffer() {
        return data;
    }

    public int offset(int i) {
        return offsets[i];
    }

    public int length(int i) {
        return lengths[i];
    }

    /** Points {@code view} at entry {@code i}, giving it log index {@code index}. */
    public EntryView view(int i, long index, EntryView view) {
        return view.set(index, TERM, EntryType.NORMAL, data, offsets[i], lengths[i]);
    }

    /**
     * Encodes into {@code outbox} the leader's append of every entry after index {@code prevIndex}, as the
     * kernel sends it to follower {@code to}: the previous entry's term and index, and the commit index.
     */
    public void encodeAppend(Outbox outbox, long from, long to, long prevIndex, EntryView scratch) {
        outbox.begin(MessageType.APP, from, to, TERM).logTerm(TERM).index(prevIndex).commit(prevIndex);
        for (int i = 0; i < offsets.length; i++) {
            outbox.appendEntry(view(i, prevIndex + 1 + i, scratch));
        }
        outbox.end();
    }

    /** Encodes into {@code outbox} the leader's heartbeat to follower {@code to} (commit and read context set). */
    public static void encodeHeartbeat(Outbox outbox, long from, long to, long commit, long readContext) {
        outbox.begin(MessageType.HEARTBEAT, from, to, TERM).commit(commit).context(readContext).end();
    }
}
