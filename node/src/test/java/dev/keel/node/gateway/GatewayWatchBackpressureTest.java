package dev.keel.node.gateway;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import dev.keel.node.WatchSettings;
import dev.keel.node.WatchStats;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.PutResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An HTTP client of {@code /v3/watch} that stops reading while megabytes of events are written gets gRPC's flow
 * control: the gateway reports the call not ready once its response holds more than it may, so the Watch
 * service keeps at most its buffer budget (or one catch-up response) for the stream (measured through {@link WatchStats} while the writes
 * go on) and the kernel takes the watcher out of sync rather than the node queueing the events. Once the client
 * reads again it receives every event exactly once, in order, replayed from history.
 */
class GatewayWatchBackpressureTest {
    private static final int BUDGET = 128 * 1024;
    private static final int WRITES = 160;
    private static final int VALUE_BYTES = 32 * 1024;

    @Test
    void aGatewayClientThatStopsReadingIsHeldToTheStreamBudgetAndLaterGetsEveryEventInOrder() throws Exception {
        try (KeelCluster cluster = KeelCluster.builder().members(1).watch(new WatchSettings(BUDGET, 600_000)).start();
             Client client = Client.builder().endpoints("http://" + cluster.member(0).clientEndpoints().get(0)).build()) {
            WatchStats stats = cluster.member(0).watchStats();
            KV kv = client.getKVClient();
            Awaits.until("the member leads and takes writes", 60_000, () -> {
                try {
                    kv.put(bs("ready"), bs("1")).get();
                    return true;
                } catch (Exception noLeaderYet) {
                    return false;
                }
            });
            String prefix = Base64.getEncoder().encodeToString("bp/".getBytes(StandardCharsets.UTF_8));
            String end = Base64.getEncoder().encodeToString("bp0".getBytes(StandardCharsets.UTF_8));
            try (ChunkedLineClient slow = new ChunkedLineClient(cluster.member(0).clientEndpoints().get(0),
                    "/v3/watch", "{\"create_request\":{\"key\":\"" + prefix + "\",\"range_end\":\"" + end + "\"}}")) {
                JsonObject created = result(slow.nextLine());
                assertTrue(created.get("created").getAsBoolean(), created.toString());

                String value = "x".repeat(VALUE_BYTES);
                List<Long> written = new ArrayList<>();
                long maxBuffered = 0;
                // In waves of 20 writes in flight, sampling the member's buffered bytes (this stream's: the only one).
                for (int wave = 0; wave < WRITES / 20; wave++) {
                    List<CompletableFuture<PutResponse>> inFlight = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        inFlight.add(kv.put(bs("bp/" + (wave * 20 + i)), bs(value)));
                    }
                    for (CompletableFuture<PutResponse> f : inFlight) {
                        written.add(f.get().getHeader().getRevision());
                        maxBuffered = Math.max(maxBuffered, stats.bufferedBytes());
                    }
                }
                written.sort(null);
                // Without flow control the gateway would take every event and no watcher would fall behind.
                Awaits.until("the kernel noticed the slow watcher", 30_000, () -> stats.slowWatchers() >= 1);
                long held = stats.bufferedBytes();
                System.out.printf("gateway watch backpressure: %d MB written, buffered max %d bytes while writing, "
                        + "%d after (budget %d)%n", (long) WRITES * VALUE_BYTES >> 20, maxBuffered, held, BUDGET);
                assertEquals(written, revisions(slow, WRITES));
                // Every revision here is one small put, so the buffer never holds more than its budget.
                assertTrue(maxBuffered <= BUDGET && held <= BUDGET,
                        "buffered " + maxBuffered + " / " + held + " bytes, budget " + BUDGET);
                Awaits.until("the slow watcher caught up", 30_000, () -> stats.slowWatchers() == 0);
            }
        }
    }

    /** Reads lines until {@code count} events came; returns their revisions in arrival order. */
    private static List<Long> revisions(ChunkedLineClient c, int count) {
        List<Long> out = new ArrayList<>();
        while (out.size() < count) {
            String line = c.nextLine();
            assertTrue(line != null, "the stream ended after " + out.size() + " events");
            JsonObject r = result(line);
            if (r.has("events")) {
                for (JsonElement e : r.getAsJsonArray("events")) {
                    out.add(e.getAsJsonObject().getAsJsonObject("kv").get("mod_revision").getAsLong());
                }
            }
        }
        return out;
    }

    private static JsonObject result(String line) {
        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
        assertTrue(o.has("result"), line);
        return o.getAsJsonObject("result");
    }

    private static ByteSequence bs(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
