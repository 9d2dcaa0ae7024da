package dev.keel.node.api;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import java.util.Set;

/**
 * The client port's answer to a gRPC call no service takes, as grpc-go (etcd) gives it: a trailers-only response
 * with UNIMPLEMENTED and "unknown method M for service S" for a served service, "unknown service S" otherwise.
 * Without it Armeria answers a bare HTTP 404, which gRPC clients report as "HTTP status code 404". Requests that
 * are not gRPC get Go's plain 404.
 */
public final class UnknownGrpcMethods implements HttpService {
    private static final int UNIMPLEMENTED = 12;
    private final Set<String> services;

    /** @param services the full names of the gRPC services served, e.g. {@code etcdserverpb.KV} */
    public UnknownGrpcMethods(Set<String> services) {
        this.services = Set.copyOf(services);
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        MediaType type = req.contentType();
        if (type == null || !type.subtype().startsWith("grpc")) {
            // What etcd's HTTP mux answers for a path nobody serves (Go's http.NotFound).
            return HttpResponse.of(ResponseHeaders.builder(HttpStatus.NOT_FOUND).contentType(MediaType.PLAIN_TEXT_UTF_8)
                    .add("x-content-type-options", "nosniff")
                    // etcd's client handler adds its CORS defaults to every answer
                    .add("access-control-allow-headers", "accept, content-type, authorization")
                    .add("access-control-allow-methods", "POST, GET, OPTIONS, PUT, DELETE")
                    .add("access-control-allow-origin", "*").build(),
                    com.linecorp.armeria.common.HttpData.ofUtf8("404 page not found\n"));
        }
        String path = ctx.path().substring(1);
        int slash = path.lastIndexOf('/');
        String service = slash < 0 ? path : path.substring(0, slash);
        String message = services.contains(service) && slash >= 0
                ? "unknown method " + path.substring(slash + 1) + " for service " + service
                : "unknown service " + service;
        return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.parse("application/grpc"))
                .add("grpc-status", Integer.toString(UNIMPLEMENTED)).add("grpc-message", percentEncoded(message))
                .endOfStream(true).build());
    }

    /** gRPC's grpc-message encoding: printable ASCII other than '%' as is, everything else %XX of its UTF-8. */
    static String percentEncoded(String message) {
        StringBuilder out = new StringBuilder();
        for (byte b : message.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            if (b >= 0x20 && b < 0x7f && b != '%') {
                out.append((char) b);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
