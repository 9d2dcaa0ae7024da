package dev.keel.node.disk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Prepares the next WAL segment on a helper thread, like etcd's file pipeline: a zero-filled, fsynced file of
 * the segment size under a temporary name, so cutting a segment costs the kernel thread a rename, not a 64 MiB
 * write. The temporary name matters: a preallocated file under a segment's name would become, after a crash,
 * a last segment of zeros behind a segment still carrying its own zero tail — which recovery must call
 * corruption.
 */
final class SegmentPreallocator implements AutoCloseable {
    /** The file being prepared (removed at start-up if a crash left it). */
    static final String FILE_NAME = "next.wal.tmp";

    private final Path file;
    private final long bytes;
    private final ChannelOpener opener;
    private final ExecutorService thread;
    /** The executor's one thread, joined on close (the executor reports termination before it has exited). */
    private volatile Thread worker;
    private Future<Path> pending;
    /** The last attempt found the device full: do not block the kernel thread on the retry. */
    private boolean lastAttemptFull;

    SegmentPreallocator(Path walDir, long bytes, ChannelOpener opener) {
        this.file = walDir.resolve(FILE_NAME);
        this.bytes = bytes;
        this.opener = opener;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "keel-wal-preallocator");
            t.setDaemon(true); // close() joins it; a host that dies without closing must not hang on it
            worker = t;
            return t;
        });
        prepareNext();
    }

    /** Starts preparing a file, once the one {@link #take} handed out was renamed away. */
    void prepareNext() {
        pending = thread.submit(this::fill);
    }

    /**
     * Waits for the prepared file (at once, normally: it was prepared while the previous segment filled).
     *
     * @return its path, to be renamed by the caller; or null when the device is full (a new attempt runs in
     *         the background, and while it runs this returns null without waiting)
     * @throws DiskIoException on any other I/O error
     */
    Path take() {
        if (pending == null) {
            prepareNext();
        }
        if (lastAttemptFull && !pending.isDone()) {
            return null;
        }
        try {
            Path ready = waitFor(pending);
            pending = null;
            lastAttemptFull = false;
            return ready;
        } catch (IOException e) {
            if (!DiskIo.isNoSpace(e)) {
                pending = null;
                throw DiskIo.failure("preallocating", file, e);
            }
            lastAttemptFull = true;
            prepareNext();
            return null;
        }
    }

    private static Path waitFor(Future<Path> f) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the kernel thread is not cancelled halfway through a segment cut
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IllegalStateException("preallocation failed", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean join(Thread t) throws InterruptedException {
        t.join(TimeUnit.MINUTES.toMillis(1));
        return !t.isAlive();
    }

    private Path fill() throws IOException {
        Files.deleteIfExists(file);
        try (FileChannel channel = opener.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            DiskIo.zeroFill(channel, 0, bytes);
            channel.force(true); // blocks and size durable now: the kernel thread's fdatasyncs carry no metadata
        } catch (IOException e) {
            Files.deleteIfExists(file); // a half-filled file would take space the member needs
            throw e;
        }
        return file;
    }

    /** Stops the helper thread (an unfinished fill is abandoned), joins it and removes an unused file. */
    @Override
    public void close() {
        thread.shutdownNow(); // the interrupt closes the channel of a fill in progress: it ends at once
        try {
            Thread t = worker;
            if (!thread.awaitTermination(1, TimeUnit.MINUTES) || (t != null && !join(t))) {
                throw new IllegalStateException("the WAL preallocation thread did not stop within a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining the WAL preallocation thread", e);
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw DiskIo.failure("removing", file, e);
        }
    }
}
