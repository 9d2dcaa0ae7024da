package dev.keel.benchmarks.replica;

import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.raft.ConfState;
import dev.keel.kernel.raft.RaftConfig;
import dev.keel.replica.AutoCompaction;
import dev.keel.replica.Fate;
import dev.keel.replica.MemoryDisk;
import dev.keel.replica.Replica;
import dev.keel.replica.ReplicaConfig;
import dev.keel.replica.ReplicaError;
import dev.keel.replica.ReplicaObserver;
import dev.keel.replica.ReplyPort;
import dev.keel.transport.InMemoryTransport;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * A cluster of production replicas in one thread, hosted the simplest way: messages are routed into the
 * target's in-memory transport and handed to it, syncs complete as soon as they are requested, one tick per
 * batch. Used by {@link ReplicaClusterBenchmark}.
 */
final class ReplicaCluster implements ReplyPort {
    private static final int SEGMENT_BYTES = 4 * 1024 * 1024;
    private final Replica[] replicas;
    private final MemoryDisk[] disks;
    private final InMemoryTransport[] transports;
    private final ExpandableArrayBuffer[] requests;
    private final int[] requestLengths;
    private long answered;
    private long failed;
    private long nextToken = 1;

    ReplicaCluster(int size) {
        ConfState members = new ConfState();
        for (int id = 1; id <= size; id++) {
            members.addVoter(id);
        }
        replicas = new Replica[size];
        disks = new MemoryDisk[size];
        transports = new InMemoryTransport[size];
        for (int i = 0; i < size; i++) {
            long id = i + 1;
            RaftConfig raft = RaftConfig.defaults(id, 1000 + id).withFlowControl(4 * 1024 * 1024, 256);
            // Auto-compaction keeps the store's history bounded, as any etcd deployment under constant writes does.
            ReplicaConfig config = ReplicaConfig.defaults(raft, members).withSnapshots(50_000, 5_000)
                    .withAutoCompaction(AutoCompaction.revision(10_000, 10)).withWalSegmentBytes(SEGMENT_BYTES);
            disks[i] = new MemoryDisk(SEGMENT_BYTES + 64 * 1024); // sized once: the disk's growth is not Keel's cost
            transports[i] = new InMemoryTransport(id, this::route, 1 << 20);
            replicas[i] = new Replica(config, disks[i], transports[i], this, ReplicaObserver.NONE);
            if (!replicas[i].start(1).started()) {
                throw new IllegalStateException("replica " + id + " did not start");
            }
            Replica r = replicas[i];
            disks[i].onSynced = r::onSynced;
        }
        requests = new ExpandableArrayBuffer[64];
        requestLengths = new int[requests.length];
        byte[] value = new byte[256];
        for (int k = 0; k < requests.length; k++) {
            requests[k] = new ExpandableArrayBuffer(512);
            UnsafeBuffer key = new UnsafeBuffer(("bench/" + k).getBytes(StandardCharsets.US_ASCII));
            requestLengths[k] = PutRequest.encode(requests[k], 0, key, 0, key.capacity(), new UnsafeBuffer(value), 0,
                    value.length, 0, 0);
        }
        electFirst();
    }

    private boolean route(long from, long to, DirectBuffer buffer, int offset, int length) {
        return transports[(int) to - 1].deliver(from, buffer, offset, length);
    }

    private void electFirst() {
        for (int tick = 0; tick < 1000 && !replicas[0].isLeader(); tick++) {
            replicas[0].tick();
            settle();
        }
        if (!replicas[0].isLeader()) {
            throw new IllegalStateException("replica 1 did not become leader");
        }
    }

    /** Moves messages and completes syncs until nothing is left to do. */
    void settle() {
        boolean busy = true;
        while (busy) {
            busy = false;
            for (int i = 0; i < replicas.length; i++) {
                Replica r = replicas[i];
                busy |= transports[i].poll((from, b, o, l) -> r.receive(from, b, o, l), Integer.MAX_VALUE) > 0;
                busy |= disks[i].completeSyncs() > 0;
            }
        }
    }

    /**
     * Submits {@code n} puts on the leader and settles until all are answered (one tick per batch drives
     * heartbeats and the leader's auto-compaction); returns the answers so far.
     */
    long putBatch(int n) {
        long target = answered + n;
        for (Replica r : replicas) {
            r.tick();
        }
        for (int i = 0; i < n; i++) {
            int k = (int) (nextToken % requests.length);
            replicas[0].write(nextToken++, requests[k], 0, requestLengths[k]);
        }
        settle();
        if (answered != target || failed != 0) {
            throw new IllegalStateException("answered " + answered + " of " + target + ", failed " + failed);
        }
        return answered;
    }

    @Override
    public void succeeded(long token, DirectBuffer response, int offset, int length) {
        answered++;
    }

    @Override
    public void adminSucceeded(long token, ConfState members, long leader) {
        answered++;
    }

    @Override
    public void rejected(long token, MvccError error) {
        failed++;
        answered++;
    }

    @Override
    public void failed(long token, ReplicaError error, Fate fate, long leaderHint) {
        failed++;
        answered++;
    }
}
