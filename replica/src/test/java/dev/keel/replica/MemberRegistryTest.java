package dev.keel.replica;

import dev.keel.kernel.raft.ConfState;
import dev.keel.replica.snapshot.SnapshotFile;
import dev.keel.replica.testing.TestCluster;
import dev.keel.replica.testing.TestCluster.Outcome;
import dev.keel.replica.wal.WalRecord;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replicated member registry: founders' and added members' metadata, through changes and snapshots. */
class MemberRegistryTest {
    private static final Map<Long, byte[]> FOUNDERS = Map.of(1L, bytes("p1"), 2L, bytes("p2"), 3L, bytes("p3"));

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<Long, String> registryOf(TestCluster c, long id) {
        Map<Long, String> out = new TreeMap<>();
        c.node(id).replica.members().all().forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
        return out;
    }

    private static void tickAll(TestCluster c, int times) {
        for (int i = 0; i < times; i++) {
            c.tickAll();
        }
    }

    private static void succeeded(TestCluster c, long on, long token) {
        Outcome o = c.node(on).outcome(token);
        assertNotNull(o, "no answer to " + token);
        assertEquals(Outcome.Kind.SUCCEEDED, o.kind(), o.toString());
    }

    private static long add(TestCluster c, long member, String metadata, boolean learner) {
        long token = c.newToken();
        byte[] m = bytes(metadata);
        c.node(1).replica.addMember(token, member, learner, new UnsafeBuffer(m), 0, m.length);
        c.settle();
        return token;
    }

    @Test
    void everyMemberLearnsFoundersAddsUpdatesAndRemovals() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withInitialMetadata(FOUNDERS));
        c.elect(1);
        assertEquals(Map.of(1L, "p1", 2L, "p2", 3L, "p3"), registryOf(c, 2));

        c.startJoiner();
        succeeded(c, 1, add(c, 4, "p4", true));
        tickAll(c, 3);
        Map<Long, String> four = Map.of(1L, "p1", 2L, "p2", 3L, "p3", 4L, "p4");
        for (long id = 1; id <= 4; id++) {
            assertEquals(four, registryOf(c, id), "member " + id + " (the joiner learns the founders by replay)");
        }

        long update = c.newToken();
        byte[] moved = bytes("p4-moved");
        c.node(1).replica.updateMember(update, 4, new UnsafeBuffer(moved), 0, moved.length);
        c.settle();
        succeeded(c, 1, update);
        assertEquals("voters=(1 2 3) learners=(4)", c.node(1).outcome(update).members(),
                "an update changes no configuration");
        tickAll(c, 2);
        assertEquals("p4-moved", registryOf(c, 3).get(4L));

        long unknown = c.newToken();
        c.node(1).replica.updateMember(unknown, 9, new UnsafeBuffer(moved), 0, moved.length);
        c.settle();
        assertEquals(ReplicaError.MEMBER_NOT_FOUND, c.node(1).outcome(unknown).error());

        long remove = c.removeMember(1, 2);
        c.settle();
        succeeded(c, 1, remove);
        tickAll(c, 2);
        assertEquals(Map.of(1L, "p1", 3L, "p3", 4L, "p4-moved"), registryOf(c, 3));
    }

    /** A member restarted after the changes were folded into a snapshot (and the log compacted) still knows. */
    @Test
    void theRegistrySurvivesARestartFromASnapshot() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withInitialMetadata(FOUNDERS).withSnapshots(5, 0));
        c.elect(1);
        c.startJoiner();
        succeeded(c, 1, add(c, 4, "p4", false));
        for (int i = 0; i < 12; i++) {
            c.putAndSettle(1, "k" + i, "v" + i);
        }
        tickAll(c, 2);
        assertTrue(c.node(2).replica.raft().storage().snapshotIndex() > 5, "no snapshot covers the add");
        assertTrue(c.node(2).replica.raft().storage().baseIndex() > 5, "the add is still in the log");
        Map<Long, String> before = registryOf(c, 2);
        assertEquals(4, before.size());

        c.crash(2);
        assertTrue(c.restart(2).started());
        assertEquals(before, registryOf(c, 2), "the restarted member lost the registry");
        tickAll(c, 3);
        assertEquals("v11", c.valueAt(2, "k11"));
        assertEquals(before, registryOf(c, 2), "replaying the log after the snapshot changed the registry");
    }

    /** A member that catches up by the leader's snapshot gets the registry with the store. */
    @Test
    void aJoinerCaughtUpBySnapshotKnowsEveryMember() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withInitialMetadata(FOUNDERS).withSnapshots(5, 0));
        c.elect(1);
        for (int i = 0; i < 12; i++) {
            c.putAndSettle(1, "k" + i, "v" + i);
        }
        assertTrue(c.node(1).replica.raft().storage().baseIndex() > 3, "the founders' entries are still in the log");
        c.startJoiner();
        succeeded(c, 1, add(c, 4, "p4", true));
        tickAll(c, 5);
        assertEquals("v11", c.valueAt(4, "k11"), "the joiner did not catch up");
        assertEquals(Map.of(1L, "p1", 2L, "p2", 3L, "p3", 4L, "p4"), registryOf(c, 4));
    }

    @Test
    void snapshotSectionRoundTripsAndRefusesNonsense() {
        TestCluster c = new TestCluster(3, cfg -> cfg.withInitialMetadata(FOUNDERS));
        c.elect(1);
        MemberRegistry r = c.node(1).replica.members();
        ExpandableArrayBuffer b = new ExpandableArrayBuffer();
        int n = r.encode(b, 0);
        assertEquals(r.encodedLength(), n);
        MemberRegistry copy = new MemberRegistry();
        assertEquals(n, copy.restore(b, 0, n));
        assertEquals(3, copy.size());
        assertEquals("p2", new String(copy.metadata(2), StandardCharsets.UTF_8));
        long version = copy.version();
        assertEquals(n, copy.restore(b, 0, n));
        assertEquals(version, copy.version(), "restoring equal contents is no change");
        assertEquals(-1, new MemberRegistry().restore(b, 0, n - 1));
        assertNull(new MemberRegistry().metadata(1));
    }

    /** Snapshot files of version 1 (the store alone) are still read; new ones are version 2. */
    @Test
    void snapshotFilesOfVersionOneAreStillRead() {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer();
        byte[] store = {1, 2, 3};
        int n = SnapshotFile.encode(out, SnapshotFile.LOCAL, 10, 2, ConfState.ofVoters(1), new UnsafeBuffer(store),
                0, store.length);
        SnapshotFile f = new SnapshotFile();
        assertNull(f.decode(out, n));
        assertEquals(SnapshotFile.VERSION, f.version);
        out.putByte(SnapshotFile.VERSION_OFFSET, SnapshotFile.VERSION_1);
        out.putInt(n - 4, WalRecord.crc(out, 0, n - 4), SnapshotFile.ORDER);
        assertNull(f.decode(out, n));
        assertEquals(SnapshotFile.VERSION_1, f.version);
        assertEquals(3, f.dataLength);
        assertTrue(!MemberRegistry.hasSection(f.buffer, f.dataOffset, f.dataLength));
    }
}
