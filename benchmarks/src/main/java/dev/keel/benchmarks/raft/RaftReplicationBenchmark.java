package dev.keel.benchmarks.raft;

import dev.keel.kernel.raft.RaftNode;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * A 3-node in-memory cluster in one thread: the leader proposes a batch of 256-byte entries, and the batch is
 * replicated, committed and applied on all three before the next. One operation = one entry. Run with
 * {@code -prof gc} and read {@code gc.alloc.rate.norm}: the goal is 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class RaftReplicationBenchmark {
    static final int BATCH = 256;
    private static final int COMPACT_EVERY = 64 * 1024;

    @Param({"256"})
    int entryBytes;

    private InMemoryCluster cluster;
    private UnsafeBuffer payload;
    private final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
    private long sinceCompaction;

    @Setup(Level.Trial)
    public void setUp() {
        cluster = new InMemoryCluster(3);
        payload = new UnsafeBuffer(new byte[entryBytes]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long replicateBatch() {
        RaftNode leader = cluster.leader();
        long last = 0;
        for (int i = 0; i < BATCH; i++) {
            last = leader.propose(payload, 0, entryBytes);
        }
        cluster.pump();
        for (RaftNode node : cluster.nodes) {
            if (node.appliedIndex() < last) {
                throw new IllegalStateException("batch not applied everywhere: " + node);
            }
        }
        sinceCompaction += BATCH;
        if (sinceCompaction >= COMPACT_EVERY) {
            sinceCompaction = 0;
            cluster.compactAll(empty);
        }
        return last;
    }
}
