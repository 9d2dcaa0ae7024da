package dev.keel.replica;

import dev.keel.kernel.util.SplitMix64;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A {@link Disk} in memory, for tests and benchmarks (never for data anyone keeps). Appended bytes become durable only when a sync requested after them
 * completes, and syncs complete only when the owner calls {@link #completeSyncs()} (which then reports each
 * completed sync ID to {@link #onSynced}). {@link #crash} drops what is not durable, optionally keeping a torn
 * prefix of the last segment's unsynced bytes. {@link #full} refuses every write with NO_SPACE.
 */
public final class MemoryDisk implements Disk {
    private final int segmentCapacity;

    /** A disk whose segments start small and grow. */
    public MemoryDisk() {
        this(1024);
    }

    /** @param segmentCapacity bytes each segment starts with (a benchmark sizes it to the segment limit) */
    public MemoryDisk(int segmentCapacity) {
        this.segmentCapacity = segmentCapacity;
    }

    /** One WAL segment: its bytes, how many were written and how many are durable. */
    public static final class Segment {
        public final long sequence;
        final ExpandableArrayBuffer bytes;
        public int written;
        public int synced;

        Segment(long sequence, int capacity) {
            this.sequence = sequence;
            this.bytes = new ExpandableArrayBuffer(capacity);
        }
    }

    /** A requested sync: its ID and the written length of every segment when it was requested. */
    private record PendingSync(long id, long[] sequences, int[] lengths) {
    }

    private final List<Segment> segments = new ArrayList<>();
    private final List<PendingSync> pending = new ArrayList<>();
    private byte[] snapshot;
    /** Told the ID of each sync that completed (a test hands it to {@code Replica.onSynced}). */
    public LongConsumer onSynced = id -> { };
    /** When set, every write returns NO_SPACE and changes nothing. */
    public boolean full;
    /** When set, only snapshot-file writes return NO_SPACE. */
    public boolean snapshotsFull;
    /** When set, only new segments are refused with NO_SPACE. */
    public boolean segmentsFull;
    public int snapshotWrites;
    public int segmentsReleased;
    /** How many syncs were requested (tests count syncs per request). */
    public int syncsRequested;

    // ---------------------------------------------------------------- the port

    @Override
    public DiskImage load() {
        int n = segments.size();
        long[] sequences = new long[n];
        DirectBuffer[] buffers = new DirectBuffer[n];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            sequences[i] = segments.get(i).sequence;
            buffers[i] = segments.get(i).bytes;
            lengths[i] = segments.get(i).written;
        }
        return new LoadedImage(sequences, buffers, lengths, snapshot);
    }

    @Override
    public WriteStatus append(DirectBuffer buffer, int offset, int length) {
        if (full) {
            return WriteStatus.NO_SPACE;
        }
        if (segments.isEmpty()) {
            throw new IllegalStateException("append before any segment was started");
        }
        Segment s = segments.get(segments.size() - 1);
        s.bytes.putBytes(s.written, buffer, offset, length);
        s.written += length;
        return WriteStatus.OK;
    }

    @Override
    public WriteStatus startSegment(long sequence) {
        if (full || segmentsFull) {
            return WriteStatus.NO_SPACE;
        }
        if (!segments.isEmpty() && segments.get(segments.size() - 1).sequence >= sequence) {
            throw new IllegalStateException("segment sequence " + sequence + " does not grow");
        }
        segments.add(new Segment(sequence, segmentCapacity));
        return WriteStatus.OK;
    }

    @Override
    public void sync(long syncId) {
        syncsRequested++;
        long[] sequences = new long[segments.size()];
        int[] lengths = new int[segments.size()];
        for (int i = 0; i < segments.size(); i++) {
            sequences[i] = segments.get(i).sequence;
            lengths[i] = segments.get(i).written;
        }
        pending.add(new PendingSync(syncId, sequences, lengths));
    }

    @Override
    public WriteStatus writeSnapshot(DirectBuffer buffer, int offset, int length) {
        if (full || snapshotsFull) {
            return WriteStatus.NO_SPACE;
        }
        byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        snapshot = copy; // atomic and durable at once
        snapshotWrites++;
        return WriteStatus.OK;
    }

    @Override
    public void releaseSegmentsBefore(long sequence) {
        int before = segments.size();
        segments.removeIf(s -> s.sequence < sequence);
        segmentsReleased += before - segments.size();
    }

    @Override
    public void truncate(long sequence, int length) {
        Segment s = segment(sequence);
        s.written = Math.min(s.written, length);
        s.synced = Math.min(s.synced, length);
    }

    // ---------------------------------------------------------------- the test's controls

    /** Completes every requested sync, oldest first; returns how many completed. */
    public int completeSyncs() {
        return completeThrough(Long.MAX_VALUE);
    }

    /** Completes the requested syncs up to and including {@code syncId}, oldest first; returns how many. */
    public int completeThrough(long syncId) {
        List<PendingSync> done = new ArrayList<>();
        while (!pending.isEmpty() && pending.get(0).id <= syncId) {
            done.add(pending.remove(0));
        }
        for (PendingSync p : done) {
            for (int i = 0; i < p.sequences.length; i++) {
                Segment s = find(p.sequences[i]);
                if (s != null) {
                    s.synced = Math.max(s.synced, Math.min(p.lengths[i], s.written));
                }
            }
        }
        for (PendingSync p : done) {
            onSynced.accept(p.id);
        }
        return done.size();
    }

    public int pendingSyncs() {
        return pending.size();
    }

    /** A crash: every unsynced byte is lost, pending syncs never complete. */
    public void crash() {
        crash(0);
    }

    /** A crash that keeps {@code tornBytes} of the last segment's unsynced bytes (a torn write). */
    public void crash(int tornBytes) {
        pending.clear();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            boolean last = i == segments.size() - 1;
            s.written = last ? Math.min(s.written, s.synced + tornBytes) : s.synced;
            s.synced = s.written;
        }
    }

    /** Flips one bit in durable data chosen by {@code random}; returns where, or null if nothing is durable. */
    public String flipDurableBit(SplitMix64 random) {
        long total = snapshot == null ? 0 : snapshot.length;
        for (Segment s : segments) {
            total += s.synced;
        }
        if (total == 0) {
            return null;
        }
        long at = random.nextInt((int) total);
        int bit = 1 << random.nextInt(8);
        if (snapshot != null && at < snapshot.length) {
            snapshot[(int) at] ^= (byte) bit;
            return "snapshot file at offset " + at;
        }
        at -= snapshot == null ? 0 : snapshot.length;
        for (Segment s : segments) {
            if (at < s.synced) {
                s.bytes.putByte((int) at, (byte) (s.bytes.getByte((int) at) ^ bit));
                return "WAL segment " + s.sequence + " at offset " + at;
            }
            at -= s.synced;
        }
        throw new IllegalStateException("offset past the durable data");
    }

    /** Cuts segment {@code sequence} to {@code length} bytes, durable (a test's way to build a short record). */
    public void cut(long sequence, int length) {
        truncate(sequence, length);
    }


    public boolean hasSnapshot() {
        return snapshot != null;
    }

    public byte[] snapshotBytes() {
        return snapshot == null ? null : snapshot.clone();
    }

    public List<Segment> segments() {
        return segments;
    }

    public int segmentCount() {
        return segments.size();
    }

    public long firstSegmentSequence() {
        return segments.isEmpty() ? -1 : segments.get(0).sequence;
    }

    public Segment segment(long sequence) {
        Segment s = find(sequence);
        if (s == null) {
            throw new IllegalArgumentException("no segment " + sequence);
        }
        return s;
    }

    private Segment find(long sequence) {
        for (Segment s : segments) {
            if (s.sequence == sequence) {
                return s;
            }
        }
        return null;
    }
}
