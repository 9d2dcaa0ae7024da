package dev.keel.replica;

import org.agrona.DirectBuffer;

/** What a {@link Disk} holds at start-up: the WAL segments in sequence order and the snapshot file, if any. */
public interface DiskImage {
    int segmentCount();

    /** @return the sequence number of the {@code i}-th segment (ascending) */
    long segmentSequence(int i);

    /** @return the bytes of the {@code i}-th segment, from offset 0 */
    DirectBuffer segment(int i);

    int segmentLength(int i);

    /** @return the snapshot file's bytes, or null when there is none */
    DirectBuffer snapshot();

    int snapshotLength();
}
