package dev.keel.benchmarks.wal;

import dev.keel.benchmarks.codec.SampleEntries;
import dev.keel.kernel.raft.EntryType;
import dev.keel.node.disk.FileDisk;
import dev.keel.replica.Disk.WriteStatus;
import dev.keel.replica.ReplicaConfig;
import dev.keel.replica.wal.RecoveredLog;
import dev.keel.replica.wal.WalRecovery;
import dev.keel.replica.wal.WalWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The node's file-backed WAL as the kernel thread drives it for one Ready batch: {@link WalWriter} frames
 * {@value #BATCH} sample entries (~300 B each, see {@link SampleEntries}) and the batch's hard state into
 * {@link FileDisk}'s current segment (one positional write per record), cuts a new 64 MiB segment when the
 * current one is full and releases the segments behind it. {@link #appendBatch} stops there, so its time and
 * allocation are the append path alone; {@link #appendBatchSync} adds the group commit's one {@code fdatasync}.
 * One operation = one batch. The data directory is a fresh temporary directory (under {@code java.io.tmpdir},
 * which must be a real disk for the fsync figure to mean anything), deleted after the trial.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class WalAppendBenchmark {
    static final int BATCH = 64;
    private static final int SEGMENT_BYTES = ReplicaConfig.DEFAULT_WAL_SEGMENT_BYTES;

    private final SampleEntries entries = new SampleEntries(BATCH);
    private Path dir;
    private FileDisk disk;
    private WalWriter writer;
    private long index;
    private long syncId;

    /** Opens a fresh WAL, and first checks on a separate one that a synced batch is read back after a reopen. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("keel-wal-bench");
        checkRoundTrip(dir.resolve("check"));
        disk = FileDisk.open(dir.resolve("bench"), SEGMENT_BYTES);
        writer = new WalWriter(disk, SEGMENT_BYTES);
    }

    private void checkRoundTrip(Path data) {
        try (FileDisk first = FileDisk.open(data, SEGMENT_BYTES)) {
            disk = first;
            writer = new WalWriter(first, SEGMENT_BYTES);
            appendBatchSync();
            if (first.takeCompletedSync() != syncId) {
                throw new IllegalStateException("the sync did not complete");
            }
        }
        try (FileDisk reopened = FileDisk.open(data, SEGMENT_BYTES)) {
            RecoveredLog log = WalRecovery.read(reopened.load());
            if (log.corrupted() || log.storage.lastIndex() != BATCH || log.commit != BATCH) {
                throw new IllegalStateException("the WAL did not read back " + BATCH + " entries: " + log.corruption);
            }
        }
        index = 0;
        syncId = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        disk.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(WalAppendBenchmark::delete);
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends a batch and its hard state, without syncing: the CPU and allocation of the append path. */
    @Benchmark
    public long appendBatch() {
        for (int i = 0; i < BATCH; i++) {
            expectOk(writer.entry(++index, SampleEntries.TERM, EntryType.NORMAL, entries.buffer(), entries.offset(i),
                    entries.length(i)));
        }
        expectOk(writer.hardState(SampleEntries.TERM, 1, index));
        expectOk(writer.rollIfFull());
        if (writer.segmentCount() > 2) {
            writer.releaseCoveredBy(index); // what a snapshot at the applied index lets the replica do
        }
        return index;
    }

    /** Appends a batch and its hard state, then one {@code fdatasync}: a group commit as the node does it. */
    @Benchmark
    public long appendBatchSync() {
        long last = appendBatch();
        disk.sync(++syncId);
        return last;
    }

    private static void expectOk(WriteStatus status) {
        if (status != WriteStatus.OK) {
            throw new IllegalStateException("the WAL refused a write (" + status + "): is the disk full?");
        }
    }
}
