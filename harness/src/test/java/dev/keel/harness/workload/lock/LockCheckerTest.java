package dev.keel.harness.workload.lock;

import dev.keel.harness.workload.WorkloadResult.Outcome;
import dev.keel.harness.workload.lock.LockChecker.RegisterVersion;
import dev.keel.harness.workload.support.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LockCheckerTest {
    /** Client 1 held token 10 (two writes), client 2 token 14 (one write), client 1 again token 17. */
    private static List<RegisterVersion> history() {
        return new ArrayList<>(List.of(new RegisterVersion("c1:10:1", 11), new RegisterVersion("c1:10:2", 12),
                new RegisterVersion("c2:14:1", 15), new RegisterVersion("c1:17:1", 18)));
    }

    private static final List<FencedWrite> ACKED = List.of(new FencedWrite(1, 10, 1, 11), new FencedWrite(2, 14, 1, 15));
    private static final List<FencedWrite> REFUSED = List.of(new FencedWrite(3, 8, 1, 0));

    @Test
    void orderedContiguousWritesPass() {
        Verdict v = LockChecker.check(history(), true, ACKED, REFUSED);
        assertEquals(Outcome.PASS, v.outcome(), v.headline());
        assertEquals("4 fenced writes by 3 lock holders are in token order, each token's writes together and from one "
                + "client; all 2 acknowledged writes are there and none of 1 refused ones.", v.headline());
    }

    @Test
    void anOlderTokenAfterANewerOneIsAnInterleaving() {
        List<RegisterVersion> h = history();
        h.add(2, new RegisterVersion("c3:8:1", 13));
        assertEquals("Write c3:8:1 at revision 13 (token 8) came after c1:10:2 at revision 12 (token 10): a holder "
                + "of an older lock wrote after a newer holder had.", LockChecker.check(h, true, ACKED, List.of()).headline());
    }

    @Test
    void interleavedTokensFail() {
        List<RegisterVersion> h = history();
        h.add(new RegisterVersion("c2:14:2", 19));
        assertEquals("Write c2:14:2 at revision 19 (token 14) came after c1:17:1 at revision 18 (token 17): a "
                + "holder of an older lock wrote after a newer holder had.", LockChecker.check(h, true, ACKED,
                REFUSED).headline());
    }

    @Test
    void twoClientsWithOneTokenFail() {
        List<RegisterVersion> h = history();
        h.add(2, new RegisterVersion("c2:10:1", 13));
        assertEquals("Write c2:10:1 at revision 13 (token 10) is from client 2, but client 1 wrote with token 10 too: "
                + "two holders shared a fencing token.", LockChecker.check(h, true, ACKED, REFUSED).headline());
    }

    @Test
    void aMissingAcknowledgedWriteFails() {
        List<FencedWrite> acked = List.of(new FencedWrite(2, 14, 2, 16));
        assertEquals("The acknowledged fenced write c2:14:2 at revision 16 (token 14) is missing from the register's "
                + "history.", LockChecker.check(history(), true, acked, REFUSED).headline());
    }

    @Test
    void anAcknowledgedWriteAtAnotherRevisionFails() {
        List<FencedWrite> acked = List.of(new FencedWrite(2, 14, 1, 16));
        assertEquals("The acknowledged fenced write c2:14:1 at revision 16 (token 14) is at revision 15 in the "
                + "register's history.", LockChecker.check(history(), true, acked, REFUSED).headline());
    }

    @Test
    void aRefusedWriteInTheHistoryFails() {
        List<FencedWrite> refused = List.of(new FencedWrite(2, 14, 1, 0));
        assertEquals("Fenced write c2:14:1 at revision 15 (token 14) is in the register's history, though etcd "
                + "answered that its compare failed.", LockChecker.check(history(), true, ACKED, refused).headline());
    }

    @Test
    void aForeignValueFails() {
        List<RegisterVersion> h = history();
        h.add(new RegisterVersion("junk", 20));
        assertEquals(Outcome.FAIL, LockChecker.check(h, true, ACKED, REFUSED).outcome());
    }

    @Test
    void anIncompleteHistoryIsUnknown() {
        assertEquals(Outcome.UNKNOWN, LockChecker.check(history(), false, ACKED, REFUSED).outcome());
    }
}
