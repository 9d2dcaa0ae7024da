package dev.keel.kernel.auth;

import static dev.keel.kernel.auth.AuthError.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One scenario per etcd 3.4 auth rule, with the exact results etcd gives. */
class AuthStoreScenarioTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static AuthStore withRoot() {
        AuthStore s = new AuthStore();
        assertEquals(OK, s.userAdd("root", b("h")));
        assertEquals(OK, s.roleAdd("root"));
        assertEquals(OK, s.userGrantRole("root", "root"));
        return s;
    }

    @Test
    void enableNeedsRootUserWithRootRole() {
        AuthStore s = new AuthStore();
        assertEquals(ROOT_USER_NOT_EXIST, s.authEnable());
        s.userAdd("root", b("h"));
        assertEquals(ROOT_ROLE_NOT_EXIST, s.authEnable());
        s.userGrantRole("root", "root"); // "root" may be granted before the role exists (etcd 3.4)
        long rev = s.revision();
        assertEquals(OK, s.authEnable());
        assertTrue(s.enabled());
        assertEquals(rev + 1, s.revision());
        assertEquals(OK, s.authEnable());
        assertEquals(rev + 1, s.revision(), "enabling twice is ignored");
        assertEquals(OK, s.authDisable());
        assertFalse(s.enabled());
        assertEquals(rev + 2, s.revision());
    }

    @Test
    void userAddRefusesEmptyAndDuplicates() {
        AuthStore s = new AuthStore();
        assertEquals(USER_EMPTY, s.userAdd("", b("h")));
        assertEquals(OK, s.userAdd("alice", b("h")));
        assertEquals(USER_ALREADY_EXIST, s.userAdd("alice", b("x")));
        assertEquals(1, s.revision());
        assertEquals("etcdserver: user name already exists", USER_ALREADY_EXIST.message());
        assertEquals(9, USER_ALREADY_EXIST.grpcCode());
    }

    @Test
    void rootCannotBeDeletedWhileEnabled() {
        AuthStore s = withRoot();
        s.authEnable();
        assertEquals(INVALID_AUTH_MGMT, s.userDelete("root"));
        assertEquals(USER_NOT_FOUND, s.userDelete("bob"));
        s.authDisable();
        assertEquals(OK, s.userDelete("root"));
        assertEquals(List.of(), s.userList());
    }

    @Test
    void changePasswordReplacesTheHash() {
        AuthStore s = new AuthStore();
        assertEquals(USER_NOT_FOUND, s.userChangePassword("alice", b("x")));
        s.userAdd("alice", b("old"));
        assertEquals(OK, s.userChangePassword("alice", b("new")));
        assertEquals("new", new String(s.userGet("alice").value().passwordHash(), StandardCharsets.UTF_8));
    }

    @Test
    void grantRoleNeedsUserAndRole() {
        AuthStore s = new AuthStore();
        assertEquals(USER_NOT_FOUND, s.userGrantRole("alice", "r"));
        s.userAdd("alice", b("h"));
        assertEquals(ROLE_NOT_FOUND, s.userGrantRole("alice", "r"));
        s.roleAdd("r");
        s.roleAdd("a");
        assertEquals(OK, s.userGrantRole("alice", "r"));
        assertEquals(OK, s.userGrantRole("alice", "a"));
        long rev = s.revision();
        assertEquals(OK, s.userGrantRole("alice", "a"));
        assertEquals(rev, s.revision(), "a granted role is ignored");
        assertEquals(List.of("a", "r"), s.userGet("alice").value().roles());
    }

    @Test
    void revokeRoleRules() {
        AuthStore s = withRoot();
        s.userAdd("alice", b("h"));
        assertEquals(ROLE_NOT_GRANTED, s.userRevokeRole("alice", "root"));
        assertEquals(USER_NOT_FOUND, s.userRevokeRole("bob", "root"));
        s.authEnable();
        assertEquals(INVALID_AUTH_MGMT, s.userRevokeRole("root", "root"));
        s.userGrantRole("alice", "root");
        assertEquals(OK, s.userRevokeRole("alice", "root"));
    }

    @Test
    void getAndListAreSorted() {
        AuthStore s = new AuthStore();
        assertEquals(USER_NOT_FOUND, s.userGet("x").error());
        assertEquals(ROLE_NOT_FOUND, s.roleGet("x").error());
        for (String n : List.of("zed", "amy", "Bob")) {
            s.userAdd(n, b("h"));
            s.roleAdd(n);
        }
        assertEquals(List.of("Bob", "amy", "zed"), s.userList());
        assertEquals(List.of("Bob", "amy", "zed"), s.roleList());
    }

    @Test
    void roleAddAndDeleteRules() {
        AuthStore s = withRoot();
        assertEquals(ROLE_EMPTY, s.roleAdd(""));
        assertEquals(ROLE_ALREADY_EXIST, s.roleAdd("root"));
        s.roleAdd("r");
        s.userAdd("alice", b("h"));
        s.userGrantRole("alice", "r");
        s.authEnable();
        assertEquals(INVALID_AUTH_MGMT, s.roleDelete("root"));
        assertEquals(ROLE_NOT_FOUND, s.roleDelete("nope"));
        assertEquals(OK, s.roleDelete("r"));
        assertEquals(List.of(), s.userGet("alice").value().roles(), "deleting a role revokes it");
    }

    @Test
    void grantPermissionReplacesTypeOfSameRange() {
        AuthStore s = new AuthStore();
        assertEquals(ROLE_NOT_FOUND, s.roleGrantPermission("r", new Permission(PermissionType.READ, b("k"), b(""))));
        s.roleAdd("r");
        s.roleGrantPermission("r", new Permission(PermissionType.READ, b("k"), b("")));
        s.roleGrantPermission("r", new Permission(PermissionType.WRITE, b("a"), b("b")));
        s.roleGrantPermission("r", new Permission(PermissionType.READWRITE, b("k"), b("")));
        assertEquals(List.of(new Permission(PermissionType.WRITE, b("a"), b("b")),
                new Permission(PermissionType.READWRITE, b("k"), b(""))), s.roleGet("r").value());
        assertEquals(PERMISSION_NOT_GRANTED, s.roleRevokePermission("r", b("k"), b("l")));
        assertEquals(ROLE_NOT_FOUND, s.roleRevokePermission("x", b("k"), b("")));
        assertEquals(OK, s.roleRevokePermission("r", b("k"), b("")));
        assertEquals(1, s.roleGet("r").value().size());
    }

    @Test
    void isPermittedFollowsTheRangePermCache() {
        AuthStore s = withRoot();
        s.userAdd("alice", b("h"));
        s.roleAdd("r");
        s.userGrantRole("alice", "r");
        assertEquals(OK, s.isPermitted("nobody", b("k"), b(""), PermissionType.WRITE), "auth disabled");
        s.authEnable();
        s.roleGrantPermission("r", new Permission(PermissionType.READ, b("foo"), b("fop"))); // prefix foo
        s.roleGrantPermission("r", new Permission(PermissionType.READWRITE, b("fop"), b("\0"))); // fop..end
        assertEquals(OK, s.isPermitted("alice", b("foo1"), b(""), PermissionType.READ));
        assertEquals(PERMISSION_DENIED, s.isPermitted("alice", b("foo1"), b(""), PermissionType.WRITE));
        assertEquals(OK, s.isPermitted("alice", b("foo"), b("\0"), PermissionType.READ), "union is contiguous");
        assertEquals(PERMISSION_DENIED, s.isPermitted("alice", b("fo"), b("\0"), PermissionType.READ));
        assertEquals(OK, s.isPermitted("alice", b("zzz"), b(""), PermissionType.WRITE));
        assertEquals(PERMISSION_DENIED, s.isPermitted("bob", b("zzz"), b(""), PermissionType.READ));
        assertEquals(USER_EMPTY, s.isPermitted("", b("zzz"), b(""), PermissionType.READ));
        assertEquals(OK, s.isPermitted("root", b(""), b("\0"), PermissionType.WRITE), "root may do anything");
        assertEquals(OK, s.isAdmin("root"));
        assertEquals(PERMISSION_DENIED, s.isAdmin("alice"));
        assertEquals(USER_NOT_FOUND, s.isAdmin("nobody"));
        s.authDisable();
        assertEquals(OK, s.isAdmin("alice"));
    }

    @Test
    void errorTextsAndCodesAreEtcds() {
        assertEquals("etcdserver: permission denied", PERMISSION_DENIED.message());
        assertEquals(7, PERMISSION_DENIED.grpcCode());
        assertEquals(3, INVALID_AUTH_MGMT.grpcCode());
        assertEquals(3, USER_EMPTY.grpcCode());
        for (AuthError e : AuthError.values()) {
            assertEquals(e, AuthError.fromWireId(e.wireId()));
        }
        assertEquals(null, AuthError.fromWireId(99));
    }
}
