package dev.keel.simulator;

import dev.keel.kernel.util.SplitMix64;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * One node's simulated disk holding its write-ahead log: bytes written but not yet fsynced are lost by a
 * crash (or, with torn writes, partly kept); fsync makes everything written durable; a slow-fsync fault
 * stretches fsync latency; a full disk refuses writes; corruption flips a bit in durable data at rest.
 * Compaction replaces the whole log atomically (as write-temp, fsync, rename, fsync-directory does).
 */
final class SimDisk {
    /** Thrown by a write to a full disk; the host crashes, as a process hitting ENOSPC in its WAL must. */
    static final class FullException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FullException() {
            super("no space left on device", null, false, false);
        }
    }

    private ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(64 * 1024);
    private int written;
    private int synced;
    int slowFactor = 1;
    boolean full;

    int length() {
        return written;
    }

    DirectBuffer bytes() {
        return bytes;
    }

    /** Appends one WAL record (not yet durable). */
    void append(DirectBuffer payload, int length) {
        if (full) {
            throw new FullException();
        }
        written += Wal.append(bytes, written, payload, length);
    }

    void sync() {
        synced = written;
    }


    long fsyncMicros(long base) {
        return base * slowFactor;
    }

    /** A crash: unsynced bytes are lost, or with a torn write a random prefix of them survives. */
    void crash(SplitMix64 random, boolean tear) {
        if (tear && written > synced) {
            written = synced + random.nextInt(written - synced);
        } else {
            written = synced;
        }
        synced = written;
    }

    /**
     * Flips one bit in data that was fsynced before the last crash or rewrite.
     *
     * @return the corrupted offset, or -1 if the disk holds nothing durable
     */
    int corrupt(SplitMix64 random, int durableLimit) {
        int limit = Math.min(durableLimit, written);
        if (limit <= 0) {
            return -1;
        }
        int at = random.nextInt(limit);
        bytes.putByte(at, (byte) (bytes.getByte(at) ^ (1 << random.nextInt(8))));
        return at;
    }

    /** Recovery cut a torn tail: the file ends where the last complete record ends. */
    void truncate(int length) {
        written = length;
        synced = length;
    }

    /** Replaces the whole log with {@code content} durably and atomically. */
    void replace(ExpandableArrayBuffer content, int length) {
        ExpandableArrayBuffer copy = new ExpandableArrayBuffer(Math.max(64, length));
        copy.putBytes(0, content, 0, length);
        bytes = copy;
        written = length;
        synced = length;
    }
}
