package dev.keel.replica;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A {@link DiskImage} over arrays a disk filled at start-up: for disks that hold their segments in memory (the
 * in-memory disk, the simulator's) and for a file disk that read its files into buffers.
 *
 * @param sequences       segment sequence numbers, ascending
 * @param segments        each segment's bytes, from offset 0
 * @param lengths         each segment's length
 * @param snapshotBytes   the snapshot file's bytes, or null when there is none
 */
public record LoadedImage(long[] sequences, DirectBuffer[] segments, int[] lengths, byte[] snapshotBytes)
        implements DiskImage {
    public LoadedImage {
        if (sequences.length != segments.length || sequences.length != lengths.length) {
            throw new IllegalArgumentException("segment arrays differ in length");
        }
    }

    @Override
    public int segmentCount() {
        return sequences.length;
    }

    @Override
    public long segmentSequence(int i) {
        return sequences[i];
    }

    @Override
    public DirectBuffer segment(int i) {
        return segments[i];
    }

    @Override
    public int segmentLength(int i) {
        return lengths[i];
    }

    @Override
    public DirectBuffer snapshot() {
        return snapshotBytes == null ? null : new UnsafeBuffer(snapshotBytes);
    }

    @Override
    public int snapshotLength() {
        return snapshotBytes == null ? 0 : snapshotBytes.length;
    }
}
