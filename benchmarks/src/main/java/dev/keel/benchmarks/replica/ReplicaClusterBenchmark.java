package dev.keel.benchmarks.replica;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Three production {@code Replica}s in one thread over an in-memory disk port (syncs complete at once) and an
 * in-memory transport: a batch of etcd puts (256-byte values, 64 distinct keys) is submitted on the leader and
 * every put is answered — proposed in its envelope, written to the WAL, replicated, synced, applied to the
 * MVCC store on all three, replied. One operation = one put. Compare with {@code RaftReplicationBenchmark}
 * (the kernel alone) to see what the server logic and the store cost per write.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class ReplicaClusterBenchmark {
    static final int BATCH = 256;

    private ReplicaCluster cluster;

    @Setup(Level.Trial)
    public void setUp() {
        cluster = new ReplicaCluster(3);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long putBatch() {
        return cluster.putBatch(BATCH);
    }
}
