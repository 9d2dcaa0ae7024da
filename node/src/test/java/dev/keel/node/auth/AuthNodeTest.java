package dev.keel.node.auth;

import com.google.protobuf.ByteString;
import dev.keel.node.KeelCluster;
import io.etcd.jetcd.api.AuthEnableRequest;
import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.AuthRoleAddRequest;
import io.etcd.jetcd.api.AuthUserAddRequest;
import io.etcd.jetcd.api.AuthUserGrantRoleRequest;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens on real members: simple-token expiry on an injected clock, JWT across members, the gateway header. */
class AuthNodeTest {
    private static final String INVALID = "UNAUTHENTICATED: etcdserver: invalid auth token";

    @Test
    void aSimpleTokenExpiresAfterItsTtlUnlessUsed() {
        AtomicLong clock = new AtomicLong(1_000);
        try (KeelCluster cluster = KeelCluster.builder()
                .tokens(() -> new SimpleTokens(clock::get, 2_000, new SecureRandom())).start()) {
            ManagedChannel channel = channel(cluster.endpoints());
            try {
                enableWithRoot(channel);
                String token = token(channel, "root", "rootpw");
                assertEquals("ok", range(channel, token));
                clock.addAndGet(1_500);
                assertEquals("ok", range(channel, token), "used within its TTL: the TTL starts again");
                clock.addAndGet(1_500);
                assertEquals("ok", range(channel, token), "3 s after issue but 1.5 s after last use");
                clock.addAndGet(2_001);
                assertEquals(INVALID, range(channel, token));
            } finally {
                channel.shutdownNow();
            }
        }
    }

    @Test
    void aJwtFromOneMemberWorksOnAnother(@TempDir Path dir) throws Exception {
        Path secret = Files.write(dir.resolve("secret"), "0123456789abcdef0123456789abcdef".getBytes());
        TokenSpec spec = TokenSpec.parse("jwt,priv-key=" + secret + ",sign-method=HS256,ttl=5m");
        try (KeelCluster cluster = KeelCluster.builder().members(3)
                .tokens(() -> JwtTokens.fromSpec(spec, d -> 300_000, System::currentTimeMillis)).start()) {
            String[] endpoints = cluster.endpoints().split(",");
            ManagedChannel m1 = channel(endpoints[0]);
            ManagedChannel m3 = channel(endpoints[2]);
            try {
                enableWithRoot(m1);
                String token = token(m1, "root", "rootpw");
                assertEquals(3, token.split("\\.").length, "a JWT: header.claims.signature, not a simple token");
                dev.keel.node.Awaits.until("m3 serves root's JWT", 10_000, () -> range(m3, token).equals("ok"));
                assertEquals(INVALID, range(m3, token.substring(0, token.length() - 2) + "xx"));
            } finally {
                m1.shutdownNow();
                m3.shutdownNow();
            }
        }
    }

    @Test
    void theGatewayAuthenticatesAndTakesTheAuthorizationHeader() throws Exception {
        try (KeelCluster cluster = KeelCluster.builder().start()) {
            ManagedChannel channel = channel(cluster.endpoints());
            try {
                enableWithRoot(channel);
            } finally {
                channel.shutdownNow();
            }
            String base = "http://" + cluster.endpoints();
            HttpResponse<String> login = post(base + "/v3/auth/authenticate",
                    "{\"name\":\"root\",\"password\":\"rootpw\"}", null);
            assertEquals(200, login.statusCode(), login.body());
            Matcher m = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(login.body());
            assertTrue(m.find(), login.body());
            String put = "{\"key\":\"Zm9v\",\"value\":\"YmFy\"}";
            assertEquals(200, post(base + "/v3/kv/put", put, m.group(1)).statusCode());
            HttpResponse<String> anonymous = post(base + "/v3/kv/put", put, null);
            assertTrue(anonymous.body().contains("etcdserver: user name is empty"), anonymous.body());
            HttpResponse<String> bad = post(base + "/v3/kv/put", put, "not-a-token");
            assertTrue(bad.body().contains("etcdserver: invalid auth token"), bad.body());
        }
    }

    private static HttpResponse<String> post(String url, String body, String token) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            req.header("Authorization", token);
        }
        return HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void enableWithRoot(ManagedChannel channel) {
        AuthGrpc.AuthBlockingStub auth = AuthGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
        roleAddOnceLeaderKnown(auth, "root");
        auth.userAdd(AuthUserAddRequest.newBuilder().setName("root").setPassword("rootpw").build());
        auth.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root").build());
        auth.authEnable(AuthEnableRequest.getDefaultInstance());
    }

    /** The first write after start: members elect a leader on their own, so it is retried until one leads. */
    static void roleAddOnceLeaderKnown(AuthGrpc.AuthBlockingStub auth, String role) {
        dev.keel.node.Awaits.until("a leader takes the first write", 30_000, () -> {
            try {
                auth.roleAdd(AuthRoleAddRequest.newBuilder().setName(role).build());
                return true;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != io.grpc.Status.Code.UNAVAILABLE) {
                    throw e;
                }
                return false;
            }
        });
    }

    private static String token(ManagedChannel channel, String user, String password) {
        return AuthGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS).authenticate(
                AuthenticateRequest.newBuilder().setName(user).setPassword(password).build()).getToken();
    }

    private static String range(ManagedChannel channel, String token) {
        Metadata headers = new Metadata();
        headers.put(AuthInterceptor.TOKEN, token);
        try {
            KVGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setSerializable(true).build());
            return "ok";
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() + ": " + e.getStatus().getDescription();
        }
    }

    private static ManagedChannel channel(String endpoint) {
        return ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
    }
}
