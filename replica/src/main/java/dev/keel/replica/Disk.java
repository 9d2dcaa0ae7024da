package dev.keel.replica;

import org.agrona.DirectBuffer;

/**
 * The replica's durable storage, supplied by its host: the production node puts it on files, the simulator on
 * a simulated disk with faults. The write-ahead log is a sequence of segments, each an append-only byte
 * stream; the snapshot is one file replaced atomically. The replica decides every format and every policy
 * (what to write, when to cut a segment, what may be released); the port only moves bytes.
 *
 * <p>Durability: appended bytes are durable only once a {@link #sync} that was requested after them has
 * completed — which the host reports later as an input, {@link Replica#onSynced(long)}, so the host may
 * delay it, reorder it with other inputs, or crash before it completes. {@link #writeSnapshot} is durable and
 * atomic when it returns true (write temp, fsync, rename, fsync directory). Not thread-safe: the kernel thread
 * calls it.
 */
public interface Disk {
    /** @return everything on disk, read at start-up; the replica reads it once, before any write */
    DiskImage load();

    /**
     * Appends bytes to the newest segment, all or nothing: on failure nothing of them is kept.
     *
     * @return {@link WriteStatus#OK}, or {@link WriteStatus#NO_SPACE} when the device is full
     */
    WriteStatus append(DirectBuffer buffer, int offset, int length);

    /** Starts segment {@code sequence}; later appends go there. Sequences only grow. */
    WriteStatus startSegment(long sequence);

    /** Requests durability of everything appended so far; completion arrives as {@code onSynced(syncId)}. */
    void sync(long syncId);

    /** Replaces the snapshot file durably and atomically with {@code buffer[offset, offset + length)}. */
    WriteStatus writeSnapshot(DirectBuffer buffer, int offset, int length);

    /** Deletes every segment whose sequence is below {@code sequence} (their content is in the snapshot). */
    void releaseSegmentsBefore(long sequence);

    /**
     * Cuts segment {@code sequence} to {@code length} bytes: recovery found a torn tail there, or the
     * zero-filled space of a preallocated last segment begins there. Appends to the segment continue at
     * {@code length}. A disk that preallocates may zero-fill the last segment again beyond {@code length}
     * (recovery reads zeros reaching the end of the last segment as the end of the log).
     */
    void truncate(long sequence, int length);

    /** What a write to the device came to. */
    enum WriteStatus {
        OK,
        /** The device is full: nothing was written; reads keep working. */
        NO_SPACE
    }
}
