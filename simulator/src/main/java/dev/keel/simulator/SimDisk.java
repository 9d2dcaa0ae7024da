package dev.keel.simulator;

import dev.keel.kernel.util.SplitMix64;
import dev.keel.replica.Disk;
import dev.keel.replica.DiskImage;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * One node's simulated disk, implementing the replica's {@link Disk} port: WAL segments whose bytes written
 * but not yet synced are lost by a crash (or, with torn writes, partly kept); a sync completes later, after
 * the simulated fsync latency (a slow-fsync fault stretches it); a full disk refuses writes; corruption flips
 * a bit in durable data at rest; the snapshot file is replaced atomically. A <em>lying</em> disk — the
 * test-only host bug — reports each sync complete while only the previous one's data is durable.
 */
final class SimDisk implements Disk {
    private static final class Segment {
        final long sequence;
        ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(4096);
        int written;
        int synced;

        Segment(long sequence) {
            this.sequence = sequence;
        }
    }

    private final List<Segment> segments = new ArrayList<>();
    private byte[] snapshot;
    /** Where a lying disk's previous sync reached: {segment sequence, length}. */
    private long lieSequence = -1;
    private int lieLength;
    /** The host schedules sync completions. */
    LongConsumer syncRequests = id -> { };
    int slowFactor = 1;
    boolean full;
    boolean lying;

    @Override
    public DiskImage load() {
        return new Image();
    }

    @Override
    public WriteStatus append(DirectBuffer buffer, int offset, int length) {
        if (full) {
            return WriteStatus.NO_SPACE;
        }
        Segment s = segments.get(segments.size() - 1);
        s.bytes.putBytes(s.written, buffer, offset, length);
        s.written += length;
        return WriteStatus.OK;
    }

    @Override
    public WriteStatus startSegment(long sequence) {
        if (full) {
            return WriteStatus.NO_SPACE;
        }
        segments.add(new Segment(sequence));
        return WriteStatus.OK;
    }

    @Override
    public void sync(long syncId) {
        syncRequests.accept(syncId);
    }

    /** The fsync's latency passed: what was written is durable (a lying disk: only what the last sync wrote). */
    void completeSync() {
        if (lying) {
            for (Segment s : segments) {
                if (s.sequence < lieSequence) {
                    s.synced = s.written;
                } else if (s.sequence == lieSequence) {
                    s.synced = Math.max(s.synced, Math.min(lieLength, s.written));
                }
            }
            Segment last = segments.get(segments.size() - 1);
            lieSequence = last.sequence;
            lieLength = last.written;
            return;
        }
        for (Segment s : segments) {
            s.synced = s.written;
        }
    }

    @Override
    public WriteStatus writeSnapshot(DirectBuffer buffer, int offset, int length) {
        if (full) {
            return WriteStatus.NO_SPACE;
        }
        snapshot = new byte[length];
        buffer.getBytes(offset, snapshot);
        return WriteStatus.OK;
    }

    @Override
    public void releaseSegmentsBefore(long sequence) {
        segments.removeIf(s -> s.sequence < sequence);
    }

    @Override
    public void truncate(long sequence, int length) {
        for (Segment s : segments) {
            if (s.sequence == sequence) {
                s.written = Math.min(s.written, length);
                s.synced = Math.min(s.synced, length);
            }
        }
    }

    long fsyncMicros(long base) {
        return base * slowFactor;
    }

    /** A crash: unsynced bytes are lost, or with a torn write a random prefix of the last segment's survives. */
    void crash(SplitMix64 random, boolean tear) {
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            boolean last = i == segments.size() - 1;
            if (tear && last && s.written > s.synced) {
                s.written = s.synced + random.nextInt(s.written - s.synced);
            } else {
                s.written = s.synced;
            }
            s.synced = s.written;
        }
        lieSequence = -1;
    }

    /**
     * Flips one bit in durable data (a WAL segment or the snapshot file).
     *
     * @return a description of where, or null if the disk holds nothing durable
     */
    String corrupt(SplitMix64 random) {
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
        throw new IllegalStateException("corruption offset past the durable data");
    }

    /** @return bytes in WAL segments (a test's view) */
    int walBytes() {
        int n = 0;
        for (Segment s : segments) {
            n += s.written;
        }
        return n;
    }

    int segmentCount() {
        return segments.size();
    }

    private final class Image implements DiskImage {
        @Override
        public int segmentCount() {
            return segments.size();
        }

        @Override
        public long segmentSequence(int i) {
            return segments.get(i).sequence;
        }

        @Override
        public DirectBuffer segment(int i) {
            return segments.get(i).bytes;
        }

        @Override
        public int segmentLength(int i) {
            return segments.get(i).written;
        }

        @Override
        public DirectBuffer snapshot() {
            return snapshot == null ? null : new org.agrona.concurrent.UnsafeBuffer(snapshot);
        }

        @Override
        public int snapshotLength() {
            return snapshot == null ? 0 : snapshot.length;
        }
    }
}
