package dev.keel.node.gateway;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import dev.keel.node.metrics.MetricsText;
import dev.keel.node.metrics.NodeMetrics;

/** etcd's {@code GET /version} and {@code /metrics} on the client port. */
public final class StaticEndpoints {
    /** The API version Keel reports as both the server's and the cluster's. */
    public static final String API_VERSION = "3.4.0";

    private StaticEndpoints() {
    }

    /** {@code {"etcdserver":"3.4.0","etcdcluster":"3.4.0"}}; other methods 405 as etcd. */
    public static HttpService version() {
        String body = "{\"etcdserver\":\"" + API_VERSION + "\",\"etcdcluster\":\"" + API_VERSION + "\"}";
        return (ctx, req) -> req.method() != HttpMethod.GET
                ? GatewayResponses.plain(HttpStatus.METHOD_NOT_ALLOWED, "Method Not Allowed")
                : HttpResponse.of(GatewayResponses.cors(ResponseHeaders.builder(HttpStatus.OK))
                        .contentType(MediaType.JSON).build(), HttpData.ofUtf8(body));
    }

    /** The member's metrics in Prometheus' text format, for any method (as etcd's promhttp handler). */
    public static HttpService metrics(NodeMetrics metrics) {
        return (ctx, req) -> HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
                .contentType(MediaType.parse(MetricsText.CONTENT_TYPE)).build(), HttpData.ofUtf8(metrics.render()));
    }
}
