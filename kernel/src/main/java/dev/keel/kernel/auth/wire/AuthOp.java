package dev.keel.kernel.auth.wire;

/** Every auth operation carried by a {@code RequestType.AUTH} entry; the ordinal is the wire value. */
public enum AuthOp {
    ENABLE, DISABLE, AUTHENTICATE,
    USER_ADD, USER_GET, USER_LIST, USER_DELETE, USER_CHANGE_PASSWORD, USER_GRANT_ROLE, USER_REVOKE_ROLE,
    ROLE_ADD, ROLE_GET, ROLE_LIST, ROLE_DELETE, ROLE_GRANT_PERMISSION, ROLE_REVOKE_PERMISSION;

    private static final AuthOp[] BY_WIRE = values();

    /** @return the op with this wire value, or null when out of range */
    public static AuthOp fromWire(int wire) {
        return wire >= 0 && wire < BY_WIRE.length ? BY_WIRE[wire] : null;
    }

    /**
     * @return whether etcd 3.4's {@code needAdminPermission} requires the root role for this op (USER_GET and
     * ROLE_GET are also allowed for the user itself / a role it has; AUTHENTICATE needs no permission)
     */
    public boolean needsAdmin() {
        return this != AUTHENTICATE;
    }
}
