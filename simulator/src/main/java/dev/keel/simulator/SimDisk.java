package dev.keel.simulator;

import dev.keel.kernel.util.SplitMix64;
import dev.keel.replica.Disk;
import dev.keel.replica.DiskImage;
import dev.keel.replica.MemoryDisk;
import org.agrona.DirectBuffer;

import java.util.function.LongConsumer;

/**
 * One node's simulated disk, the replica's {@link Disk} port: the replica module's in-memory disk (bytes
 * become durable when a sync requested after them completes; a crash loses the rest) with the simulator's
 * faults on top — a sync completes after the simulated fsync latency (a slow-fsync fault stretches it), a crash
 * may tear the last segment's unsynced tail, a full disk refuses writes, corruption flips a bit in durable
 * data at rest. A <em>lying</em> disk — the test-only host bug — reports each sync complete while only the
 * previous one's data is durable.
 */
final class SimDisk implements Disk {
    private final MemoryDisk memory = new MemoryDisk();
    /** A lying disk's previous sync: its data becomes durable only when the next sync completes. */
    private long previousSync = -1;
    /** The host schedules sync completions. */
    LongConsumer syncRequests = id -> { };
    int slowFactor = 1;
    boolean lying;

    @Override
    public DiskImage load() {
        return memory.load();
    }

    @Override
    public WriteStatus append(DirectBuffer buffer, int offset, int length) {
        return memory.append(buffer, offset, length);
    }

    @Override
    public WriteStatus startSegment(long sequence) {
        return memory.startSegment(sequence);
    }

    @Override
    public void sync(long syncId) {
        memory.sync(syncId);
        syncRequests.accept(syncId);
    }

    /** The fsync's latency passed: sync {@code syncId}'s data is durable (a lying disk's: only the previous one's). */
    void completeSync(long syncId) {
        if (lying) {
            memory.completeThrough(previousSync);
            previousSync = syncId;
        } else {
            memory.completeThrough(syncId);
        }
    }

    @Override
    public WriteStatus writeSnapshot(DirectBuffer buffer, int offset, int length) {
        return memory.writeSnapshot(buffer, offset, length);
    }

    @Override
    public void releaseSegmentsBefore(long sequence) {
        memory.releaseSegmentsBefore(sequence);
    }

    @Override
    public void truncate(long sequence, int length) {
        memory.truncate(sequence, length);
    }

    void full(boolean full) {
        memory.full = full;
    }

    long fsyncMicros(long base) {
        return base * slowFactor;
    }

    /** A crash: unsynced bytes are lost, or with a torn write a random prefix of the last segment's survives. */
    void crash(SplitMix64 random, boolean tear) {
        int torn = 0;
        if (memory.segmentCount() > 0) {
            MemoryDisk.Segment last = memory.segments().get(memory.segmentCount() - 1);
            if (tear && last.written > last.synced) {
                torn = random.nextInt(last.written - last.synced);
            }
        }
        memory.crash(torn);
        previousSync = -1;
    }

    /**
     * Flips one bit in durable data (a WAL segment or the snapshot file).
     *
     * @return a description of where, or null if the disk holds nothing durable
     */
    String corrupt(SplitMix64 random) {
        return memory.flipDurableBit(random);
    }
}
