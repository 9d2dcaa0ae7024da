package dev.keel.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.kernel.auth.AuthError;
import dev.keel.kernel.auth.AuthListener;
import dev.keel.kernel.auth.PermissionType;
import dev.keel.kernel.auth.wire.AuthEnvelope;
import dev.keel.kernel.auth.wire.AuthOp;
import dev.keel.kernel.auth.wire.AuthRequest;
import dev.keel.kernel.auth.wire.AuthResponseView;
import dev.keel.kernel.mvcc.MvccConfig;
import dev.keel.replica.testing.Kv;
import dev.keel.replica.testing.TestCluster;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Auth state goes through the log: every member applies the same auth entries (through followers' forwarding
 * too), holds an equal store, hears every token, and a follower that catches up from a snapshot has it as well.
 */
class AuthReplicationTest {
    private final Map<Long, List<String>> heard = new TreeMap<>();
    private long nextMember = 1;

    private TestCluster cluster(long snapshotCount) {
        return new TestCluster(3, cfg -> {
            long member = nextMember++;
            List<String> events = heard.computeIfAbsent(member, m -> new ArrayList<>());
            return cfg.withSnapshots(snapshotCount, 0).withMvcc(new MvccConfig().ticksPerSecond(10)
                    .authListener(new AuthListener() {
                        @Override
                        public void tokenAssigned(String user, String token, long authRevision) {
                            events.add("token " + user + " " + token);
                        }

                        @Override
                        public void authState(boolean enabled, long authRevision) {
                            events.add("state " + enabled + " " + authRevision);
                        }
                    }));
        });
    }

    private static AuthError write(TestCluster c, long on, String user, byte[] inner) {
        long revision = c.node(on).replica.mvcc().authRevision();
        byte[] bytes = AuthEnvelope.encode(user, revision, inner);
        long token = c.newToken();
        c.node(on).replica.write(token, new UnsafeBuffer(bytes), 0, bytes.length);
        c.settle();
        TestCluster.Outcome outcome = c.node(on).outcome(token);
        assertTrue(outcome.succeeded(), () -> "not served: " + outcome);
        byte[] response = outcome.response();
        return AuthResponseView.authError(new UnsafeBuffer(response), 0, response.length);
    }

    private static void setUpRootAndAlice(TestCluster c, long on) {
        for (AuthRequest r : List.of(AuthRequest.withPassword(AuthOp.USER_ADD, "root", bytes("h")),
                AuthRequest.named(AuthOp.ROLE_ADD, "root"), AuthRequest.userRole(AuthOp.USER_GRANT_ROLE, "root", "root"),
                AuthRequest.withPassword(AuthOp.USER_ADD, "alice", bytes("h2")), AuthRequest.named(AuthOp.ROLE_ADD, "cfg"),
                AuthRequest.permission(AuthOp.ROLE_GRANT_PERMISSION, "cfg", bytes("/config/"), bytes("/config0"),
                        PermissionType.READWRITE),
                AuthRequest.userRole(AuthOp.USER_GRANT_ROLE, "alice", "cfg"), AuthRequest.of(AuthOp.ENABLE))) {
            assertEquals(AuthError.OK, write(c, on, "", r.toBytes()), r.toString());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyMemberAppliesTheSameAuthStateAndHearsEveryToken() {
        TestCluster c = cluster(100_000);
        c.elect(1);
        setUpRootAndAlice(c, 2); // through a follower: forwarded to the leader unchanged
        long revision = c.node(1).replica.mvcc().authRevision();
        assertEquals(AuthError.OK, write(c, 3, "", AuthRequest.authenticate("alice", "tok-a", revision).toBytes()));
        Kv.Request put = Kv.put("/secret/x", "v");
        byte[] inner = new byte[put.length()];
        put.buffer().getBytes(0, inner);
        assertEquals(AuthError.PERMISSION_DENIED, write(c, 2, "alice", inner));
        assertEquals(AuthError.OK, write(c, 2, "root", inner));
        c.tickAll();
        for (long m = 1; m <= 3; m++) {
            assertEquals(c.node(1).replica.mvcc().authStoreCopy(), c.node(m).replica.mvcc().authStoreCopy());
            assertTrue(c.node(m).replica.mvcc().authEnabled());
            assertTrue(heard.get(m).contains("token alice tok-a"), "member " + m + " heard " + heard.get(m));
        }
        assertEquals(heard.get(1L), heard.get(2L));
        assertEquals(heard.get(1L), heard.get(3L));
    }

    @Test
    void aFollowerCatchingUpFromASnapshotHasTheAuthState() {
        TestCluster c = cluster(4);
        c.elect(1);
        c.crash(2);
        setUpRootAndAlice(c, 1);
        for (int i = 0; i < 10; i++) {
            assertTrue(c.putAndSettle(1, "k" + i, "v" + i).succeeded());
        }
        assertTrue(c.node(1).replica.raft().storage().baseIndex() > 3, "the leader did not compact its log");
        assertTrue(c.restart(2).started());
        c.tick(1);
        c.tick(1);
        assertEquals("v9", c.valueAt(2, "k9"));
        assertEquals(c.node(1).replica.mvcc().authStoreCopy(), c.node(2).replica.mvcc().authStoreCopy());
        assertTrue(c.node(2).replica.mvcc().authEnabled());
        long revision = c.node(1).replica.mvcc().authRevision();
        assertTrue(heard.get(2L).contains("state true " + revision), "member 2 heard " + heard.get(2L));
    }
}
