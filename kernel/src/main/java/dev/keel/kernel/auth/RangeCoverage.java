package dev.keel.kernel.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * etcd's range-permission-cache check ({@code auth/range_perm_cache.go}): a request {@code [key, rangeEnd)} is
 * permitted when the union of the permitted intervals covers it. Ends follow etcd: empty = the single key
 * (the interval {@code [key, key+"\0")}), {@code "\0"} = no upper bound.
 */
final class RangeCoverage {
    private RangeCoverage() {
    }

    /** A half-open interval; a null end is unbounded. */
    private record Interval(byte[] begin, byte[] end) {
    }

    /**
     * @return whether the permissions of a type allowing {@code wanted} cover the request. A request whose
     *         finite end is not after its key selects nothing in etcd; it is checked as the single key so a
     *         malformed range never widens access.
     */
    static boolean covers(Collection<Permission> perms, PermissionType wanted, byte[] key, byte[] rangeEnd) {
        List<Interval> intervals = new ArrayList<>();
        for (Permission p : perms) {
            if (p.type().allows(wanted)) {
                intervals.add(interval(p.key(), p.rangeEnd()));
            }
        }
        Interval want = interval(key, rangeEnd);
        if (want.end != null && Arrays.compareUnsigned(want.end, want.begin) <= 0) {
            want = interval(key, new byte[0]);
        }
        intervals.sort((a, b) -> Arrays.compareUnsigned(a.begin, b.begin));
        byte[] reached = want.begin;
        for (Interval iv : intervals) {
            if (Arrays.compareUnsigned(iv.begin, reached) > 0) {
                break;
            }
            if (iv.end == null) {
                return true;
            }
            if (Arrays.compareUnsigned(iv.end, reached) > 0) {
                reached = iv.end;
            }
            if (want.end != null && Arrays.compareUnsigned(reached, want.end) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static Interval interval(byte[] key, byte[] rangeEnd) {
        if (rangeEnd.length == 0) {
            return new Interval(key, Arrays.copyOf(key, key.length + 1));
        }
        if (rangeEnd.length == 1 && rangeEnd[0] == 0) {
            return new Interval(key, null);
        }
        return new Interval(key, rangeEnd);
    }
}
