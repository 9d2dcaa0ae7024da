package dev.keel.kernel.mvcc;

import dev.keel.kernel.auth.AuthError;
import dev.keel.kernel.auth.AuthStore;
import dev.keel.kernel.auth.AuthUser;
import dev.keel.kernel.auth.Lookup;
import dev.keel.kernel.auth.Permission;
import dev.keel.kernel.auth.PermissionType;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * etcd's {@code rangePermCache}: per user, the union of its roles' permitted intervals, merged and sorted, one
 * list for reads and one for writes. Built on first use after any auth change (the store's revision moves), so
 * checking a request against it allocates nothing. Answers exactly as {@link AuthStore#isPermitted}.
 */
final class PermissionCache {
    /** A user's merged intervals; {@code ends[i] == null} is unbounded. */
    private static final class Entry {
        final boolean exists;
        final boolean root;
        final byte[][][] begins = new byte[2][][];
        final byte[][][] ends = new byte[2][][];

        Entry(boolean exists, boolean root) {
            this.exists = exists;
            this.root = root;
        }
    }

    private final Map<String, Entry> byUser = new HashMap<>();
    private AuthStore cachedStore;
    private long cachedRevision = -1;

    /** {@link AuthStore#isPermitted} over bytes in a buffer; {@code endLength} 0 is the single key. */
    AuthError check(AuthStore store, String user, DirectBuffer buffer, int keyAt, int keyLength, int endAt,
                    int endLength, PermissionType wanted) {
        if (!store.enabled()) {
            return AuthError.OK;
        }
        if (user.isEmpty()) {
            return AuthError.USER_EMPTY;
        }
        Entry entry = entry(store, user);
        if (!entry.exists) {
            return AuthError.PERMISSION_DENIED;
        }
        if (entry.root) {
            return AuthError.OK;
        }
        int list = wanted == PermissionType.READ ? 0 : 1;
        return covers(entry.begins[list], entry.ends[list], buffer, keyAt, keyLength, endAt, endLength)
                ? AuthError.OK : AuthError.PERMISSION_DENIED;
    }

    private Entry entry(AuthStore store, String user) {
        if (store != cachedStore || store.revision() != cachedRevision) {
            byUser.clear();
            cachedStore = store;
            cachedRevision = store.revision();
        }
        Entry entry = byUser.get(user);
        if (entry == null) {
            entry = build(store, user);
            byUser.put(user, entry);
        }
        return entry;
    }

    private static Entry build(AuthStore store, String user) {
        Lookup<AuthUser> found = store.userGet(user);
        if (found.error() != AuthError.OK) {
            return new Entry(false, false);
        }
        Entry entry = new Entry(true, found.value().roles().contains(AuthStore.ROOT));
        List<Permission> perms = new ArrayList<>();
        for (String role : found.value().roles()) {
            Lookup<List<Permission>> r = store.roleGet(role);
            if (r.error() == AuthError.OK) {
                perms.addAll(r.value());
            }
        }
        merge(entry, 0, perms, PermissionType.READ);
        merge(entry, 1, perms, PermissionType.WRITE);
        return entry;
    }

    /** Sorts the intervals allowing {@code wanted} by begin and coalesces overlapping and touching ones. */
    private static void merge(Entry entry, int list, List<Permission> perms, PermissionType wanted) {
        List<byte[][]> intervals = new ArrayList<>();
        for (Permission p : perms) {
            if (p.type().allows(wanted)) {
                byte[] key = p.key();
                byte[] end = p.rangeEnd();
                if (end.length == 0) {
                    end = Arrays.copyOf(key, key.length + 1);
                } else if (end.length == 1 && end[0] == 0) {
                    end = null;
                }
                intervals.add(new byte[][]{key, end});
            }
        }
        intervals.sort((a, b) -> Arrays.compareUnsigned(a[0], b[0]));
        List<byte[][]> merged = new ArrayList<>();
        for (byte[][] iv : intervals) {
            byte[][] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && (last[1] == null || Arrays.compareUnsigned(iv[0], last[1]) <= 0)) {
                if (last[1] != null && (iv[1] == null || Arrays.compareUnsigned(iv[1], last[1]) > 0)) {
                    last[1] = iv[1];
                }
            } else {
                merged.add(new byte[][]{iv[0], iv[1]});
            }
        }
        entry.begins[list] = new byte[merged.size()][];
        entry.ends[list] = new byte[merged.size()][];
        for (int i = 0; i < merged.size(); i++) {
            entry.begins[list][i] = merged.get(i)[0];
            entry.ends[list][i] = merged.get(i)[1];
        }
    }

    /**
     * Whether one merged interval holds the request: with disjoint, non-touching intervals the union covers a
     * range exactly when a single interval does. A finite end not after the key is checked as the single key,
     * as {@code RangeCoverage} does.
     */
    private static boolean covers(byte[][] begins, byte[][] ends, DirectBuffer buffer, int keyAt, int keyLength,
                                  int endAt, int endLength) {
        boolean unbounded = endLength == 1 && buffer.getByte(endAt) == 0;
        boolean single = endLength == 0
                || (!unbounded && compare(buffer, endAt, endLength, buffer, keyAt, keyLength) <= 0);
        for (int i = 0; i < begins.length; i++) {
            byte[] begin = begins[i];
            if (compare(begin, buffer, keyAt, keyLength) > 0) {
                return false;
            }
            byte[] end = ends[i];
            if (end == null) {
                return true;
            }
            if (single ? compare(end, buffer, keyAt, keyLength) > 0
                    : !unbounded && compare(end, buffer, endAt, endLength) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int compare(byte[] a, DirectBuffer buffer, int at, int length) {
        int n = Math.min(a.length, length);
        for (int i = 0; i < n; i++) {
            int c = (a[i] & 0xFF) - (buffer.getByte(at + i) & 0xFF);
            if (c != 0) {
                return c;
            }
        }
        return a.length - length;
    }

    private static int compare(DirectBuffer a, int aAt, int aLength, DirectBuffer b, int bAt, int bLength) {
        int n = Math.min(aLength, bLength);
        for (int i = 0; i < n; i++) {
            int c = (a.getByte(aAt + i) & 0xFF) - (b.getByte(bAt + i) & 0xFF);
            if (c != 0) {
                return c;
            }
        }
        return aLength - bLength;
    }
}
