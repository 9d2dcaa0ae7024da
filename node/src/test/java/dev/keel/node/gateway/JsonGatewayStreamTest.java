package dev.keel.node.gateway;

import com.google.protobuf.UnknownFieldSet;
import com.linecorp.armeria.server.Server;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberListResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's streaming path with real curl processes against a bidi service (a scripted Watch, as the node's
 * Watch service is added elsewhere): one {@code {"result":...}} line per response, etcd 3.4 fields carried both
 * ways, an in-stream error as grpc-gateway writes it, a first message that does not parse, a client that goes
 * away (the service hears the cancel), a path whose service or method is absent, and LeaseLeases (an RPC
 * jetcd's classes lack) printed with etcd 3.4's names.
 */
class JsonGatewayStreamTest {
    private static final CountDownLatch CANCELLED = new CountDownLatch(1);
    private static Server server;
    private static String base;

    /** Answers each create with created (echoing watch_id from field 7) and then a fragment-marked response. */
    static final class ScriptedWatch extends WatchGrpc.WatchImplBase {
        @Override
        public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
            ((ServerCallStreamObserver<WatchResponse>) out).setOnCancelHandler(CANCELLED::countDown);
            return new StreamObserver<>() {
                @Override
                public void onNext(WatchRequest r) {
                    String key = r.getCreateRequest().getKey().toStringUtf8();
                    if (key.equals("fail")) {
                        out.onError(Status.FAILED_PRECONDITION.withDescription("etcdserver: boom")
                                .asRuntimeException());
                        return;
                    }
                    List<Long> id = r.getCreateRequest().getUnknownFields().getField(7).getVarintList();
                    long watchId = id.isEmpty() ? 0 : id.get(0);
                    ResponseHeader h = ResponseHeader.newBuilder().setRevision(5).build();
                    out.onNext(WatchResponse.newBuilder().setHeader(h).setWatchId(watchId).setCreated(true).build());
                    out.onNext(WatchResponse.newBuilder().setHeader(h).setWatchId(watchId)
                            .setUnknownFields(UnknownFieldSet.newBuilder()
                                    .addField(7, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build())
                            .build());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    // like etcd's watch stream: the client's half-close keeps the stream open
                }
            };
        }
    }

    /**
     * etcd 3.4's LeaseLeases as a service built on jetcd's classes would define it: no such classes exist, so the
     * response reuses MemberListResponse, identical on the wire ({header=1, repeated {ID=1}=2}).
     */
    static ServerServiceDefinition leaseLeases() {
        MethodDescriptor<LeaseRevokeRequest, MemberListResponse> m = MethodDescriptor
                .<LeaseRevokeRequest, MemberListResponse>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("etcdserverpb.Lease/LeaseLeases")
                .setRequestMarshaller(ProtoUtils.marshaller(LeaseRevokeRequest.getDefaultInstance()))
                .setResponseMarshaller(ProtoUtils.marshaller(MemberListResponse.getDefaultInstance())).build();
        return ServerServiceDefinition.builder("etcdserverpb.Lease").addMethod(m, ServerCalls.asyncUnaryCall(
                (request, out) -> {
                    out.onNext(MemberListResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(3))
                            .addMembers(Member.newBuilder().setID(7)).addMembers(Member.newBuilder().setID(9)).build());
                    out.onCompleted();
                })).build();
    }

    @BeforeAll
    static void start() {
        JsonGateway gateway = new JsonGateway(List.of(new ScriptedWatch().bindService(), leaseLeases()), 1 << 20);
        server = Server.builder().http(0).serviceUnder("/v3/", gateway).requestTimeoutMillis(0).build();
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
    void eachResponseIsOneResultLineWithEtcd34Fields() throws Exception {
        String out = curl(3, "-X", "POST", base + "/v3/watch", "-d",
                "{\"create_request\":{\"key\":\"YQ==\",\"watch_id\":\"7\"}} {\"create_request\":{\"key\":\"Yg==\"}}");
        assertEquals("{\"result\":{\"header\":{\"revision\":\"5\"},\"watch_id\":\"7\",\"created\":true}}\n"
                + "{\"result\":{\"header\":{\"revision\":\"5\"},\"watch_id\":\"7\",\"fragment\":true}}\n"
                + "{\"result\":{\"header\":{\"revision\":\"5\"},\"created\":true}}\n"
                + "{\"result\":{\"header\":{\"revision\":\"5\"},\"fragment\":true}}\n", out);
    }

    @Test
    void anErrorAfterResponsesIsAnInStreamErrorLine() throws Exception {
        String out = curl(10, "-X", "POST", base + "/v3/watch", "-d",
                "{\"create_request\":{\"key\":\"YQ==\"}} {\"create_request\":{\"key\":\"ZmFpbA==\"}}");
        assertTrue(out.endsWith("{\"error\":{\"grpc_code\":9,\"http_code\":412,\"message\":\"etcdserver: boom\","
                + "\"http_status\":\"Precondition Failed\"}}\n"), out);
    }

    @Test
    void aFirstMessageThatDoesNotParseIsUnknownAsInEtcd() throws Exception {
        String out = curl(10, "-s", "-o", "-", "-w", " %{http_code}", "-X", "POST", base + "/v3/watch", "-d",
                "{\"create_request\":{\"key\":\"Zm9v\"");
        assertEquals("{\"error\":\"unexpected EOF\",\"message\":\"unexpected EOF\",\"code\":2} 500", out);
    }

    @Test
    void aClientThatGoesAwayCancelsTheCall() throws Exception {
        Process p = new ProcessBuilder("curl", "-s", "-N", "-X", "POST", base + "/v3/watch", "-d",
                "{\"create_request\":{\"key\":\"YQ==\"}}").redirectErrorStream(true).start();
        try {
            // Never block on curl's output without a deadline: a stream that never starts fails the test.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (p.getInputStream().available() == 0 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(p.getInputStream().available() > 0, "the stream started within 30 s");
        } finally {
            p.destroy();
        }
        assertTrue(CANCELLED.await(30, TimeUnit.SECONDS), "the service heard the cancel");
    }

    @Test
    void aPathWhoseServiceIsAbsentIsUnimplemented() throws Exception {
        String out = curl(10, "-s", "-o", "-", "-w", " %{http_code}", "-X", "POST", base + "/v3/kv/range", "-d",
                "{\"key\":\"Zm9v\"}");
        assertEquals("{\"error\":\"unknown service etcdserverpb.KV\",\"message\":\"unknown service "
                + "etcdserverpb.KV\",\"code\":12} 501", out);
        out = curl(10, "-s", "-o", "-", "-w", " %{http_code}", "-X", "POST", base + "/v3/lease/grant", "-d",
                "{\"TTL\":60}");
        assertEquals("{\"error\":\"unknown method LeaseGrant for service etcdserverpb.Lease\",\"message\":"
                + "\"unknown method LeaseGrant for service etcdserverpb.Lease\",\"code\":12} 501", out);
    }

    @Test
    void leaseLeasesPrintsEtcd34NamesWhateverClassCarriesIt() throws Exception {
        for (String path : List.of("/v3/lease/leases", "/v3/kv/lease/leases")) {
            assertEquals("{\"header\":{\"revision\":\"3\"},\"leases\":[{\"ID\":\"7\"},{\"ID\":\"9\"}]}",
                    curl(10, "-X", "POST", base + path, "-d", "{}"));
        }
    }

    /** Runs curl for at most {@code seconds} (streams stay open) and returns what it printed. */
    static String curl(int seconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-s", "-N", "-m", Integer.toString(seconds)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(seconds + 10L, TimeUnit.SECONDS);
        return new String(out, StandardCharsets.UTF_8);
    }
}
