package dev.keel.node.disk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The exclusive lock on {@code <data-dir>/member/lock}, held while a disk is open (etcd locks its WAL files). */
final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws DataDirInUseException when another process, or another disk in this one, holds it */
    static DataDirLock acquire(Path lockFile, Path dataDir) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldHere) {
                lock = null; // the JVM refuses a second lock of its own rather than granting it
            }
            if (lock == null) {
                channel.close();
                throw new DataDirInUseException(dataDir);
            }
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw DiskIo.failure("locking", lockFile, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // already failing with the error that matters
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new DiskIoException("releasing the data dir lock failed: " + e, e);
        }
    }
}
