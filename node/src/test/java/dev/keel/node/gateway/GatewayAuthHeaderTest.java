package dev.keel.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.server.Server;
import dev.keel.node.auth.AuthInterceptor;
import dev.keel.node.auth.CallerIdentity;
import dev.keel.node.auth.SimpleTokens;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.grpc.ServerInterceptors;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway forwards etcd's {@code Authorization: <token>} header to the services' auth interceptor: a Range
 * service that answers with the caller's user name shows whom the gateway call ran as.
 */
class GatewayAuthHeaderTest {
    private static final SimpleTokens TOKENS = new SimpleTokens(() -> 0L, 300_000, new java.security.SecureRandom());
    private static Server server;
    private static String base;

    /** Answers every Range with one key: the caller's user name ("" for none). */
    static final class WhoAmI extends KVGrpc.KVImplBase {
        @Override
        public void range(RangeRequest request, StreamObserver<RangeResponse> out) {
            out.onNext(RangeResponse.newBuilder().addKvs(KeyValue.newBuilder()
                    .setKey(ByteString.copyFromUtf8(CallerIdentity.user()))).build());
            out.onCompleted();
        }
    }

    @BeforeAll
    static void start() {
        AuthInterceptor auth = new AuthInterceptor(() -> true, () -> 1, TOKENS, false);
        JsonGateway gateway = new JsonGateway(List.of(ServerInterceptors.intercept(new WhoAmI(), auth)), 1 << 20);
        server = Server.builder().http(0).serviceUnder("/v3/", gateway).build();
        server.start().join();
        base = "http://127.0.0.1:" + server.activeLocalPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop().join();
        }
    }

    @Test
    void authorizationHeaderNamesTheCaller() throws Exception {
        String token = TOKENS.proposalToken();
        TOKENS.assigned("alice", token, 1);
        HttpResponse<String> r = post(token);
        assertEquals(200, r.statusCode(), r.body());
        // "alice" in base64, as the gateway prints bytes.
        assertTrue(r.body().contains("\"key\":\"YWxpY2U=\""), r.body());
    }

    @Test
    void anInvalidTokenIsEtcdsInvalidAuthTokenAs401() throws Exception {
        HttpResponse<String> r = post("nosuchtokenatall.9");
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"message\":\"etcdserver: invalid auth token\""), r.body());
        assertTrue(r.body().contains("\"code\":16"), r.body());
    }

    private static HttpResponse<String> post(String token) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v3/kv/range"))
                .header("Authorization", token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"YQ==\"}")).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }
}
