package dev.keel.benchmarks.codec;

import dev.keel.kernel.raft.EntryType;
import dev.keel.replica.Disk.WriteStatus;
import dev.keel.replica.DiskImage;
import dev.keel.replica.MemoryDisk;
import dev.keel.replica.wal.RecoveredLog;
import dev.keel.replica.wal.WalRecovery;
import dev.keel.replica.wal.WalWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Decoding the WAL: {@link WalRecovery} reading one segment that {@link WalWriter} wrote — {@value #BATCHES}
 * batches of {@value CodecBenchmark#ENTRIES} sample entries (~300 B) and their hard states — verifying both
 * checksums of every record and rebuilding the in-memory log. One operation = one entry. This runs once per
 * start-up, not in steady state, and copies every entry into the log it rebuilds, so it allocates by design
 * (about an entry's size per entry).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class WalRecoveryBenchmark {
    static final int BATCHES = 64;
    private static final int ENTRIES = BATCHES * CodecBenchmark.ENTRIES;

    private DiskImage image;

    /** Writes the segment with the replica's own writer and checks that recovery reads every entry back. */
    @Setup
    public void setUp() {
        MemoryDisk disk = new MemoryDisk();
        WalWriter writer = new WalWriter(disk, 64 * 1024 * 1024);
        SampleEntries entries = new SampleEntries(CodecBenchmark.ENTRIES);
        long index = 0;
        for (int b = 0; b < BATCHES; b++) {
            for (int i = 0; i < entries.count(); i++) {
                expectOk(writer.entry(++index, SampleEntries.TERM, EntryType.NORMAL, entries.buffer(),
                        entries.offset(i), entries.length(i)));
            }
            expectOk(writer.hardState(SampleEntries.TERM, 1, index));
        }
        image = disk.load();
        RecoveredLog log = recover();
        if (log.corrupted() || log.storage == null || log.storage.lastIndex() != ENTRIES || log.commit != ENTRIES) {
            throw new IllegalStateException("recovery did not read back " + ENTRIES + " entries: " + log.corruption);
        }
    }

    private static void expectOk(WriteStatus status) {
        if (status != WriteStatus.OK) {
            throw new IllegalStateException("in-memory WAL refused a write: " + status);
        }
    }

    /** Reads the whole segment back into an in-memory log. */
    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public RecoveredLog recover() {
        return WalRecovery.read(image);
    }
}
