package dev.keel.harness.workload.support;

import com.google.protobuf.ByteString;
import dev.keel.harness.client.EtcdClients;
import io.etcd.jetcd.api.RangeRequest;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/** Reads the cluster's current revision with a linearizable range, retrying on other members. */
public final class Revisions {
    private Revisions() {
    }

    /**
     * @param key         any key (the range's header carries the store revision whatever the key)
     * @param deadlineMs  how long to keep trying, in all
     * @return the header revision of the first linearizable range that succeeded
     * @throws IllegalStateException if none succeeded before the deadline
     */
    public static long current(EtcdClients clients, Supplier<List<String>> endpoints, SplittableRandom random,
                               String key, long deadlineMs) {
        long deadline = System.nanoTime() + deadlineMs * 1_000_000;
        RuntimeException last = null;
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            try {
                return clients.kv(Endpoints.pick(endpoints, random)).range(RangeRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8(key)).setCountOnly(true).build()).getHeader().getRevision();
            } catch (RuntimeException e) {
                last = e;
                sleepQuietly(200);
            }
        }
        throw new IllegalStateException("no member answered a linearizable range within " + deadlineMs + " ms", last);
    }

    /** Sleeps inside a retry loop; an interrupt ends the sleep early and is kept. */
    public static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the end of the range holding every key that starts with {@code prefix} (etcd's prefix end) */
    public static ByteString prefixEnd(String prefix) {
        byte[] end = prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        return ByteString.copyFrom(new byte[] {0});
    }
}
