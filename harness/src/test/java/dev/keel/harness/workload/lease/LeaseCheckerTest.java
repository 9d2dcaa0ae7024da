package dev.keel.harness.workload.lease;

import dev.keel.harness.workload.WorkloadResult.Outcome;
import dev.keel.harness.workload.lease.LeaseOp.Kind;
import dev.keel.harness.workload.support.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LeaseCheckerTest {
    private static final long S = 1_000_000_000L;
    private static final String P = "/l/";
    private static final FinalLeaseRead EMPTY_END = new FinalLeaseRead(20 * S, Set.of(), 10 * S, 10_000);

    /** Lease 1 kept alive then revoked at 3 s, lease 2 lapsed after its put; reads consistent with both. */
    private static List<LeaseOp> valid() {
        List<LeaseOp> ops = new ArrayList<>();
        ops.add(LeaseOp.of(Kind.GRANT, 1, 0, S / 10, 1, 2));
        ops.add(LeaseOp.of(Kind.PUT, 1, S / 10, S / 5, 1, 2));
        ops.add(LeaseOp.of(Kind.GRANT, 2, 0, S / 10, 2, 2));
        ops.add(LeaseOp.of(Kind.PUT, 2, S / 10, S / 5, 2, 2));
        ops.add(LeaseOp.read(0, S / 2, S / 2 + 1000, Set.of(1L, 2L)));
        ops.add(LeaseOp.of(Kind.KEEPALIVE, 1, S, S + 1000, 1, 2));
        ops.add(LeaseOp.of(Kind.REVOKE, 1, 3 * S, 3 * S + 1000, 1, 0));
        ops.add(LeaseOp.read(0, 2 * S + S / 2, 3 * S + S / 2, Set.of(1L))); // overlaps the revoke: either way
        ops.add(LeaseOp.read(0, 4 * S, 4 * S + 1000, Set.of()));
        ops.add(LeaseOp.of(Kind.TTL, 2, 9 * S, 9 * S + 1000, 2, -1));
        return ops;
    }

    @Test
    void aConsistentHistoryPasses() {
        Verdict v = LeaseChecker.check(valid(), EMPTY_END, P);
        assertEquals(Outcome.PASS, v.outcome(), v.headline());
        assertEquals("3 reads agreed with 2 leased keys: none outlived one of 2 revokes or gone answers, none vanished "
                + "while 1 leases were proven alive, and no key was left 10000 ms after the last keepalive.",
                v.headline());
    }

    @Test
    void aKeyReadAfterItsRevokeCompletedFails() {
        List<LeaseOp> ops = valid();
        ops.add(LeaseOp.read(0, 5 * S, 5 * S + 1000, Set.of(1L)));
        assertEquals("A read invoked at +5.000s returned /l/1, but its lease had been revoked by +3.000s.",
                LeaseChecker.check(ops, EMPTY_END, P).headline());
    }

    @Test
    void aKeyReadAfterAZeroTtlKeepaliveFails() {
        List<LeaseOp> ops = valid();
        ops.add(LeaseOp.of(Kind.KEEPALIVE, 2, 6 * S, 6 * S + S / 10, 2, 0));
        ops.add(LeaseOp.read(0, 7 * S, 7 * S + 1000, Set.of(2L)));
        assertEquals("A read invoked at +7.000s returned /l/2, but its lease had been answered TTL 0 by a keepalive "
                + "by +6.100s.", LeaseChecker.check(ops, EMPTY_END, P).headline());
    }

    /** etcd's TimeToLive answers 0 for a lease with under a second left or awaiting its revoke: it still exists. */
    @Test
    void aKeyReadAfterTimeToLiveAnsweredZeroPasses() {
        List<LeaseOp> ops = new ArrayList<>();
        ops.add(LeaseOp.of(Kind.GRANT, 1, 0, S / 10, 5, 2));
        ops.add(LeaseOp.of(Kind.PUT, 1, S / 10, S / 5, 5, 2));
        ops.add(LeaseOp.of(Kind.TTL, 1, 2 * S, 2 * S + 1000, 5, 0));
        ops.add(LeaseOp.read(0, 2 * S + S / 2, 2 * S + S / 2 + 1000, Set.of(5L)));
        ops.add(LeaseOp.of(Kind.TTL, 1, 5 * S, 5 * S + 1000, 5, -1));
        ops.add(LeaseOp.read(0, 6 * S, 6 * S + 1000, Set.of()));
        Verdict v = LeaseChecker.check(ops, EMPTY_END, P);
        assertEquals(Outcome.PASS, v.outcome(), v.headline());
    }

    @Test
    void aKeyReadAfterTimeToLiveSaidGoneFails() {
        List<LeaseOp> ops = valid();
        ops.add(LeaseOp.read(0, 10 * S, 10 * S + 1000, Set.of(2L)));
        assertEquals("A read invoked at +10.000s returned /l/2, but its lease had been answered TTL -1 by TimeToLive "
                + "by +9.000s.", LeaseChecker.check(ops, EMPTY_END, P).headline());
    }

    @Test
    void aKeyMissingWhileItsLeaseWasProvenAliveLaterFails() {
        List<LeaseOp> ops = valid();
        ops.add(LeaseOp.read(0, S / 2 + 10, S / 2 + 500, Set.of(2L)));
        Verdict v = LeaseChecker.check(ops, EMPTY_END, P);
        assertEquals(Outcome.FAIL, v.outcome());
        assertEquals("A read at +0.500s..+0.500s lacked /l/1 (put by +0.200s), though its lease was alive later: a "
                + "keepalive invoked at +1.000s answered TTL 2.", v.headline());
    }

    @Test
    void aReadOverlappingTheAliveProofMayLackTheKey() {
        List<LeaseOp> ops = valid();
        ops.add(LeaseOp.read(0, S / 2, S + 10, Set.of(2L))); // completes after the keepalive was invoked
        assertEquals(Outcome.PASS, LeaseChecker.check(ops, EMPTY_END, P).outcome());
    }

    @Test
    void aLapsedKeyLeftAtTheEndFails() {
        Verdict v = LeaseChecker.check(valid(), new FinalLeaseRead(20 * S, Set.of(2L), 10 * S, 10_000), P);
        assertEquals("The final read at +20.0s still returned 1 lease key(s), e.g. /l/2, 10000 ms after the last "
                + "keepalive (+10.0s), though nobody kept them alive.", v.headline());
    }

    @Test
    void noFinalReadIsUnknown() {
        assertEquals(Outcome.UNKNOWN, LeaseChecker.check(valid(), null, P).outcome());
    }
}
