package dev.keel.kernel.mvcc;

import dev.keel.kernel.auth.AuthError;
import dev.keel.kernel.auth.AuthListener;
import dev.keel.kernel.auth.AuthStore;
import dev.keel.kernel.auth.AuthUser;
import dev.keel.kernel.auth.Lookup;
import dev.keel.kernel.auth.Permission;
import dev.keel.kernel.auth.PermissionType;
import dev.keel.kernel.auth.wire.AuthOp;
import dev.keel.kernel.auth.wire.AuthRequestView;
import dev.keel.kernel.auth.wire.AuthResponse;
import dev.keel.kernel.mvcc.codec.DeleteRangeRequest;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import dev.keel.kernel.mvcc.codec.TxnCompare;
import dev.keel.kernel.mvcc.codec.TxnRequest;
import dev.keel.kernel.mvcc.lease.Lease;
import dev.keel.kernel.mvcc.lease.LeaseTable;
import dev.keel.kernel.mvcc.store.KeyIndex;
import dev.keel.kernel.mvcc.store.Keyspace;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * etcd 3.4's {@code authApplierV3}: the permission checks of an enveloped request at apply time (already
 * validated), and the auth ops themselves. The store outlives MVCC restores (it is replaced by
 * {@link #restore}); the listener hears every change on every member, in log order.
 */
final class AuthGate {
    private final AuthListener listener;
    private final List<Level> levels = new ArrayList<>();
    private final AuthRequestView authView = new AuthRequestView();
    private final PermissionCache permissions = new PermissionCache();
    private AuthStore store = new AuthStore();
    /** The last envelope's user, so a stream of requests from one user decodes no new string. */
    private byte[] lastUserBytes = new byte[0];
    private String lastUser = "";

    /** Reusable views per txn nesting depth, so checking a txn allocates no views. */
    private static final class Level {
        final PutRequest put = new PutRequest();
        final RangeRequest range = new RangeRequest();
        final DeleteRangeRequest delete = new DeleteRangeRequest();
        final TxnRequest txn = new TxnRequest();
        final TxnCompare compare = new TxnCompare();
    }

    AuthGate(AuthListener listener) {
        this.listener = listener;
    }

    AuthStore store() {
        return store;
    }

    /** Replaces the store (snapshot restore) and tells the host the new state. */
    void restore(AuthStore restored) {
        store = restored;
        listener.authState(store.enabled(), store.revision());
    }

    /**
     * etcd's envelope checks: no user, an old revision, then the inner request's permissions. AUTHENTICATE
     * is exempt: its caller has no token yet (its own revision check is in {@link #apply}).
     */
    AuthError check(String user, long authRevision, DirectBuffer request, int offset, int length,
                    Keyspace keyspace, LeaseTable leases) {
        if (!store.enabled()) {
            return AuthError.OK;
        }
        int type = RequestType.typeOf(request, offset, length);
        if (type == RequestType.AUTH && authView.wrap(request, offset, length)
                && authView.op() == AuthOp.AUTHENTICATE) {
            return AuthError.OK;
        }
        if (authRevision == 0 || user.isEmpty()) {
            return AuthError.USER_EMPTY;
        }
        if (authRevision < store.revision()) {
            return AuthError.AUTH_OLD_REVISION;
        }
        switch (type) {
            case RequestType.COMPACT:
            case RequestType.ALARM_DISARM:
                // etcd 3.4 checks neither (needAdminPermission lists only auth ops; authMaintenanceServer passes
                // Alarm through): any authenticated user may compact or disarm.
                return AuthError.OK;
            case RequestType.LEASE_CHECKPOINT:
                return store.isAdmin(user);
            case RequestType.LEASE_GRANT:
                return AuthError.OK;
            case RequestType.LEASE_REVOKE:
                return leaseKeys(user, SmallRequests.firstLong(request, offset), keyspace, leases);
            case RequestType.AUTH:
                return checkAuthOp(user, request, offset, length);
            default:
                return checkOp(user, type, request, offset, length, 0, keyspace, leases);
        }
    }

    /** Read permission on {@code [key, end)} for a read served outside the log or a watch. */
    AuthError checkRead(String user, byte[] key, byte[] end) {
        return store.isPermitted(user, key, end, PermissionType.READ);
    }

    private AuthError checkOp(String user, int type, DirectBuffer request, int offset, int length, int depth,
                              Keyspace keyspace, LeaseTable leases) {
        Level level = level(depth);
        switch (type) {
            case RequestType.PUT: {
                PutRequest put = level.put;
                put.wrap(request, offset, length);
                AuthError error = permitted(user, request, put.keyOffset(), put.keyLength(), 0, 0,
                        PermissionType.WRITE);
                if (error == AuthError.OK && depth == 0 && put.prevKv()) {
                    error = permitted(user, request, put.keyOffset(), put.keyLength(), 0, 0, PermissionType.READ);
                }
                if (error == AuthError.OK && depth == 0 && put.lease() != 0 && !put.ignoreLease()) {
                    error = leaseKeys(user, put.lease(), keyspace, leases);
                }
                return error;
            }
            case RequestType.RANGE: {
                RangeRequest range = level.range;
                range.wrap(request, offset, length);
                return permitted(user, request, range.keyOffset(), range.keyLength(), range.rangeEndOffset(),
                        range.rangeEndLength(), PermissionType.READ);
            }
            case RequestType.DELETE_RANGE: {
                DeleteRangeRequest delete = level.delete;
                delete.wrap(request, offset, length);
                AuthError error = permitted(user, request, delete.keyOffset(), delete.keyLength(),
                        delete.rangeEndOffset(), delete.rangeEndLength(), PermissionType.WRITE);
                // Unlike a put's, a delete's prev_kv needs read inside a txn too (etcd's checkTxnReqsPermission).
                if (error == AuthError.OK && delete.prevKv()) {
                    error = permitted(user, request, delete.keyOffset(), delete.keyLength(),
                            delete.rangeEndOffset(), delete.rangeEndLength(), PermissionType.READ);
                }
                return error;
            }
            case RequestType.TXN:
                return checkTxn(user, request, offset, length, depth, keyspace, leases);
            default:
                return AuthError.PERMISSION_DENIED;
        }
    }

    /** etcd's {@code checkTxnReqsPermission}: read on every compare, then every op of both branches. */
    private AuthError checkTxn(String user, DirectBuffer request, int offset, int length, int depth,
                               Keyspace keyspace, LeaseTable leases) {
        Level level = level(depth);
        TxnRequest txn = level.txn;
        txn.wrap(request, offset, length);
        int at = txn.comparesAt();
        for (int i = 0; i < txn.compareCount(); i++) {
            at = level.compare.wrap(request, at);
            AuthError error = permitted(user, request, level.compare.keyOffset(), level.compare.keyLength(),
                    level.compare.rangeEndOffset(), level.compare.rangeEndLength(), PermissionType.READ);
            if (error != AuthError.OK) {
                return error;
            }
        }
        for (int branch = 0; branch < 2; branch++) {
            boolean success = branch == 0;
            int op = txn.opsAt(success);
            for (int i = 0; i < txn.opCount(success); i++) {
                int opOffset = TxnRequest.opRequestOffset(op);
                int opLength = txn.opRequestLength(op);
                int type = RequestType.typeOf(request, opOffset, opLength);
                AuthError error = checkOp(user, type, request, opOffset, opLength, depth + 1, keyspace, leases);
                if (error != AuthError.OK) {
                    return error;
                }
                // checkOp of a nested txn rewrapped deeper levels only; this level's view is intact.
                op = txn.opEnd(op);
            }
        }
        return AuthError.OK;
    }

    /** etcd's {@code checkLeasePuts}: write on every key already attached to the lease. */
    private AuthError leaseKeys(String user, long leaseId, Keyspace keyspace, LeaseTable leases) {
        Lease lease = leases.get(leaseId);
        if (lease == null) {
            return AuthError.OK;
        }
        KeyIndex keys = keyspace.keys();
        for (int slot : leases.keySlots(lease)) {
            AuthError error = permitted(user, keys.keyBuffer(slot), keys.keyOffset(slot), keys.keyLength(slot), 0, 0,
                    PermissionType.WRITE);
            if (error != AuthError.OK) {
                return error;
            }
        }
        return AuthError.OK;
    }

    /** etcd's {@code needAdminPermission}, and UserGet / RoleGet for the caller's own user and roles. */
    private AuthError checkAuthOp(String user, DirectBuffer request, int offset, int length) {
        authView.wrap(request, offset, length);
        AuthError admin = store.isAdmin(user);
        AuthOp op = authView.op();
        if (admin == AuthError.OK || (op != AuthOp.USER_GET && op != AuthOp.ROLE_GET)) {
            return admin;
        }
        String name = authView.name();
        if (op == AuthOp.USER_GET) {
            return name.equals(user) ? AuthError.OK : admin;
        }
        Lookup<AuthUser> caller = store.userGet(user);
        return caller.error() == AuthError.OK && caller.value().roles().contains(name) ? AuthError.OK : admin;
    }

    /** Applies an auth op (already validated and checked); returns the response length at offset 0. */
    int apply(DirectBuffer request, int offset, int length, long kvRevision, MutableDirectBuffer out) {
        authView.wrap(request, offset, length);
        AuthOp op = authView.op();
        switch (op) {
            case USER_GET: {
                Lookup<AuthUser> user = store.userGet(authView.name());
                return user.error() != AuthError.OK ? error(out, user.error(), kvRevision)
                        : AuthResponse.names(out, 0, kvRevision, user.value().roles());
            }
            case ROLE_GET: {
                Lookup<List<Permission>> role = store.roleGet(authView.name());
                return role.error() != AuthError.OK ? error(out, role.error(), kvRevision)
                        : AuthResponse.permissions(out, 0, kvRevision, role.value());
            }
            case USER_LIST:
                return AuthResponse.names(out, 0, kvRevision, store.userList());
            case ROLE_LIST:
                return AuthResponse.names(out, 0, kvRevision, store.roleList());
            case AUTHENTICATE:
                return authenticate(kvRevision, out);
            default:
                return change(op, kvRevision, out);
        }
    }

    /** etcd's apply of an Authenticate entry: the user must still exist, at the revision the node checked. */
    private int authenticate(long kvRevision, MutableDirectBuffer out) {
        String name = authView.name();
        if (!store.enabled()) {
            return error(out, AuthError.AUTH_NOT_ENABLED, kvRevision);
        }
        if (store.userGet(name).error() != AuthError.OK) {
            return error(out, AuthError.AUTH_FAILED, kvRevision);
        }
        if (authView.checkedRevision() != store.revision()) {
            return error(out, AuthError.AUTH_OLD_REVISION, kvRevision);
        }
        String token = authView.token();
        listener.tokenAssigned(name, token, store.revision());
        return AuthResponse.authenticated(out, 0, kvRevision, store.revision(), name, token);
    }

    private int change(AuthOp op, long kvRevision, MutableDirectBuffer out) {
        long before = store.revision();
        AuthError error = switch (op) {
            case ENABLE -> store.authEnable();
            case DISABLE -> store.authDisable();
            case USER_ADD -> store.userAdd(authView.name(), authView.passwordHash());
            case USER_DELETE -> store.userDelete(authView.name());
            case USER_CHANGE_PASSWORD -> store.userChangePassword(authView.name(), authView.passwordHash());
            case USER_GRANT_ROLE -> store.userGrantRole(authView.name(), authView.role());
            case USER_REVOKE_ROLE -> store.userRevokeRole(authView.name(), authView.role());
            case ROLE_ADD -> store.roleAdd(authView.name());
            case ROLE_DELETE -> store.roleDelete(authView.name());
            case ROLE_GRANT_PERMISSION -> store.roleGrantPermission(authView.name(),
                    new Permission(authView.permType(), authView.key(), authView.rangeEnd()));
            case ROLE_REVOKE_PERMISSION -> store.roleRevokePermission(authView.name(), authView.key(),
                    authView.rangeEnd());
            default -> AuthError.INVALID_AUTH_MGMT;
        };
        if (error != AuthError.OK) {
            return error(out, error, kvRevision);
        }
        if (op == AuthOp.USER_DELETE || op == AuthOp.USER_CHANGE_PASSWORD) {
            listener.userInvalidated(authView.name());
        }
        if (store.revision() != before) {
            listener.authState(store.enabled(), store.revision());
        }
        return AuthResponse.ok(out, 0, kvRevision);
    }

    private static int error(MutableDirectBuffer out, AuthError error, long kvRevision) {
        return AuthResponse.error(out, 0, dev.keel.kernel.mvcc.codec.ResponseLayout.AUTH, error, kvRevision);
    }

    private AuthError permitted(String user, DirectBuffer buffer, int keyAt, int keyLength, int endAt, int endLength,
                                PermissionType wanted) {
        return permissions.check(store, user, buffer, keyAt, keyLength, endAt, endLength, wanted);
    }

    /** @return the user name at {@code at}, decoding it only when it differs from the previous envelope's */
    String user(DirectBuffer buffer, int at, int length) {
        boolean same = length == lastUserBytes.length;
        for (int i = 0; same && i < length; i++) {
            same = buffer.getByte(at + i) == lastUserBytes[i];
        }
        if (!same) {
            lastUserBytes = new byte[length];
            buffer.getBytes(at, lastUserBytes);
            lastUser = buffer.getStringWithoutLengthUtf8(at, length);
        }
        return lastUser;
    }

    private Level level(int depth) {
        while (levels.size() <= depth) {
            levels.add(new Level());
        }
        return levels.get(depth);
    }
}
