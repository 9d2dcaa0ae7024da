package dev.keel.kernel.auth;

/** etcd's permission types ({@code authpb.Permission_Type}); the ordinal is the wire value. */
public enum PermissionType {
    READ, WRITE, READWRITE;

    /** @return whether a permission of this type allows an access of type {@code wanted} (READ or WRITE) */
    public boolean allows(PermissionType wanted) {
        return this == READWRITE || this == wanted;
    }
}
