package dev.keel.node.disk;

import dev.keel.node.metrics.DiskTimings;
import dev.keel.replica.Disk;
import dev.keel.replica.DiskImage;
import dev.keel.replica.LoadedImage;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The replica's {@link Disk} on files, laid out like etcd's data directory:
 *
 * <pre>
 * &lt;data-dir&gt;/member/lock                       held exclusively while the disk is open
 * &lt;data-dir&gt;/member/wal/&lt;16 hex digits&gt;.wal     WAL segments, in sequence order
 * &lt;data-dir&gt;/member/wal/next.wal.tmp            the next segment, being preallocated
 * &lt;data-dir&gt;/member/snap/snapshot               the snapshot file (written as snapshot.tmp, then renamed)
 * </pre>
 *
 * <p>Segments are preallocated (zero-filled to the segment size, fsynced) by a helper thread while the
 * previous one fills, so appends overwrite allocated space and each {@code fdatasync} carries no size change;
 * recovery reads the zeros after the last record as the end of the log. {@link #sync} performs one
 * {@code fdatasync} synchronously on the calling (kernel) thread — the replica calls it once per Ready batch,
 * so that is the group commit — and remembers the sync ID: the host hands {@link #takeCompletedSync()} to
 * {@code Replica.onSynced} after the replica's call returned (the replica is never re-entered).
 *
 * <p>Errors: a full device (ENOSPC) is {@link WriteStatus#NO_SPACE} with nothing of the failed write kept;
 * any other I/O error is a {@link DiskIoException} naming the file, after which the host exits. Not
 * thread-safe: the kernel thread calls it (the helper thread touches only the file it prepares).
 */
public final class FileDisk implements Disk, AutoCloseable {
    /** Snapshot writes go through this much memory at a time (snapshots may be far larger). */
    private static final int SNAPSHOT_CHUNK = 1 << 20;

    private final Path dataDir;
    private final Path snapDir;
    private final Path snapshot;
    private final Path snapshotTemp;
    private final ChannelOpener opener;
    private final DataDirLock lock;
    private final SegmentFiles segments;
    private DiskTimings timings = DiskTimings.NONE;
    private ByteBuffer snapshotChunk;
    private long completedSync = -1;
    private long lastSyncId = Long.MIN_VALUE;
    private boolean closed;

    /**
     * Opens (creating on first use) the disk in {@code dataDir} and locks it.
     *
     * @param segmentBytes the size each WAL segment is preallocated to: the replica's
     *                     {@code ReplicaConfig.walSegmentBytes()} (etcd: 64 MiB)
     * @throws DataDirInUseException when another process holds the data directory
     * @throws DiskIoException       when the directories cannot be created or read
     */
    public static FileDisk open(Path dataDir, int segmentBytes) {
        return new FileDisk(dataDir, segmentBytes, ChannelOpener.FILES);
    }

    FileDisk(Path dataDir, int segmentBytes, ChannelOpener opener) {
        if (segmentBytes < 1) {
            throw new IllegalArgumentException("WAL segment size must be positive: " + segmentBytes);
        }
        this.dataDir = dataDir;
        this.opener = opener;
        Path member = dataDir.resolve("member");
        Path walDir = member.resolve("wal");
        this.snapDir = member.resolve("snap");
        this.snapshot = snapDir.resolve("snapshot");
        this.snapshotTemp = snapDir.resolve("snapshot.tmp");
        createDirectories(walDir);
        createDirectories(snapDir);
        this.lock = DataDirLock.acquire(member.resolve("lock"), dataDir);
        SegmentFiles opened = null;
        try {
            // A temp file is a snapshot write a crash interrupted; the rename never happened, so it is not the
            // snapshot, and the replica will write a new one.
            Files.deleteIfExists(snapshotTemp);
            opened = new SegmentFiles(walDir, segmentBytes, opener);
        } catch (IOException e) {
            lock.close();
            throw DiskIo.failure("removing", snapshotTemp, e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        this.segments = opened;
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw DiskIo.failure("creating directory", dir, e);
        }
    }

    // ---------------------------------------------------------------- the port

    /** @return whether the data directory holds a WAL segment or a snapshot (a member that ran before) */
    public boolean holdsData() {
        return segments.sequences().length > 0 || Files.exists(snapshot);
    }

    /** Reads every segment and the snapshot file into memory for recovery. */
    @Override
    public DiskImage load() {
        long[] sequences = segments.sequences();
        DirectBuffer[] buffers = new DirectBuffer[sequences.length];
        int[] lengths = new int[sequences.length];
        for (int i = 0; i < sequences.length; i++) {
            byte[] bytes = segments.read(sequences[i]);
            buffers[i] = new UnsafeBuffer(bytes);
            lengths[i] = bytes.length;
        }
        byte[] snapshotBytes = null;
        if (Files.exists(snapshot)) {
            try {
                snapshotBytes = Files.readAllBytes(snapshot);
            } catch (IOException e) {
                throw DiskIo.failure("reading", snapshot, e);
            }
        }
        return new LoadedImage(sequences, buffers, lengths, snapshotBytes);
    }

    @Override
    public WriteStatus append(DirectBuffer buffer, int offset, int length) {
        checkOpen();
        return segments.append(buffer, offset, length);
    }

    @Override
    public WriteStatus startSegment(long sequence) {
        checkOpen();
        return segments.start(sequence);
    }

    /** Reports fsync and snapshot durations to {@code timings} from now on (set before the kernel thread runs). */
    public void timings(DiskTimings timings) {
        this.timings = timings;
    }

    /** One {@code fdatasync} of the current segment, now; the ID is then {@link #takeCompletedSync() taken}. */
    @Override
    public void sync(long syncId) {
        checkOpen();
        if (syncId <= lastSyncId) {
            throw new IllegalStateException("sync ID " + syncId + " does not grow past " + lastSyncId);
        }
        long started = System.nanoTime();
        segments.force();
        timings.walFsync(System.nanoTime() - started);
        lastSyncId = syncId;
        completedSync = syncId;
    }

    /**
     * @return the newest sync ID whose {@code fdatasync} completed since the last call, or -1 if none: the
     *         host passes it to {@code Replica.onSynced} once the replica's call that requested it returned
     */
    public long takeCompletedSync() {
        long id = completedSync;
        completedSync = -1;
        return id;
    }

    /** Write temp, fsync, rename over the snapshot, fsync the directory: durable and atomic on return. */
    @Override
    public WriteStatus writeSnapshot(DirectBuffer buffer, int offset, int length) {
        checkOpen();
        long started = System.nanoTime();
        try (FileChannel channel = opener.open(snapshotTemp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeChunks(channel, buffer, offset, length);
            channel.force(true);
        } catch (IOException e) {
            deleteTemp();
            if (DiskIo.isNoSpace(e)) {
                return WriteStatus.NO_SPACE; // the old snapshot is untouched
            }
            throw DiskIo.failure("writing", snapshotTemp, e);
        }
        try {
            Files.move(snapshotTemp, snapshot, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw DiskIo.failure("renaming " + snapshotTemp + " to", snapshot, e);
        }
        DiskIo.forceDirectory(snapDir);
        timings.snapshotSave(System.nanoTime() - started);
        return WriteStatus.OK;
    }

    private void writeChunks(FileChannel channel, DirectBuffer buffer, int offset, int length) throws IOException {
        if (snapshotChunk == null) {
            snapshotChunk = ByteBuffer.allocateDirect(SNAPSHOT_CHUNK);
        }
        for (int done = 0; done < length; ) {
            int n = Math.min(SNAPSHOT_CHUNK, length - done);
            snapshotChunk.clear();
            buffer.getBytes(offset + done, snapshotChunk, 0, n);
            snapshotChunk.limit(n);
            DiskIo.writeFully(channel, snapshotChunk, done);
            done += n;
        }
    }

    private void deleteTemp() {
        try {
            Files.deleteIfExists(snapshotTemp);
        } catch (IOException e) {
            throw DiskIo.failure("removing", snapshotTemp, e);
        }
    }

    /** Deletes the segments below {@code sequence} and fsyncs the WAL directory. */
    @Override
    public void releaseSegmentsBefore(long sequence) {
        checkOpen();
        segments.releaseBefore(sequence);
    }

    /** Cuts the segment durably; the current one is then zero-filled again past {@code length}. */
    @Override
    public void truncate(long sequence, int length) {
        checkOpen();
        segments.truncate(sequence, length);
    }

    // ---------------------------------------------------------------- for the host

    /** @return segment {@code sequence}'s file (for a host naming the file in recovery's refusal) */
    public Path segmentFile(long sequence) {
        return segments.path(sequence);
    }

    /** @return the snapshot file's path (it exists once a snapshot was written) */
    public Path snapshotFile() {
        return snapshot;
    }

    public Path dataDir() {
        return dataDir;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the disk in " + dataDir + " is closed");
        }
    }

    /**
     * Closes the files, joins the preallocation thread and releases the data directory. Syncs nothing: what
     * was appended after the last {@link #sync} is as durable as a crash would leave it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            segments.close();
        } finally {
            lock.close();
        }
    }
}
