package dev.keel.node.disk;

import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.mvcc.codec.KeyValueView;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.ResponseView;
import dev.keel.kernel.raft.ConfState;
import dev.keel.kernel.raft.RaftConfig;
import dev.keel.replica.Fate;
import dev.keel.replica.Replica;
import dev.keel.replica.ReplicaConfig;
import dev.keel.replica.ReplicaError;
import dev.keel.replica.ReplicaObserver;
import dev.keel.replica.ReplyPort;
import dev.keel.replica.StartResult;
import dev.keel.transport.MessageHandler;
import dev.keel.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A one-member cluster on a {@link FileDisk}, driven the way the node's kernel thread will: every call into
 * the replica is followed by handing it the disk's completed syncs, after the call returned. No threads, no
 * clock: ticks are calls.
 */
final class FileMember implements ReplyPort, AutoCloseable {
    static final int SEGMENT_BYTES = 4096;

    final FileDisk disk;
    final Replica replica;
    final StartResult start;
    /** Each answered token: true when the request succeeded. */
    final Map<Long, Boolean> answers = new HashMap<>();
    private long nextToken = 1;

    FileMember(Path dataDir, long bootStamp) {
        disk = FileDisk.open(dataDir, SEGMENT_BYTES);
        ReplicaConfig config = ReplicaConfig.defaults(RaftConfig.defaults(1, 42), ConfState.ofVoters(1))
                .withWalSegmentBytes(SEGMENT_BYTES);
        replica = new Replica(config, disk, new NoPeers(), this, ReplicaObserver.NONE);
        start = replica.start(bootStamp);
    }

    /** Hands the replica what the disk completed, until nothing more is pending. */
    void pump() {
        for (long id = disk.takeCompletedSync(); id >= 0; id = disk.takeCompletedSync()) {
            replica.onSynced(id);
        }
    }

    void tickUntilLeader() {
        for (int i = 0; i < 1000 && !replica.isLeader(); i++) {
            replica.tick();
            pump();
        }
        if (!replica.isLeader()) {
            throw new AssertionError("a single member did not become leader in 1000 ticks");
        }
    }

    /** @return whether the put was acknowledged */
    boolean put(String key, String value) {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
        UnsafeBuffer k = utf8(key);
        UnsafeBuffer v = utf8(value);
        int n = PutRequest.encode(out, 0, k, 0, k.capacity(), v, 0, v.capacity(), 0, 0);
        long token = nextToken++;
        replica.write(token, out, 0, n);
        pump();
        return Boolean.TRUE.equals(answers.get(token));
    }

    /** @return the key's value in the member's store, read directly, or null */
    String value(String key) {
        ExpandableArrayBuffer request = new ExpandableArrayBuffer(64);
        UnsafeBuffer k = utf8(key);
        int n = RangeRequest.encode(request, 0, k, 0, k.capacity(), new UnsafeBuffer(new byte[0]), 0, 0,
                new RangeRequest.Options().reset());
        ExpandableArrayBuffer response = new ExpandableArrayBuffer(256);
        int length = replica.mvcc().range(request, 0, n, response);
        ResponseView view = new ResponseView().wrap(response, 0, length);
        if (!view.isOk() || view.kvCount() == 0) {
            return null;
        }
        return new String(new KeyValueView().wrap(response, view.kvsAt()).value(), StandardCharsets.UTF_8);
    }

    private static UnsafeBuffer utf8(String s) {
        return new UnsafeBuffer(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Closes the disk without stopping the replica: the process ends as a crash would end it. */
    @Override
    public void close() {
        disk.close();
    }

    @Override
    public void succeeded(long token, DirectBuffer response, int offset, int length) {
        answers.put(token, new ResponseView().wrap(response, offset, length).isOk());
    }

    @Override
    public void rejected(long token, MvccError error) {
        answers.put(token, false);
    }

    @Override
    public void failed(long token, ReplicaError error, Fate fate, long leaderHint) {
        answers.put(token, false);
    }

    @Override
    public void adminSucceeded(long token, ConfState members, long leader) {
        answers.put(token, true);
    }

    /** A one-member cluster has no one to talk to. */
    private static final class NoPeers implements Transport {
        @Override
        public long localId() {
            return 1;
        }

        @Override
        public boolean send(long to, DirectBuffer buffer, int offset, int length) {
            throw new AssertionError("a single member sent a message to " + to);
        }

        @Override
        public int poll(MessageHandler handler, int limit) {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
