package dev.keel.node.gateway;

import com.linecorp.armeria.server.Server;
import dev.keel.node.metrics.NodeMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /health} as etcd 3.4.23 answers it (checked on a 3-member etcd with two members stopped): healthy only
 * with a leader, no alarm and a linearizable read that completes within a second; etcd's bodies and statuses;
 * every check counted in the member's metrics.
 */
class HealthServiceTest {
    private Server server;

    private String serve(NodeMetrics metrics, Supplier<CompletableFuture<?>> read) {
        server = Server.builder().http(0).service("/health", new HealthService(metrics, read)).build();
        server.start().join();
        return "http://127.0.0.1:" + server.activeLocalPort() + "/health";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop().join();
        }
    }

    private static void publish(NodeMetrics m, long leader, boolean alarm) {
        m.kernel().publish(5, 5, 0, leader, leader == 1, false, 100, 1, 2, 0, 0, alarm);
    }

    @Test
    void aLeaderAndAReadMakeItHealthy() throws Exception {
        NodeMetrics m = new NodeMetrics();
        publish(m, 1, false);
        String url = serve(m, () -> CompletableFuture.completedFuture(null));
        assertEquals("{\"health\":\"true\"} 200", curl(url));
        assertTrue(m.render().contains("\netcd_server_health_success 1\n"));
    }

    @Test
    void noLeaderAnAlarmOrAFailedOrSlowReadAreUnhealthy() throws Exception {
        NodeMetrics m = new NodeMetrics();
        publish(m, 0, false);
        String url = serve(m, () -> CompletableFuture.failedFuture(new IllegalStateException("no")));
        assertEquals("{\"health\":\"false\"}\n 503", curl(url));
        publish(m, 1, true);
        assertEquals("{\"health\":\"false\"}\n 503", curl(url));
        publish(m, 1, false);
        assertEquals("{\"health\":\"false\"}\n 503", curl(url)); // the read failed
        stop();
        String slow = serve(m, CompletableFuture::new); // never completes: the check gives up after a second
        assertEquals("{\"health\":\"false\"}\n 503", curl(slow));
        assertTrue(m.render().contains("\netcd_server_health_failures 4\n"));
        assertEquals("Method Not Allowed\n 405", JsonGatewayStreamTest.curl(10, "-X", "POST", "-o", "-", "-w",
                " %{http_code}", slow));
    }

    private static String curl(String url) throws Exception {
        return JsonGatewayStreamTest.curl(10, "-o", "-", "-w", " %{http_code}", url);
    }
}
