package dev.keel.kernel.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keel.kernel.auth.AuthError;
import dev.keel.kernel.auth.AuthStore;
import dev.keel.kernel.auth.Permission;
import dev.keel.kernel.auth.PermissionType;
import dev.keel.kernel.auth.wire.AuthEnvelope;
import dev.keel.kernel.auth.wire.AuthOp;
import dev.keel.kernel.auth.wire.AuthRequest;
import dev.keel.kernel.testing.Property;
import dev.keel.kernel.util.SplitMix64;
import java.lang.management.ManagementFactory;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The merged-interval cache answers exactly as {@link AuthStore#isPermitted}, and a checked Put allocates nothing. */
class PermissionCacheTest {
    private static byte[] key(SplitMix64 rnd) {
        byte[] k = new byte[rnd.nextInt(3)];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) ("ab\0\u00ff".charAt(rnd.nextInt(4)));
        }
        return k;
    }

    private static byte[] end(SplitMix64 rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> new byte[0];
            case 1 -> new byte[]{0};
            default -> key(rnd);
        };
    }

    @Test
    void agreesWithTheStoreOnRandomPermissionsAndRequests() {
        Property.forAll("permission cache vs isPermitted", 400, seed -> {
            SplitMix64 rnd = new SplitMix64(seed);
            AuthStore store = new AuthStore();
            store.userAdd("root", new byte[]{1});
            store.roleAdd("root");
            store.userGrantRole("root", "root");
            store.userAdd("u", new byte[]{1});
            for (int r = 0; r < 2; r++) {
                store.roleAdd("r" + r);
                store.userGrantRole("u", "r" + r);
                for (int p = rnd.nextInt(4); p > 0; p--) {
                    store.roleGrantPermission("r" + r, new Permission(PermissionType.values()[rnd.nextInt(3)],
                            key(rnd), end(rnd)));
                }
            }
            store.authEnable();
            PermissionCache cache = new PermissionCache();
            for (int i = 0; i < 40; i++) {
                byte[] k = key(rnd);
                byte[] e = end(rnd);
                PermissionType wanted = rnd.nextInt(2) == 0 ? PermissionType.READ : PermissionType.WRITE;
                String user = rnd.nextInt(5) == 0 ? "nobody" : "u";
                UnsafeBuffer buffer = new UnsafeBuffer(new byte[k.length + e.length]);
                buffer.putBytes(0, k);
                buffer.putBytes(k.length, e);
                assertEquals(store.isPermitted(user, k, e, wanted),
                        cache.check(store, user, buffer, 0, k.length, k.length, e.length, wanted),
                        () -> user + " " + wanted + " " + java.util.Arrays.toString(k) + ".." + java.util.Arrays.toString(e));
            }
        });
    }

    @Test
    void aCheckedPutAllocatesNothing() {
        MvccStateMachine sm = new MvccStateMachine(new MvccConfig());
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(1024);
        long index = 0;
        for (AuthRequest r : new AuthRequest[]{AuthRequest.withPassword(AuthOp.USER_ADD, "root", new byte[]{1}),
                AuthRequest.named(AuthOp.ROLE_ADD, "root"), AuthRequest.userRole(AuthOp.USER_GRANT_ROLE, "root", "root"),
                AuthRequest.withPassword(AuthOp.USER_ADD, "alice", new byte[]{1}), AuthRequest.named(AuthOp.ROLE_ADD, "w"),
                AuthRequest.permission(AuthOp.ROLE_GRANT_PERMISSION, "w", Op.b("k"), Op.b("l"), PermissionType.WRITE),
                AuthRequest.userRole(AuthOp.USER_GRANT_ROLE, "alice", "w"), AuthRequest.of(AuthOp.ENABLE)}) {
            byte[] bytes = r.toBytes();
            sm.apply(++index, new UnsafeBuffer(bytes), 0, bytes.length, out);
        }
        byte[] put = AuthEnvelope.encode("alice", sm.authRevision(), new Op.Put("k1", "v", 0, 0).bytes());
        UnsafeBuffer request = new UnsafeBuffer(put);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) { // warm up: JIT, the cache, the keyspace's first growth
            sm.apply(++index, request, 0, put.length, out);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 1_000; i++) {
            sm.apply(++index, request, 0, put.length, out);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertEquals(AuthError.OK, dev.keel.kernel.auth.wire.AuthResponseView.authError(out, 0, 16));
        // Same key rewritten: the store's history grows in preallocated pages; allow well under a byte per put.
        assertEquals(true, allocated < 1_000, "a checked put allocated " + allocated / 1_000.0 + " bytes on average");
    }
}
