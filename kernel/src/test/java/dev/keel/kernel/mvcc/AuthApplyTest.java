package dev.keel.kernel.mvcc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.kernel.auth.AuthError;
import dev.keel.kernel.auth.AuthListener;
import dev.keel.kernel.auth.PermissionType;
import dev.keel.kernel.auth.wire.AuthEnvelope;
import dev.keel.kernel.auth.wire.AuthOp;
import dev.keel.kernel.auth.wire.AuthRequest;
import dev.keel.kernel.auth.wire.AuthResponseView;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import java.util.ArrayList;
import java.util.List;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * etcd 3.4's apply-time auth checks on enveloped requests: alice may read and write {@code /config/}, read
 * {@code /pub/}; root may do anything; everything else is denied as a whole request.
 */
class AuthApplyTest {
    private final List<String> events = new ArrayList<>();
    private final AuthListener listener = new AuthListener() {
        @Override
        public void tokenAssigned(String user, String token, long authRevision) {
            events.add("token " + user + " " + token + " " + authRevision);
        }

        @Override
        public void userInvalidated(String user) {
            events.add("invalidated " + user);
        }

        @Override
        public void authState(boolean enabled, long authRevision) {
            events.add("state " + enabled + " " + authRevision);
        }
    };
    private final MvccStateMachine sm = new MvccStateMachine(new MvccConfig().authListener(listener));
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(256);
    private long index;
    private int outLength;

    @BeforeEach
    void setUp() {
        assertEquals(AuthError.OK, authOp("", AuthRequest.withPassword(AuthOp.USER_ADD, "root", Op.b("h"))));
        auth(AuthRequest.named(AuthOp.ROLE_ADD, "root"));
        auth(AuthRequest.userRole(AuthOp.USER_GRANT_ROLE, "root", "root"));
        auth(AuthRequest.withPassword(AuthOp.USER_ADD, "alice", Op.b("h2")));
        auth(AuthRequest.named(AuthOp.ROLE_ADD, "cfg"));
        auth(AuthRequest.permission(AuthOp.ROLE_GRANT_PERMISSION, "cfg", Op.b("/config/"), Op.b("/config0"),
                PermissionType.READWRITE));
        auth(AuthRequest.permission(AuthOp.ROLE_GRANT_PERMISSION, "cfg", Op.b("/pub/"), Op.b("/pub0"),
                PermissionType.READ));
        auth(AuthRequest.userRole(AuthOp.USER_GRANT_ROLE, "alice", "cfg"));
        // Setup ran with auth disabled and no user: unchecked, as etcd before AuthEnable.
        assertEquals(AuthError.OK, authOp("", AuthRequest.of(AuthOp.ENABLE)));
        assertTrue(sm.authEnabled());
        events.clear();
    }

    private void auth(AuthRequest request) {
        assertEquals(AuthError.OK, authOp("", request));
    }

    private AuthError authOp(String user, AuthRequest request) {
        return send(user, sm.authRevision(), request.toBytes());
    }

    private AuthError send(String user, long authRevision, byte[] inner) {
        byte[] bytes = user == null ? inner : AuthEnvelope.encode(user, authRevision, inner);
        UnsafeBuffer request = new UnsafeBuffer(bytes);
        assertEquals(MvccError.OK, sm.validate(request, 0, bytes.length));
        outLength = sm.apply(++index, request, 0, bytes.length, out);
        return AuthResponseView.authError(out, 0, outLength);
    }

    private AuthError as(String user, Op op) {
        return send(user, sm.authRevision(), op.bytes());
    }

    private AuthError read(String user, Op op) {
        byte[] bytes = AuthEnvelope.encode(user, sm.authRevision(), op.bytes());
        outLength = sm.range(new UnsafeBuffer(bytes), 0, bytes.length, out);
        return AuthResponseView.authError(out, 0, outLength);
    }

    private static Op put(String key) {
        return new Op.Put(key, "v", 0, 0);
    }

    private static Op.Txn txn(List<Op> success, List<Op> failure) {
        return new Op.Txn(List.of(), success, failure);
    }

