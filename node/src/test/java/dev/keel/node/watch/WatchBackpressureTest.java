package dev.keel.node.watch;

import dev.keel.node.Awaits;
import dev.keel.node.KeelCluster;
import dev.keel.node.WatchSettings;
import dev.keel.node.WatchStats;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.api.WatchResponse;
import io.etcd.jetcd.kv.PutResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading its Watch stream while many megabytes are written: the member holds at most the
 * stream's buffer budget for it (measured through {@link WatchStats} while the writes go on), the kernel takes the
 * watcher out of sync instead of queueing more, and once the client reads again it receives every event exactly
 * once, in order, replayed from history. etcd queues such a stream's events without bound (its issue "watch
 * starvation can cause OOMs").
 */
class WatchBackpressureTest {
    private static final int BUDGET = 128 * 1024;
    private static final int WRITES = 160;
    private static final int VALUE_BYTES = 32 * 1024;

    @Test
    void aStreamThatStopsReadingHoldsAtMostItsBudgetAndLaterGetsEveryEventInOrder() throws Exception {
        try (KeelCluster cluster = KeelCluster.builder().members(1).watch(new WatchSettings(BUDGET, 600_000)).start();
             Client client = Client.builder().endpoints("http://" + cluster.member(0).clientEndpoints().get(0)).build();
             RawWatchStream slow = new RawWatchStream(cluster.member(0).clientEndpoints().get(0), true)) {
            WatchStats stats = cluster.member(0).watchStats();
            Awaits.until("the member leads and takes writes", 60_000, () -> {
                try {
                    client.getKVClient().put(bs("ready"), bs("1")).get();
                    return true;
                } catch (Exception noLeaderYet) {
                    return false;
                }
            });
            slow.send(RawWatchStream.create("bp/", "bp0", 0, false));
            slow.read(1);
            assertTrue(slow.next().getCreated());

            KV kv = client.getKVClient();
            String value = "x".repeat(VALUE_BYTES);
            List<Long> written = new ArrayList<>();
            long maxBuffered = 0;
            long maxSlow = 0;
            // In waves of 20 writes in flight, sampling the member's buffered bytes (this stream's: the only one).
            for (int wave = 0; wave < WRITES / 20; wave++) {
                List<CompletableFuture<PutResponse>> inFlight = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    inFlight.add(kv.put(bs("bp/" + (wave * 20 + i)), bs(value)));
                }
                for (CompletableFuture<PutResponse> f : inFlight) {
                    written.add(f.get().getHeader().getRevision());
                    maxBuffered = Math.max(maxBuffered, stats.bufferedBytes());
                    maxSlow = Math.max(maxSlow, stats.slowWatchers());
                }
            }
            written.sort(null);
            Awaits.until("the kernel noticed the slow watcher", 20_000, () -> stats.slowWatchers() >= 1);
            long held = stats.bufferedBytes();
            System.out.printf("watch backpressure: %d MB written, buffered max %d bytes while writing, %d after "
                    + "(budget %d per stream), slow watchers max %d%n", (long) WRITES * VALUE_BYTES >> 20, maxBuffered,
                    held, BUDGET, Math.max(maxSlow, stats.slowWatchers()));
            assertTrue(maxBuffered <= BUDGET && held <= BUDGET,
                    "buffered " + maxBuffered + " / " + held + " bytes, bound " + BUDGET);

            slow.read(Integer.MAX_VALUE);
            long[] maxWhileCatchingUp = new long[1];
            assertEquals(written, revisions(slow, WRITES, () -> maxWhileCatchingUp[0] =
                    Math.max(maxWhileCatchingUp[0], stats.bufferedBytes())));
            assertTrue(maxWhileCatchingUp[0] <= BUDGET,
                    "buffered " + maxWhileCatchingUp[0] + " bytes while catching up, bound " + BUDGET);
            Awaits.until("the slow watcher caught up", 20_000, () -> stats.slowWatchers() == 0);
            // no event beyond the written ones: the next answer is the progress response
            slow.progress();
            WatchResponse progress = slow.next();
            assertEquals(-1, progress.getWatchId(), progress.toString());
        }
    }

    /** Reads responses until {@code count} events came; returns their revisions in arrival order. */
    private static List<Long> revisions(RawWatchStream s, int count, Runnable sample) {
        List<Long> out = new ArrayList<>();
        while (out.size() < count) {
            sample.run();
            WatchResponse r = s.next();
            assertEquals(0, r.getWatchId(), r.toString());
            r.getEventsList().forEach(e -> out.add(e.getKv().getModRevision()));
        }
        return out;
    }

    private static ByteSequence bs(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
