package dev.keel.node.disk;

import dev.keel.replica.Disk.WriteStatus;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongArrayList;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The WAL directory: segment files {@code <sequence as 16 hex digits>.wal}, the one being appended to (the
 * current, the newest) and the preallocated next one. Only the current segment may carry a zero tail: a
 * segment is cut to its written length and fsynced before the next one gets a segment name.
 */
final class SegmentFiles implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[0-9a-f]{16}\\.wal");

    private final Path dir;
    private final int segmentBytes;
    private final ChannelOpener opener;
    private final SegmentPreallocator preallocator;
    /** Segments on disk, ascending. */
    private final LongArrayList sequences = new LongArrayList();
    private FileChannel current;
    /** Bytes of the current segment holding appended data; beyond them lies preallocated space. */
    private long written;
    /** Appends are copied here: a channel writes a direct buffer without another copy. */
    private ByteBuffer scratch = ByteBuffer.allocateDirect(64 * 1024);

    SegmentFiles(Path dir, int segmentBytes, ChannelOpener opener) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.opener = opener;
        try {
            Files.deleteIfExists(dir.resolve(SegmentPreallocator.FILE_NAME)); // a crash's half-filled leftover
            long[] found = list(dir);
            for (long s : found) {
                sequences.addLong(s);
            }
            if (found.length > 0) {
                long last = found[found.length - 1];
                current = opener.open(path(last), StandardOpenOption.READ, StandardOpenOption.WRITE);
                written = current.size();
            }
        } catch (IOException e) {
            throw DiskIo.failure("opening the WAL in", dir, e);
        }
        this.preallocator = new SegmentPreallocator(dir, segmentBytes, opener);
    }

    private static long[] list(Path dir) throws IOException {
        LongArrayList found = new LongArrayList();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (NAME.matcher(name).matches()) {
                    found.addLong(Long.parseUnsignedLong(name.substring(0, 16), 16));
                }
            }
        }
        long[] sorted = found.toLongArray();
        Arrays.sort(sorted);
        return sorted;
    }

    Path path(long sequence) {
        return dir.resolve(String.format("%016x.wal", sequence));
    }

    /** @return the segments on disk, ascending */
    long[] sequences() {
        return sequences.toLongArray();
    }

    byte[] read(long sequence) {
        Path p = path(sequence);
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw DiskIo.failure("reading", p, e);
        }
    }

    WriteStatus append(DirectBuffer buffer, int offset, int length) {
        if (current == null) {
            throw new IllegalStateException("append before any WAL segment was started");
        }
        if (scratch.capacity() < length) {
            scratch = ByteBuffer.allocateDirect(Math.max(length, 2 * scratch.capacity()));
        }
        scratch.clear();
        buffer.getBytes(offset, scratch, 0, length);
        scratch.limit(length);
        try {
            DiskIo.writeFully(current, scratch, written);
            written += length;
            return WriteStatus.OK;
        } catch (IOException e) {
            if (!DiskIo.isNoSpace(e)) {
                throw DiskIo.failure("appending to", currentPath(), e);
            }
            cut(current, currentPath(), written, false); // nothing of a failed append is kept
            return WriteStatus.NO_SPACE;
        }
    }

    /** Gives the preallocated file segment {@code sequence}'s name; the current one is cut and fsynced first. */
    WriteStatus start(long sequence) {
        if (!sequences.isEmpty() && sequence <= sequences.getLong(sequences.size() - 1)) {
            throw new IllegalStateException("WAL segment sequence " + sequence + " does not grow past "
                    + sequences.getLong(sequences.size() - 1));
        }
        Path target = path(sequence);
        if (Files.exists(target)) {
            throw new IllegalStateException("WAL segment file " + target + " already exists");
        }
        Path fresh = preallocator.take();
        if (fresh == null) {
            return WriteStatus.NO_SPACE; // the current segment stays open for appends
        }
        if (current != null) {
            // Only the newest segment may end in zeros: recovery reads zeros elsewhere as corruption.
            cut(current, currentPath(), written, true);
            close(current, currentPath());
        }
        try {
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
            DiskIo.forceDirectory(dir);
            current = opener.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            current = null;
            throw DiskIo.failure("starting WAL segment", target, e);
        }
        sequences.addLong(sequence);
        written = 0;
        preallocator.prepareNext();
        return WriteStatus.OK;
    }

    /** fdatasync of the current segment: earlier segments were fsynced when they were cut. */
    void force() {
        if (current == null) {
            return;
        }
        try {
            current.force(false);
        } catch (IOException e) {
            throw DiskIo.failure("fdatasync of", currentPath(), e);
        }
    }

    /** Deletes the segments below {@code sequence} (never the current one), then fsyncs the directory. */
    void releaseBefore(long sequence) {
        int n = 0;
        while (n < sequences.size() && sequences.getLong(n) < sequence) {
            n++;
        }
        if (n == 0) {
            return;
        }
        if (n == sequences.size()) {
            throw new IllegalStateException("releasing every WAL segment below " + sequence
                    + " would delete the current one");
        }
        for (int i = 0; i < n; i++) {
            Path p = path(sequences.getLong(0));
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw DiskIo.failure("deleting", p, e);
            }
            sequences.removeAt(0);
        }
        DiskIo.forceDirectory(dir);
    }

    /**
     * Cuts segment {@code sequence} to {@code length} bytes, durably. The current segment is then zero-filled
     * again up to the segment size (etcd's {@code ZeroToEnd}): appends after a restart keep overwriting
     * preallocated space, whose fdatasync carries no size change.
     */
    void truncate(long sequence, int length) {
        if (!sequences.containsLong(sequence)) {
            throw new IllegalArgumentException("no WAL segment " + sequence + " in " + dir);
        }
        Path p = path(sequence);
        if (current != null && sequence == sequences.getLong(sequences.size() - 1)) {
            cut(current, p, length, true);
            written = length;
            preallocateCurrent();
            return;
        }
        try (FileChannel channel = opener.open(p, StandardOpenOption.WRITE)) {
            cut(channel, p, length, true);
        } catch (IOException e) {
            throw DiskIo.failure("closing", p, e);
        }
    }

    private void preallocateCurrent() {
        try {
            DiskIo.zeroFill(current, written, segmentBytes);
            current.force(true);
        } catch (IOException e) {
            if (!DiskIo.isNoSpace(e)) {
                throw DiskIo.failure("preallocating", currentPath(), e);
            }
            cut(current, currentPath(), written, true); // appends will grow the file instead
        }
    }

    private static void cut(FileChannel channel, Path p, long length, boolean durable) {
        try {
            if (length > channel.size()) {
                throw new IllegalArgumentException("cannot cut " + p + " of " + channel.size() + " bytes to "
                        + length);
            }
            channel.truncate(length);
            if (durable) {
                channel.force(true);
            }
        } catch (IOException e) {
            throw DiskIo.failure("truncating", p, e);
        }
    }

    private Path currentPath() {
        return path(sequences.getLong(sequences.size() - 1));
    }

    private static void close(FileChannel channel, Path p) {
        try {
            channel.close();
        } catch (IOException e) {
            throw DiskIo.failure("closing", p, e);
        }
    }

    /** Closes the current segment and stops the preallocator (nothing is flushed: a sync does that). */
    @Override
    public void close() {
        try {
            if (current != null) {
                close(current, currentPath());
                current = null;
            }
        } finally {
            preallocator.close();
        }
    }
}