    @Test
    void putAndDeleteNeedWriteAndPrevKvNeedsRead() {
        assertEquals(AuthError.OK, as("alice", put("/config/a")));
        assertEquals(AuthError.PERMISSION_DENIED, as("alice", put("/secret/a")));
        assertEquals(RequestType.PUT, out.getByte(ResponseLayout.TYPE_OFFSET));
        assertEquals(AuthError.PERMISSION_DENIED, as("alice", put("/pub/a")));
        assertEquals(AuthError.OK, as("alice", new Op.Delete("/config/", "/config0", true)));
        assertEquals(AuthError.PERMISSION_DENIED, as("alice", new Op.Delete("/config/", "/config1", false)));
        assertEquals(AuthError.OK, as("root", put("/pub/a")));
        // Write-only on a key: a put passes, the same put with prev_kv needs read too.
        auth(AuthRequest.named(AuthOp.ROLE_ADD, "w"), "root");
        auth(AuthRequest.permission(AuthOp.ROLE_GRANT_PERMISSION, "w", Op.b("/w"), Op.b(""), PermissionType.WRITE),
                "root");
        auth(AuthRequest.userRole(AuthOp.USER_GRANT_ROLE, "alice", "w"), "root");
        assertEquals(AuthError.OK, as("alice", put("/w")));
        assertEquals(AuthError.PERMISSION_DENIED, as("alice", new Op.Put("/w", "v", 0, PutRequest.PREV_KV)));
        assertEquals(AuthError.PERMISSION_DENIED, as("alice", new Op.Delete("/w", "", true)));
        assertEquals(AuthError.OK, as("alice", new Op.Delete("/w", "", false)));
        // Inside a txn etcd checks a delete's prev_kv (read) but not a put's.
        assertEquals(AuthError.PERMISSION_DENIED, as("alice", txn(List.of(new Op.Delete("/w", "", true)), List.of())));
        assertEquals(AuthError.OK, as("alice", txn(List.of(new Op.Delete("/w", "", false)), List.of())));
        assertEquals(AuthError.OK, as("alice", txn(List.of(new Op.Put("/w", "v", 0, PutRequest.PREV_KV)), List.of())));
    }

    private void auth(AuthRequest request, String user) {
        assertEquals(AuthError.OK, authOp(user, request));
    }

    @Test
    void txnNeedsEveryKeyOfBothBranchesAndFailsWhole() {
        long before = sm.revision();
        assertEquals(AuthError.OK, as("alice", txn(List.of(put("/config/a")), List.of(Op.Range.of("/pub/x", "")))));
        assertEquals(AuthError.PERMISSION_DENIED,
                as("alice", txn(List.of(put("/config/b")), List.of(put("/secret/x")))));
        assertEquals(RequestType.TXN, out.getByte(ResponseLayout.TYPE_OFFSET));
        assertEquals(before + 1, sm.revision(), "the denied txn applied nothing");
        assertEquals(AuthError.PERMISSION_DENIED, as("alice",
                txn(List.of(txn(List.of(), List.of(new Op.Delete("/secret/", "/secret0", false)))), List.of())));
        assertEquals(AuthError.PERMISSION_DENIED, as("alice", new Op.Txn(
                List.of(new Op.Cmp(0, 0, "/secret/k", "", 0, "")), List.of(put("/config/c")), List.of())));
        assertEquals(AuthError.PERMISSION_DENIED, as("alice", txn(List.of(Op.Range.of("/secret/", "")), List.of())));
        assertEquals(AuthError.OK, as("root", txn(List.of(put("/secret/x")), List.of())));
    }

    @Test
    void leasePutsAndRevokeNeedWriteOnAttachedKeys() {
        assertEquals(AuthError.OK, as("root", new Op.LeaseGrant(60, 7)));
        assertEquals(AuthError.OK, as("alice", new Op.LeaseGrant(60, 8)), "LeaseGrant needs no permission");
        assertEquals(AuthError.OK, as("root", new Op.Put("/secret/l", "v", 7, 0)));
        assertEquals(AuthError.PERMISSION_DENIED, as("alice", new Op.Put("/config/l", "v", 7, 0)));
        assertEquals(AuthError.PERMISSION_DENIED, as("alice", new Op.LeaseRevoke(7)));
        assertEquals(AuthError.OK, as("alice", new Op.Put("/config/l", "v", 8, 0)));
        assertEquals(AuthError.OK, as("alice", new Op.LeaseRevoke(8)));
    }

    @Test
    void compactNeedsOnlyAUserAsInEtcdAndReadsAreChecked() {
        as("root", put("/secret/x"));
        assertEquals(AuthError.OK, as("alice", new Op.Compact(1)), "etcd 3.4 lets any authenticated user compact");
        assertEquals(AuthError.USER_EMPTY, send("", sm.authRevision(), new Op.Compact(2).bytes()));
        assertEquals(AuthError.OK, as("root", new Op.Compact(2)));
        assertEquals(AuthError.OK, read("alice", Op.Range.of("/config/", "/config0")));
        assertEquals(AuthError.PERMISSION_DENIED, read("alice", Op.Range.of("/secret/x", "")));
        assertEquals(RequestType.RANGE, out.getByte(ResponseLayout.TYPE_OFFSET));
        assertEquals(AuthError.PERMISSION_DENIED, read("alice", txn(List.of(Op.Range.of("/secret/x", "")), List.of())));
        assertEquals(AuthError.OK, read("root", Op.Range.of("/secret/x", "")));
        assertEquals(AuthError.OK, sm.checkRead("alice", Op.b("/pub/"), Op.b("/pub0")));
        assertEquals(AuthError.PERMISSION_DENIED, sm.checkRead("alice", Op.b("/secret/"), Op.b("/secret0")));
        assertEquals(AuthError.PERMISSION_DENIED, sm.checkAdmin("alice"));
    }

