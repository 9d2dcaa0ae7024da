package dev.keel.node.gateway;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.keel.node.metrics.NodeMetrics;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * etcd 3.4's {@code GET /health}: {@code {"health":"true"}} when no alarm is raised, a leader is known and a
 * linearizable read completes within a second; otherwise 503 with {@code {"health":"false"}} (etcd 3.4.23 gives
 * no reason). Other methods get 405 as from Go's handler.
 */
public final class HealthService implements HttpService {
    private final NodeMetrics metrics;
    private final Supplier<CompletableFuture<?>> linearizableRead;

    /** @param linearizableRead starts a linearizable read that completes when the cluster served it */
    public HealthService(NodeMetrics metrics, Supplier<CompletableFuture<?>> linearizableRead) {
        this.metrics = metrics;
        this.linearizableRead = linearizableRead;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        if (req.method() != HttpMethod.GET) {
            return GatewayResponses.plain(HttpStatus.METHOD_NOT_ALLOWED, "Method Not Allowed");
        }
        if (metrics.kernel().alarmed() || !metrics.kernel().hasLeader()) {
            return answer(false);
        }
        CompletableFuture<HttpResponse> done = linearizableRead.get().orTimeout(1, TimeUnit.SECONDS)
                .handle((ok, failure) -> answer(failure == null));
        return HttpResponse.of(done);
    }

    private HttpResponse answer(boolean healthy) {
        metrics.healthChecked(healthy);
        // etcd writes the healthy body itself and the unhealthy one through http.Error (a newline added).
        String body = healthy ? "{\"health\":\"true\"}" : "{\"health\":\"false\"}\n";
        ResponseHeaders headers = GatewayResponses.cors(ResponseHeaders.builder(
                healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)).contentType(MediaType.PLAIN_TEXT_UTF_8)
                .build();
        return HttpResponse.of(headers, HttpData.ofUtf8(body));
    }
}
