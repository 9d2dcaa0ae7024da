package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.KeyValueView;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.codec.ResponseView;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import dev.keel.kernel.mvcc.watch.BoundedWatchBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host's side of the contract, written out as the integration will use it: encode and validate a
 * client request, "propose" it (here: append to a list standing in for the Raft log), apply committed
 * entries on every replica in log order, answer from the leader's response, serve reads, drive lease time
 * and watches, and move state with a snapshot.
 */
class HostUsageExampleTest {
    private static final UnsafeBuffer KEY = new UnsafeBuffer("config/a".getBytes(StandardCharsets.US_ASCII));
    private static final UnsafeBuffer VALUE = new UnsafeBuffer("on".getBytes(StandardCharsets.US_ASCII));

    private final MvccStateMachine leader = new MvccStateMachine(new MvccConfig().ticksPerSecond(10));
    private final MvccStateMachine follower = new MvccStateMachine(new MvccConfig().ticksPerSecond(10));
    private final List<byte[]> raftLog = new ArrayList<>();
    private final ExpandableArrayBuffer response = new ExpandableArrayBuffer();

    /** Validate, then propose: a rejected request never reaches the log. */
    private MvccError propose(ExpandableArrayBuffer request, int length) {
        MvccError error = leader.validate(request, 0, length);
        if (error == MvccError.OK) {
            byte[] entry = new byte[length];
            request.getBytes(0, entry);
            raftLog.add(entry);
        }
        return error;
    }

    /** Commit: every replica applies the new entries in log order; the leader's response goes to the client. */
    private ResponseView commit() {
        ResponseView view = new ResponseView();
        for (long index = leader.appliedIndex() + 1; index <= raftLog.size(); index++) {
            UnsafeBuffer entry = new UnsafeBuffer(raftLog.get((int) index - 1));
            follower.apply(index, entry, 0, entry.capacity(), new ExpandableArrayBuffer());
            int length = leader.apply(index, entry, 0, entry.capacity(), response);
            view.wrap(response, 0, length);
        }
        leader.syncWatchers(1000);
        return view;
    }

    @Test
    void aHostDrivesTheStateMachine() {
        ExpandableArrayBuffer request = new ExpandableArrayBuffer();
        leader.promote(10);

        // A lease and a put attached to it.
        assertEquals(MvccError.OK, propose(request, SmallRequests.encodeLeaseGrant(request, 0, 5, 0)));
        ResponseView granted = commit();
        long leaseId = granted.bodyLong(0);
        assertEquals(5, granted.bodyLong(1));
        int length = PutRequest.encode(request, 0, KEY, 0, KEY.capacity(), VALUE, 0, VALUE.capacity(), leaseId, 0);
        assertEquals(MvccError.OK, propose(request, length));
        assertEquals(2, commit().revision());

        // A bad request is answered with etcd's error and never proposed.
        length = PutRequest.encode(request, 0, KEY, 0, 0, VALUE, 0, 0, 0, 0);
        MvccError empty = propose(request, length);
        assertEquals("etcdserver: key is not provided", empty.message());
        assertEquals(2, raftLog.size());

        // A watcher on the prefix, with a bounded per-stream buffer.
        BoundedWatchBuffer stream = new BoundedWatchBuffer(64 * 1024);
        leader.watch(-1, new UnsafeBuffer("config/config0".getBytes(StandardCharsets.US_ASCII)), 0, 7, 7, 7, 1, 0,
                stream);
        leader.syncWatchers(1000);

        // Reads go straight to the store (after a ReadIndex round for linearizable reads).
        RangeRequest.Options options = new RangeRequest.Options().reset();
        length = RangeRequest.encode(request, 0, KEY, 0, KEY.capacity(), KEY, 0, 0, options);
        ResponseView read = new ResponseView().wrap(response, 0, leader.range(request, 0, length, response));
        assertEquals(1, read.count());
        assertEquals(leaseId, new KeyValueView().wrap(response, read.kvsAt()).lease());

        // Lease time: the leader ticks, finds the expired lease and proposes its revoke.
        LongArrayList expired = new LongArrayList();
        for (int tick = 0; tick < 70 && expired.isEmpty(); tick++) {
            leader.tick();
            follower.tick();
            leader.expiredLeases(expired);
        }
        assertEquals(leaseId, expired.getLong(0));
        assertEquals(MvccError.OK, propose(request, SmallRequests.encodeLeaseRevoke(request, 0, expired.getLong(0))));
        assertEquals(RequestType.LEASE_REVOKE, commit().type());
        assertEquals(3, follower.revision());

        // The watcher saw the put and the delete caused by the expiry.
        List<Integer> eventTypes = new ArrayList<>();
        stream.drain((id, bytes, offset, size) -> {
            ResponseView events = new ResponseView().wrap(bytes, offset, size);
            for (int i = 0, p = events.eventsAt(); i < events.eventCount(); i++) {
                eventTypes.add((int) bytes.getByte(p));
                p = new KeyValueView().wrap(bytes, p + 2).end();
            }
        });
        assertEquals(List.of(ResponseLayout.EVENT_PUT, ResponseLayout.EVENT_DELETE), eventTypes);

        // A new replica catches up from a snapshot, then from the log after it.
        MvccStateMachine fresh = new MvccStateMachine(new MvccConfig().ticksPerSecond(10));
        ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer();
        assertTrue(fresh.restore(snapshot, 0, follower.snapshot(snapshot)));
        assertEquals(follower.appliedIndex(), fresh.appliedIndex());
        ExpandableArrayBuffer a = new ExpandableArrayBuffer();
        ExpandableArrayBuffer b = new ExpandableArrayBuffer();
        int ha = fresh.hashKv(0, a);
        assertEquals(ha, leader.hashKv(0, b));
        assertEquals(a.getLong(ResponseLayout.HEADER_LENGTH), b.getLong(ResponseLayout.HEADER_LENGTH));
    }
}
