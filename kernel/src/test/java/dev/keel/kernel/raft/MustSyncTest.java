package dev.keel.kernel.raft;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Ready#mustSync()} (etcd's {@code MustSync}) and the leader's own append counting toward the commit of
 * the batch that carries it: a single voter commits and applies a proposal after one sync; a commit-only batch
 * needs none; nothing is applied beyond the durable log; and a crash that loses the last commit-only advance
 * recovers the same applied state.
 */
class MustSyncTest {
    private static final byte[] X = "x".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSingleVoterCommitsAndAppliesItsProposalInTheBatchThatSyncsIt() {
        TestCluster cluster = new TestCluster();
        TestNode solo = singleVoter(cluster);
        long index = solo.node.propose(new UnsafeBuffer(X), 0, X.length);
        Ready r = solo.node.ready();
        assertTrue(r.mustSync());
        assertEquals(index, r.persistTo());
        assertEquals(index, r.commit(), "the commit written with the entry");
        assertEquals(index, r.applyTo(), "applied after this batch's sync");
        assertEquals(index - 1, solo.node.commitIndex(), "the node's commit moves only in advance()");
        solo.node.advance();
        assertEquals(index, solo.node.commitIndex());
        assertEquals(index, solo.node.appliedIndex());
        assertFalse(solo.node.hasReady(), "no second batch (and no second sync) for the commit");
    }

    @Test
    void aCommitOnlyBatchNeedsNoSyncAnAppendDoes() {
        TestCluster cluster = TestCluster.threeVotersLedBy1();
        TestNode leader = cluster.node(1);
        long index = leader.node.propose(new UnsafeBuffer(X), 0, X.length);
        Ready append = leader.node.ready();
        assertTrue(append.mustSync(), "entries");
        assertFalse(append.hasCommittedEntries(), "two of three voters needed: the leader's copy alone is not");
        cluster.handle(leader, append);
        List<Envelope> acks = new ArrayList<>();
        while (!cluster.queue.isEmpty()) {
            Envelope e = cluster.queue.remove(0);
            if (e.to() == leader.id) {
                acks.add(e);
            } else {
                cluster.deliver(e);
            }
        }
        assertFalse(acks.isEmpty());
        for (Envelope ack : acks) {
            leader.node.step(new UnsafeBuffer(ack.bytes()), 0, ack.bytes().length);
        }
        Ready commit = leader.node.ready();
        assertTrue(commit.hasHardState());
        assertEquals(index, commit.commit());
        assertEquals(index, commit.applyTo());
        assertFalse(commit.mustSync(), "only the commit index changed");
        assertTrue(commit.applyTo() <= leader.durable.lastIndex(), "what it applies is durable already");
        cluster.handle(leader, commit);
        assertEquals(index, leader.node.appliedIndex());
        assertEquals(index, leader.durable.unsyncedCommit, "written, not synced");
    }

    /** A crash loses the commit-only hard state; the restarted member re-derives commit and applied state. */
    @Test
    void aCrashThatLosesTheLastCommitOnlyAdvanceRecoversTheSameAppliedState() {
        TestCluster cluster = TestCluster.threeVotersLedBy1();
        for (int i = 0; i < 5; i++) {
            cluster.node(1).node.propose(new UnsafeBuffer(X), 0, X.length);
            cluster.processReady(cluster.node(1));
            cluster.deliverQueued();
        }
        TestNode follower = cluster.node(2);
        long applied = follower.node.appliedIndex();
        assertEquals(cluster.node(1).node.commitIndex(), applied);
        assertTrue(follower.durable.commit < applied, "the last commit advance was never synced");
        List<String> before = List.copyOf(follower.applied);

        follower.crash();
        follower.restart();
        assertEquals(follower.durable.lastIndex(), follower.node.lastIndex(), "the entries were synced");
        cluster.processReady(follower);
        assertTrue(follower.node.appliedIndex() < applied, "recovery starts from the durable commit");
        for (int i = 0; i < 20 && follower.node.appliedIndex() < applied; i++) {
            for (long id = 1; id <= 3; id++) {
                cluster.tick(cluster.node(id));
            }
            cluster.deliverQueued();
        }
        assertEquals(applied, follower.node.appliedIndex(), "caught up from the leader");
        assertEquals(before, follower.applied, "the same entries applied again in the same order");
    }

    private static TestNode singleVoter(TestCluster cluster) {
        ConfState initial = new ConfState();
        initial.addVoter(1);
        TestNode solo = cluster.add(RaftConfig.defaults(1, 11), initial);
        solo.node.campaign();
        cluster.processReady(solo);
        assertEquals(Role.LEADER, solo.node.role());
        return solo;
    }
}
