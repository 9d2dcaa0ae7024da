package dev.keel.node.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** File operations the disk classes share: full writes, zero fills, directory fsyncs, telling ENOSPC apart. */
final class DiskIo {
    /** Zeros for preallocation; only ever read, through a duplicate per use (two threads fill files). */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20);

    private DiskIo() {
    }

    /**
     * @return whether {@code e} says the device is full: Java has no errno, so the message is what tells — the
     *         C library's text for ENOSPC (and EDQUOT, a quota reached: to the member, the same condition)
     */
    static boolean isNoSpace(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("ENOSPC")
                    || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    static DiskIoException failure(String what, Path path, IOException e) {
        return new DiskIoException(what + " " + path + " failed: " + e, e);
    }

    /** Writes all of {@code src} (position to limit) at {@code position}: a channel may write less per call. */
    static void writeFully(FileChannel channel, ByteBuffer src, long position) throws IOException {
        long at = position;
        while (src.hasRemaining()) {
            at += channel.write(src, at);
        }
    }

    /** Writes zeros over {@code [from, to)}: the way to preallocate without fallocate. */
    static void zeroFill(FileChannel channel, long from, long to) throws IOException {
        ByteBuffer zeros = ZEROS.duplicate();
        for (long at = from; at < to; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - at));
            int n = channel.write(zeros, at);
            at += n;
        }
    }

    /** Makes a directory's entries durable (a created, renamed or deleted file survives a crash only then). */
    static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            throw failure("fsync of directory", dir, e);
        }
    }
}
