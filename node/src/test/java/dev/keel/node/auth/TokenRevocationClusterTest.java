package dev.keel.node.auth;

import com.google.protobuf.ByteString;
import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import io.etcd.jetcd.api.AuthEnableRequest;
import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.AuthRoleAddRequest;
import io.etcd.jetcd.api.AuthRoleGrantPermissionRequest;
import io.etcd.jetcd.api.AuthUserAddRequest;
import io.etcd.jetcd.api.AuthUserChangePasswordRequest;
import io.etcd.jetcd.api.AuthUserDeleteRequest;
import io.etcd.jetcd.api.AuthUserGrantRoleRequest;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.Permission;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Simple tokens are assigned through the log, so a token issued by one member works on every member, and a
 * user's deletion or password change (applied everywhere) revokes its tokens on every member, as in etcd.
 */
class TokenRevocationClusterTest {
    private static KeelCluster cluster;
    private static final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void start() {
        cluster = KeelCluster.builder().members(3).start();
        for (String endpoint : cluster.endpoints().split(",")) {
            channels.add(ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build());
        }
        AuthGrpc.AuthBlockingStub auth = auth(0, null);
        AuthNodeTest.roleAddOnceLeaderKnown(auth, "root");
        auth.userAdd(AuthUserAddRequest.newBuilder().setName("root").setPassword("rootpw").build());
        auth.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root").build());
        auth.roleAdd(AuthRoleAddRequest.newBuilder().setName("d").build());
        auth.roleGrantPermission(AuthRoleGrantPermissionRequest.newBuilder().setName("d")
                .setPerm(Permission.newBuilder().setPermType(Permission.Type.READWRITE)
                        .setKey(ByteString.copyFromUtf8("/d/")).setRangeEnd(ByteString.copyFromUtf8("/d0")))
                .build());
        auth.authEnable(AuthEnableRequest.getDefaultInstance());
    }

    @AfterAll
    static void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aDeletedUsersTokenStopsWorkingOnEveryMember() {
        String rootToken = token(0, "root", "rootpw");
        addUser(rootToken, "dave", "davepw");
        String daveToken = token(0, "dave", "davepw");
        kv(0, daveToken).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("/d/x")).build());
        awaitTokenWorksEverywhere(daveToken);

        auth(1, rootToken).userDelete(AuthUserDeleteRequest.newBuilder().setName("dave").build());
        awaitTokenRefusedEverywhere(daveToken);
    }

    @Test
    void aPasswordChangeRevokesTheOldTokensOnEveryMember() {
        String rootToken = token(0, "root", "rootpw");
        addUser(rootToken, "erin", "erinpw");
        String erinToken = token(2, "erin", "erinpw");
        awaitTokenWorksEverywhere(erinToken);

        auth(0, rootToken).userChangePassword(AuthUserChangePasswordRequest.newBuilder().setName("erin")
                .setPassword("newpw").build());
        awaitTokenRefusedEverywhere(erinToken);
        StatusRuntimeException old = assertThrows(StatusRuntimeException.class, () -> token(1, "erin", "erinpw"));
        assertEquals("etcdserver: authentication failed, invalid user ID or password", old.getStatus().getDescription());
        awaitTokenWorksEverywhere(token(1, "erin", "newpw"));
    }

    private static void addUser(String rootToken, String user, String password) {
        AuthGrpc.AuthBlockingStub auth = auth(0, rootToken);
        auth.userAdd(AuthUserAddRequest.newBuilder().setName(user).setPassword(password).build());
        auth.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser(user).setRole("d").build());
    }

    /** Followers learn a token when they apply its AUTHENTICATE entry: poll each member until it knows it. */
    private static void awaitTokenWorksEverywhere(String token) {
        for (int m = 0; m < 3; m++) {
            int member = m;
            Awaits.until("member " + member + " accepts the token", 10_000,
                    () -> rangeAnswer(member, token).equals("ok"));
        }
    }

    private static void awaitTokenRefusedEverywhere(String token) {
        for (int m = 0; m < 3; m++) {
            int member = m;
            Awaits.until("member " + member + " refuses the token", 10_000,
                    () -> rangeAnswer(member, token).equals("UNAUTHENTICATED: etcdserver: invalid auth token"));
        }
    }

    private static String rangeAnswer(int member, String token) {
        try {
            kv(member, token).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("/d/x"))
                    .setSerializable(true).build());
            return "ok";
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() + ": " + e.getStatus().getDescription();
        }
    }

    private static String token(int member, String user, String password) {
        return auth(member, null).authenticate(AuthenticateRequest.newBuilder().setName(user)
                .setPassword(password).build()).getToken();
    }

    private static AuthGrpc.AuthBlockingStub auth(int member, String token) {
        return AuthGrpc.newBlockingStub(channels.get(member)).withInterceptors(tokenHeader(token))
                .withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static KVGrpc.KVBlockingStub kv(int member, String token) {
        return KVGrpc.newBlockingStub(channels.get(member)).withInterceptors(tokenHeader(token))
                .withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static io.grpc.ClientInterceptor tokenHeader(String token) {
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(AuthInterceptor.TOKEN, token);
        }
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }
}
