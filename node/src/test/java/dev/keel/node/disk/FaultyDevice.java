package dev.keel.node.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A device under a {@link FileDisk} with faults a test controls, through the disk's {@link ChannelOpener} seam:
 * a byte budget after which writes fail as the C library reports ENOSPC (after a short write, as a real full
 * device does), and an I/O error for every write. Only files matching {@link #applies} are affected.
 */
final class FaultyDevice implements ChannelOpener {
    /** Bytes that may still be written; Long.MAX_VALUE: unlimited. */
    final AtomicLong spaceLeft = new AtomicLong(Long.MAX_VALUE);
    /** When set, every write fails with it (a device error rather than a full one). */
    volatile IOException writeError;
    volatile Predicate<Path> applies = p -> true;

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        FileChannel real = FileChannel.open(path, options);
        return applies.test(path) ? new Channel(real) : real;
    }

    private final class Channel extends FileChannel {
        private final FileChannel real;

        Channel(FileChannel real) {
            this.real = real;
        }

        /** @return how many of {@code wanted} bytes fit, having charged them; throws when none does */
        private int charge(int wanted) throws IOException {
            if (writeError != null) {
                throw writeError;
            }
            while (true) {
                long left = spaceLeft.get();
                if (left <= 0) {
                    throw new IOException("No space left on device");
                }
                int n = (int) Math.min(wanted, left);
                if (left == Long.MAX_VALUE || spaceLeft.compareAndSet(left, left - n)) {
                    return n;
                }
            }
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            int n = charge(src.remaining());
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + n);
            int written = real.write(part, position);
            src.position(src.position() + written);
            return written;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = charge(src.remaining());
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + n);
            int written = real.write(part);
            src.position(src.position() + written);
            return written;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(srcs[i]);
            }
            return total;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            real.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            throw new UnsupportedOperationException("not used by the disk");
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            throw new UnsupportedOperationException("not used by the disk");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new UnsupportedOperationException("not used by the disk");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
