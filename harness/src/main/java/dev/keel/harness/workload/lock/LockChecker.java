package dev.keel.harness.workload.lock;

import dev.keel.harness.workload.support.Verdict;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges fencing from the register's whole history (every version, in revision order): tokens never go back
 * (an older holder never writes after a newer one), so each token's writes are contiguous, and each token's
 * writes come from one client; every acknowledged fenced write is there at its revision, and no write etcd
 * refused (its compare failed) is there.
 */
public final class LockChecker {
    private LockChecker() {
    }

    /**
     * @param history  the register's values in revision order, as strings with their revisions
     * @param complete whether the history reaches the final revision
     * @param acked    fenced writes whose Txn succeeded
     * @param refused  fenced writes whose Txn answered that the compare failed
     */
    public static Verdict check(List<RegisterVersion> history, boolean complete, List<FencedWrite> acked,
                                List<FencedWrite> refused) {
        if (!complete) {
            return Verdict.unknown("The register's history could not be read up to the final revision, so fencing "
                    + "was not judged.");
        }
        Map<String, FencedWrite> byValue = new HashMap<>();
        Map<Long, Integer> clientOfToken = new HashMap<>();
        FencedWrite previous = null;
        for (RegisterVersion v : history) {
            FencedWrite w;
            try {
                w = FencedWrite.parse(v.value(), v.revision());
            } catch (IllegalArgumentException e) {
                return Verdict.fail("The register holds \"" + v.value() + "\" at revision " + v.revision()
                        + ", which no fenced write put.");
            }
            if (previous != null && w.token() < previous.token()) {
                return Verdict.fail("Write " + w.describe() + " came after " + previous.describe()
                        + ": a holder of an older lock wrote after a newer holder had.");
            }
            Integer owner = clientOfToken.putIfAbsent(w.token(), w.client());
            if (owner != null && owner != w.client()) {
                return Verdict.fail("Write " + w.describe() + " is from client " + w.client() + ", but client "
                        + owner + " wrote with token " + w.token() + " too: two holders shared a fencing token.");
            }
            if (byValue.putIfAbsent(w.value(), w) != null) {
                return Verdict.fail("Write " + w.describe() + " is in the register's history twice.");
            }
            previous = w;
        }
        for (FencedWrite a : acked) {
            FencedWrite found = byValue.get(a.value());
            if (found == null || found.revision() != a.revision()) {
                return Verdict.fail("The acknowledged fenced write " + a.describe() + " is "
                        + (found == null ? "missing from" : "at revision " + found.revision() + " in")
                        + " the register's history.");
            }
        }
        for (FencedWrite r : refused) {
            FencedWrite found = byValue.get(r.value());
            if (found != null) {
                return Verdict.fail("Fenced write " + found.describe() + " is in the register's history, though etcd "
                        + "answered that its compare failed.");
            }
        }
        return Verdict.pass(history.size() + " fenced writes by " + clientOfToken.size() + " lock holders are in "
                + "token order, each token's writes together and from one client; all " + acked.size()
                + " acknowledged writes are there and none of " + refused.size() + " refused ones.");
    }

    /**
     * One version of the register.
     *
     * @param value    what it held
     * @param revision the revision that wrote it
     */
    public record RegisterVersion(String value, long revision) {
    }
}
