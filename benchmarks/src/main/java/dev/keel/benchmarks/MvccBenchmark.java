package dev.keel.benchmarks;

import dev.keel.kernel.mvcc.MvccConfig;
import dev.keel.kernel.mvcc.MvccStateMachine;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import dev.keel.kernel.mvcc.codec.TxnCompare;
import dev.keel.kernel.mvcc.codec.TxnEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The MVCC state machine's hot paths, measured on the apply/read calls a host makes (requests are encoded
 * once up front, as a host encodes before proposing). The keyspace is bounded: 10,000 keys overwritten
 * round-robin, and every 8,192 writes the benchmark applies a Compact at the current revision, so history
 * stays bounded and the cost of compaction (logical at apply, physical in bounded steps after each apply)
 * is part of the measured figures.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MvccBenchmark -prof gc -wi 2 -i 3 -f 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class MvccBenchmark {
    private static final int KEYS = 10_000;
    private static final int VALUE_BYTES = 256;
    private static final int COMPACT_EVERY = 8192;
    private static final int WATCHERS = 100;

    private MvccStateMachine store;
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(64 * 1024);
    private final ExpandableArrayBuffer compact = new ExpandableArrayBuffer(64);
    private ExpandableArrayBuffer puts;
    private int[] putOffsets;
    private int[] putLengths;
    private ExpandableArrayBuffer txns;
    private int[] txnOffsets;
    private int[] txnLengths;
    private final ExpandableArrayBuffer pointGet = new ExpandableArrayBuffer(128);
    private int pointGetLength;
    private final ExpandableArrayBuffer prefixRange = new ExpandableArrayBuffer(128);
    private int prefixRangeLength;
    private long raftIndex;
    private int next;
    private int sinceCompact;
    private long delivered;

    @Setup
    public void setUp() {
        store = new MvccStateMachine(new MvccConfig());
        byte[] value = new byte[VALUE_BYTES];
        java.util.Arrays.fill(value, (byte) 'v');
        UnsafeBuffer valueBuffer = new UnsafeBuffer(value);
        puts = new ExpandableArrayBuffer(KEYS * (VALUE_BYTES + 64));
        putOffsets = new int[KEYS];
        putLengths = new int[KEYS];
        txns = new ExpandableArrayBuffer(KEYS * (VALUE_BYTES + 128));
        txnOffsets = new int[KEYS];
        txnLengths = new int[KEYS];
        TxnEncoder txn = new TxnEncoder();
        int p = 0;
        int t = 0;
        for (int i = 0; i < KEYS; i++) {
            UnsafeBuffer key = key(i);
            putOffsets[i] = p;
            putLengths[i] = PutRequest.encode(puts, p, key, 0, key.capacity(), valueBuffer, 0, VALUE_BYTES, 0, 0);
            p += putLengths[i];
            // compare-and-put: if version(key) > 0 then put key
            txnOffsets[i] = t;
            txn.begin(txns, t).compare(TxnCompare.GREATER, TxnCompare.VERSION, 0, key, 0, key.capacity(), key, 0, 0,
                    key, 0, 0).success();
            txn.opEnd(PutRequest.encode(txns, txn.opStart(), key, 0, key.capacity(), valueBuffer, 0, VALUE_BYTES, 0, 0));
            txnLengths[i] = txn.end();
            t += txnLengths[i];
        }
        for (int i = 0; i < KEYS; i++) {
            applyPut(i);
        }
        UnsafeBuffer one = key(42);
        pointGetLength = RangeRequest.encode(pointGet, 0, one, 0, one.capacity(), one, 0, 0,
                new RangeRequest.Options().reset());
        // "key/00010" .. "key/00019": a prefix holding exactly ten keys
        byte[] prefix = "key/0001".getBytes(StandardCharsets.US_ASCII);
        byte[] end = "key/0002".getBytes(StandardCharsets.US_ASCII);
        prefixRangeLength = RangeRequest.encode(prefixRange, 0, new UnsafeBuffer(prefix), 0, prefix.length,
                new UnsafeBuffer(end), 0, end.length, new RangeRequest.Options().reset());
    }

    private static UnsafeBuffer key(int i) {
        return new UnsafeBuffer(String.format("key/%05d", i).getBytes(StandardCharsets.US_ASCII));
    }

    private int applyPut(int i) {
        return apply(puts, putOffsets[i], putLengths[i]);
    }

    private int apply(DirectBuffer buffer, int offset, int length) {
        int written = store.apply(++raftIndex, buffer, offset, length, out);
        if (++sinceCompact == COMPACT_EVERY) {
            sinceCompact = 0;
            int n = SmallRequests.encodeCompact(compact, 0, store.revision(), 0);
            store.apply(++raftIndex, compact, 0, n, out);
        }
        return written;
    }

    private int nextKey() {
        int i = next;
        next = i + 1 == KEYS ? 0 : i + 1;
        return i;
    }

    /** Put of a 256-byte value over a bounded, compacted keyspace. */
    @Benchmark
    public int put() {
        return applyPut(nextKey());
    }

    /** Point read of one key (served without the log). */
    @Benchmark
    public int pointGet() {
        return store.range(pointGet, 0, pointGetLength, out);
    }

    /** Range of the ten keys under a prefix. */
    @Benchmark
    public int rangePrefix10() {
        return store.range(prefixRange, 0, prefixRangeLength, out);
    }

    /** Txn: if version(key) > 0 then put key (256-byte value). */
    @Benchmark
    public int txnCompareAndPut() {
        int i = nextKey();
        return apply(txns, txnOffsets[i], txnLengths[i]);
    }

    /** State with 100 watchers on one prefix; each put is delivered to all of them. */
    @State(Scope.Thread)
    public static class FanOut {
        MvccBenchmark bench;
        long deliveredBefore;

        @Setup
        public void setUp() {
            bench = new MvccBenchmark();
            bench.setUp();
            byte[] range = "key/key0".getBytes(StandardCharsets.US_ASCII);
            MutableDirectBuffer keys = new UnsafeBuffer(range);
            for (int w = 0; w < WATCHERS; w++) {
                bench.store.watch(-1, keys, 0, 4, 4, 4, 0, 0, (id, response, offset, length) -> {
                    bench.delivered += length;
                    return true;
                });
            }
        }
    }

    /** Put with fan-out of its event to 100 watchers (the sink copies nothing; encoding is per watcher). */
    @Benchmark
    public long watchFanOut100(FanOut state) {
        MvccBenchmark bench = state.bench;
        bench.applyPut(bench.nextKey());
        return bench.delivered;
    }
}
