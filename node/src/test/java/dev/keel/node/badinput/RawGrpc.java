package dev.keel.node.badinput;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Sends bytes to a gRPC server as they are: a message of any bytes in a well-formed gRPC frame (grpc-java with a
 * byte[] marshaller), or a whole request body of any bytes (Armeria's HTTP/2 client). Answers are rendered as
 * {@code OK} or {@code CODE: description}, the part a client sees and etcd and Keel must share.
 */
public final class RawGrpc {
    static final int GRPC_RECEIVE_LIMIT = 64 << 20;
    /** Request and response bytes as they are: for messages no protobuf class would write. */
    public static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private RawGrpc() {
    }

    /** Calls {@code method} (e.g. {@code etcdserverpb.KV/Put}) with {@code message} as the request's bytes. */
    static String call(String endpoint, String method, byte[] message) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext()
                .maxInboundMessageSize(GRPC_RECEIVE_LIMIT).build();
        try {
            MethodDescriptor<byte[], byte[]> descriptor = MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(method)
                    .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
            ClientCalls.blockingUnaryCall(channel, descriptor,
                    CallOptions.DEFAULT.withDeadlineAfter(15, TimeUnit.SECONDS), message);
            return "OK";
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() + ": " + e.getStatus().getDescription();
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * POSTs {@code body} as the whole HTTP/2 request body of a gRPC call.
     *
     * @return the answer's grpc-status and grpc-message, from the headers (trailers-only) or the trailers
     */
    static String post(String endpoint, String method, byte[] body) {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, "/" + method)
                .contentType(MediaType.parse("application/grpc")).add("te", "trailers").build();
        AggregatedHttpResponse r = WebClient.builder("h2c://" + endpoint).responseTimeoutMillis(15_000).build()
                .execute(headers, HttpData.wrap(body)).aggregate().join();
        String status = r.headers().contains("grpc-status") ? r.headers().get("grpc-status")
                : r.trailers().get("grpc-status");
        String message = r.headers().contains("grpc-status") ? r.headers().get("grpc-message")
                : r.trailers().get("grpc-message");
        return "http " + r.status().code() + " grpc-status " + status + ": "
                + (message == null || message.isEmpty() ? "" : message);
    }
}