    @Test
    void noUserAndOldRevisionAreRefused() {
        assertEquals(AuthError.USER_EMPTY, send("", sm.authRevision(), put("/config/a").bytes()));
        assertEquals(AuthError.USER_EMPTY, send("alice", 0, put("/config/a").bytes()));
        assertEquals(AuthError.AUTH_OLD_REVISION, send("alice", sm.authRevision() - 1, put("/config/a").bytes()));
        assertEquals(AuthError.OK, send("alice", sm.authRevision(), put("/config/a").bytes()));
        // The replica's own requests (lease expiry, auto compaction) carry no envelope and are never checked.
        assertEquals(AuthError.OK, send(null, 0, new Op.Compact(2).bytes()));
    }

    @Test
    void authOpsNeedAdminExceptOwnUserAndRoles() {
        assertEquals(AuthError.PERMISSION_DENIED, authOp("alice", AuthRequest.named(AuthOp.ROLE_ADD, "x")));
        assertEquals(AuthError.PERMISSION_DENIED, authOp("alice", AuthRequest.of(AuthOp.USER_LIST)));
        assertEquals(AuthError.OK, authOp("alice", AuthRequest.named(AuthOp.USER_GET, "alice")));
        assertEquals(List.of("cfg"), AuthResponseView.names(out, 0, outLength));
        assertEquals(AuthError.PERMISSION_DENIED, authOp("alice", AuthRequest.named(AuthOp.USER_GET, "root")));
        assertEquals(AuthError.OK, authOp("alice", AuthRequest.named(AuthOp.ROLE_GET, "cfg")));
        assertEquals(2, AuthResponseView.permissions(out, 0, outLength).size());
        assertEquals(AuthError.PERMISSION_DENIED, authOp("alice", AuthRequest.named(AuthOp.ROLE_GET, "root")));
        assertEquals(AuthError.OK, authOp("root", AuthRequest.of(AuthOp.USER_LIST)));
        assertEquals(List.of("alice", "root"), AuthResponseView.names(out, 0, outLength));
        assertEquals(AuthError.ROLE_NOT_FOUND, authOp("root", AuthRequest.named(AuthOp.ROLE_GET, "nope")));
    }

    @Test
    void authenticateAssignsTokensAndChangesNotifyTheHost() {
        long rev = sm.authRevision();
        assertEquals(AuthError.OK, send("", 0, AuthRequest.authenticate("alice", "tok1", rev).toBytes()));
        assertEquals(new AuthResponseView.Authenticated(rev, "alice", "tok1"),
                AuthResponseView.authenticated(out, 0, outLength));
        assertEquals(AuthError.AUTH_OLD_REVISION, send("", 0, AuthRequest.authenticate("alice", "t", rev - 1).toBytes()));
        assertEquals(AuthError.AUTH_FAILED, send("", 0, AuthRequest.authenticate("bob", "t", rev).toBytes()));
        assertArrayEquals(Op.b("h2"), sm.passwordHash("alice").value());
        assertEquals(AuthError.USER_NOT_FOUND, sm.passwordHash("bob").error());
        auth(AuthRequest.withPassword(AuthOp.USER_CHANGE_PASSWORD, "alice", Op.b("h3")), "root");
        auth(AuthRequest.named(AuthOp.USER_DELETE, "alice"), "root");
        auth(AuthRequest.of(AuthOp.DISABLE), "root");
        assertEquals(List.of("token alice tok1 " + rev, "invalidated alice", "state true " + (rev + 1),
                "invalidated alice", "state true " + (rev + 2), "state false " + (rev + 3)), events);
        // Disabled: envelopes just unwrap.
        assertEquals(AuthError.OK, send("", 0, put("/secret/z").bytes()));
    }

    @Test
    void snapshotCarriesTheAuthStore() {
        ExpandableArrayBuffer snap = new ExpandableArrayBuffer(1024);
        int n = sm.snapshot(snap);
        assertEquals(n, sm.snapshotLength());
        List<String> restoredEvents = new ArrayList<>();
        MvccStateMachine other = new MvccStateMachine(new MvccConfig().authListener(new AuthListener() {
            @Override
            public void authState(boolean enabled, long authRevision) {
                restoredEvents.add(enabled + " " + authRevision);
            }
        }));
        assertTrue(other.restore(snap, 0, n));
        assertEquals(sm.authStoreCopy(), other.authStoreCopy());
        assertEquals(List.of("true " + sm.authRevision()), restoredEvents);
        // A snapshot without the auth trailer (written before auth existed) loads as auth disabled and empty.
        int mvccOnly = dev.keel.kernel.mvcc.snapshot.MvccSnapshot.write(new dev.keel.kernel.mvcc.store.Keyspace(),
                new dev.keel.kernel.mvcc.lease.LeaseTable(2), 5, false, snap, 0);
        assertTrue(other.restore(snap, 0, mvccOnly));
        assertEquals(false, other.authEnabled());
        assertEquals(0, other.authRevision());
    }
}
