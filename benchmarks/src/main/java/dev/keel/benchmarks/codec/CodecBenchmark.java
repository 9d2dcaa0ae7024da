package dev.keel.benchmarks.codec;

import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.raft.DecodeStatus;
import dev.keel.kernel.raft.EntryView;
import dev.keel.kernel.raft.MessageDecoder;
import dev.keel.kernel.raft.MessageType;
import dev.keel.kernel.raft.Outbox;
import dev.keel.replica.Proposal;
import dev.keel.replica.wal.WalRecord;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The wire codecs on the kernel's and the replica's hot paths, each a flyweight over Agrona buffers:
 * <ul>
 *   <li>Raft messages: {@link Outbox} encodes, {@link MessageDecoder} validates and reads — a leader's append of
 *       {@value #ENTRIES} entries (~300 B each: the replica's envelope around a Put of a 256-byte value) and a
 *       heartbeat;</li>
 *   <li>WAL records ({@link WalRecord}): the same {@value #ENTRIES} entries plus the batch's hard state framed
 *       with their CRC32C checksums, as {@code WalWriter} writes a batch;</li>
 *   <li>MVCC requests ({@link PutRequest}): what every entry carries to the store.</li>
 * </ul>
 * Decoding the WAL is recovery, measured by {@link WalRecoveryBenchmark}. Every benchmark returns what it
 * produced so nothing is optimised away. Steady state should allocate nothing: run with {@code -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class CodecBenchmark {
    /** Entries in the typical append (and WAL batch). */
    static final int ENTRIES = 16;
    private static final long LEADER = 1;
    private static final long FOLLOWER = 2;
    private static final long PREV_INDEX = 1_000_000;

    private final SampleEntries entries = new SampleEntries(ENTRIES);
    private final Outbox outbox = new Outbox();
    private final EntryView view = new EntryView();
    private final MessageDecoder decoder = new MessageDecoder();
    private final ExpandableArrayBuffer walPayload = new ExpandableArrayBuffer(1024);
    private final ExpandableArrayBuffer walBatch = new ExpandableArrayBuffer(16 * 1024);
    private final ExpandableArrayBuffer putOut = new ExpandableArrayBuffer(1024);
    private final PutRequest put = new PutRequest();
    private UnsafeBuffer append;
    private UnsafeBuffer heartbeat;
    private UnsafeBuffer key;
    private UnsafeBuffer value;
    private UnsafeBuffer putRequest;

    /** Encodes each message once and checks that decoding gives back what was encoded. */
    @Setup
    public void setUp() {
        append = copyOf(encodeAppend());
        heartbeat = copyOf(encodeHeartbeat());
        check(decodeAppend() > 0 && decoder.count() == ENTRIES && decoder.index() == PREV_INDEX,
                "the append did not decode to " + ENTRIES + " entries after " + PREV_INDEX);
        int position = decoder.firstEntryPosition();
        for (int i = 0; i < ENTRIES; i++) {
            position = decoder.readEntry(position, PREV_INDEX + 1 + i, view);
            check(view.length() == entries.length(i) && new UnsafeBuffer(view.buffer(), view.offset(), view.length())
                    .compareTo(new UnsafeBuffer(entries.buffer(), entries.offset(i), entries.length(i))) == 0,
                    "entry " + i + " changed");
        }
        check(decodeHeartbeat() == PREV_INDEX && decoder.type() == MessageType.HEARTBEAT,
                "the heartbeat did not decode");
        int wal = walEncodeBatch();
        check(wal == ENTRIES * WalRecord.HEADER + WalRecord.HARD_STATE_LENGTH + WalRecord.HEADER
                + sumOfEntryLengths() + ENTRIES * WalRecord.DATA_OFFSET, "unexpected WAL batch length " + wal);
        check(WalRecord.crc(walBatch, WalRecord.HEADER, walBatch.getInt(0, WalRecord.ORDER))
                == walBatch.getInt(WalRecord.PAYLOAD_CRC_OFFSET, WalRecord.ORDER), "WAL checksum mismatch");
        int putAt = entries.offset(0) + Proposal.HEADER;
        check(put.wrap(entries.buffer(), putAt, entries.length(0) - Proposal.HEADER), "sample Put does not decode");
        key = new UnsafeBuffer(entries.buffer(), put.keyOffset(), put.keyLength());
        value = new UnsafeBuffer(entries.buffer(), put.valueOffset(), put.valueLength());
        putRequest = copyOf(putOut, putEncode());
        check(putDecode() == SampleEntries.VALUE_BYTES + key.capacity(), "encoded Put does not decode");
    }

    private int sumOfEntryLengths() {
        int sum = 0;
        for (int i = 0; i < ENTRIES; i++) {
            sum += entries.length(i);
        }
        return sum;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException(what);
        }
    }

    private UnsafeBuffer copyOf(int length) {
        return copyOf(outbox.buffer(), length);
    }

    private static UnsafeBuffer copyOf(org.agrona.DirectBuffer from, int length) {
        byte[] bytes = new byte[length];
        from.getBytes(0, bytes);
        return new UnsafeBuffer(bytes);
    }

    /** Leader: encodes an append of 16 entries (~5 KB) into a reused outbox. */
    @Benchmark
    public int encodeAppend() {
        outbox.clear();
        entries.encodeAppend(outbox, LEADER, FOLLOWER, PREV_INDEX, view);
        return outbox.length(0);
    }

    /** Follower: validates the append (every entry's header) and reads each entry through the view. */
    @Benchmark
    public long decodeAppend() {
        wrap(append);
        long sum = 0;
        int position = decoder.firstEntryPosition();
        long index = decoder.index();
        for (int i = decoder.count(); i > 0; i--) {
            position = decoder.readEntry(position, ++index, view);
            sum += view.length() + view.term();
        }
        return sum;
    }

    /** Leader: encodes a heartbeat (80 B header only). */
    @Benchmark
    public int encodeHeartbeat() {
        outbox.clear();
        SampleEntries.encodeHeartbeat(outbox, LEADER, FOLLOWER, PREV_INDEX, 42);
        return outbox.length(0);
    }

    /** Follower: validates a heartbeat and reads its commit. */
    @Benchmark
    public long decodeHeartbeat() {
        wrap(heartbeat);
        return decoder.commit();
    }

    private void wrap(UnsafeBuffer message) {
        int status = decoder.wrap(message, 0, message.capacity());
        if (status != DecodeStatus.OK) {
            throw new IllegalStateException(DecodeStatus.describe(status));
        }
    }

    /** Replica: frames the 16 entries and a hard state as WAL records (CRC32C of each), back to back. */
    @Benchmark
    public int walEncodeBatch() {
        int at = 0;
        for (int i = 0; i < ENTRIES; i++) {
            int n = WalRecord.entry(walPayload, PREV_INDEX + 1 + i, SampleEntries.TERM,
                    dev.keel.kernel.raft.EntryType.NORMAL, entries.buffer(), entries.offset(i), entries.length(i));
            at += WalRecord.frame(walBatch, at, walPayload, n);
        }
        int n = WalRecord.hardState(walPayload, SampleEntries.TERM, LEADER, PREV_INDEX + ENTRIES);
        return at + WalRecord.frame(walBatch, at, walPayload, n);
    }

    /** Host: encodes an etcd Put (9-byte key, 256-byte value) as the MVCC store reads it. */
    @Benchmark
    public int putEncode() {
        return PutRequest.encode(putOut, 0, key, 0, key.capacity(), value, 0, value.capacity(), 0, 0);
    }

    /** Store: wraps an encoded Put (bounds-checks every field) and reads key and value positions. */
    @Benchmark
    public int putDecode() {
        if (!put.wrap(putRequest, 0, putRequest.capacity())) {
            throw new IllegalStateException("Put does not decode");
        }
        return put.keyLength() + put.valueLength() + (int) put.lease();
    }
}
