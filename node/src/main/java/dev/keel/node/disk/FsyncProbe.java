package dev.keel.node.disk;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * Measures what a WAL batch's {@code fdatasync} costs on a directory's device, the floor under every write's
 * latency (etcd's {@code wal_fsync_duration_seconds}): a file preallocated like a WAL segment (zero-filled and
 * fsynced first, so no sample pays for block allocation), then {@code samples} times: write {@code bytes} at
 * the next offset and time {@code force(false)}. Only the {@code force} is timed; the write lands in the page
 * cache in microseconds.
 */
public final class FsyncProbe {
    /** The probe file is at most this large (samples × bytes). */
    static final long MAX_FILE_BYTES = 1L << 30;

    private FsyncProbe() {
    }

    /**
     * What was measured, in microseconds.
     *
     * @param samples how many fdatasyncs were timed
     * @param bytes   bytes written before each
     */
    public record Result(int samples, int bytes, long p50Micros, long p99Micros, long maxMicros, double meanMicros) {
        @Override
        public String toString() {
            return String.format("%d fdatasyncs after %d-byte writes: p50 %d us, p99 %d us, max %d us, mean %.1f us",
                    samples, bytes, p50Micros, p99Micros, maxMicros, meanMicros);
        }
    }

    /**
     * @param dir     where the probe file is made (and removed afterwards): a directory on the device to measure
     * @param samples how many fdatasyncs to time, at least 1
     * @param bytes   bytes written before each, at least 1; {@code samples × bytes} at most 1 GiB
     * @throws IllegalArgumentException for counts out of range
     * @throws DiskIoException          when the file cannot be made, written or synced
     */
    public static Result measure(Path dir, int samples, int bytes) {
        if (samples < 1 || bytes < 1 || (long) samples * bytes > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("samples and bytes must be positive, their product at most "
                    + MAX_FILE_BYTES + " bytes: " + samples + " x " + bytes);
        }
        Path file;
        try {
            file = Files.createTempFile(dir, "keel-fsync-probe", ".tmp");
        } catch (IOException e) {
            throw DiskIo.failure("creating a probe file in", dir, e);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            DiskIo.zeroFill(channel, 0, (long) samples * bytes);
            channel.force(true);
            return time(channel, samples, bytes);
        } catch (IOException e) {
            throw DiskIo.failure("probing fdatasync on", file, e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a probe file left in a temp directory is harmless; the measurement is what was asked for
            }
        }
    }

    private static Result time(FileChannel channel, int samples, int bytes) throws IOException {
        ByteBuffer record = ByteBuffer.allocateDirect(bytes);
        for (int i = 0; i < bytes; i++) {
            record.put(i, (byte) (i * 31 + 7)); // not zeros: a device may treat zero writes specially
        }
        Histogram nanos = new Histogram(3);
        for (int i = 0; i < samples; i++) {
            record.clear();
            DiskIo.writeFully(channel, record, (long) i * bytes);
            long start = System.nanoTime();
            channel.force(false);
            nanos.recordValue(System.nanoTime() - start);
        }
        return new Result(samples, bytes, nanos.getValueAtPercentile(50) / 1000,
                nanos.getValueAtPercentile(99) / 1000, nanos.getMaxValue() / 1000, nanos.getMean() / 1000);
    }

    /** {@code FsyncProbe [dir] [samples] [bytes]}: defaults the temp directory, 1000 samples, 4096 bytes. */
    public static void main(String[] args) {
        try {
            Path dir = Paths.get(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir"));
            int samples = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
            int bytes = args.length > 2 ? Integer.parseInt(args[2]) : 4096;
            System.out.println(dir + ": " + measure(dir, samples, bytes));
        } catch (IllegalArgumentException | DiskIoException e) {
            System.err.println("FsyncProbe: " + e.getMessage());
            System.err.println("usage: FsyncProbe [dir] [samples] [bytes]");
            System.exit(2);
        }
    }
}
