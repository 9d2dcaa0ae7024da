package dev.keel.kernel.mvcc.watch;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A {@link WatchSink} with a fixed byte budget: responses are queued until {@link #drain} hands them on;
 * an offer that does not fit is refused (the registry then replays it from history). Hosts can put one in
 * front of each client stream; tests use it to play a slow consumer.
 */
public final class BoundedWatchBuffer implements WatchSink {
    /** Receives drained responses. */
    @FunctionalInterface
    public interface Consumer {
        void accept(long watchId, DirectBuffer response, int offset, int length);
    }

    private final UnsafeBuffer bytes;
    private int used;

    /** @param capacityBytes the most bytes held at once (each response costs 12 bytes more) */
    public BoundedWatchBuffer(int capacityBytes) {
        this.bytes = new UnsafeBuffer(new byte[capacityBytes]);
    }

    @Override
    public boolean offer(long watchId, DirectBuffer response, int offset, int length) {
        if (used + 12 + length > bytes.capacity()) {
            return false;
        }
        bytes.putLong(used, watchId);
        bytes.putInt(used + 8, length);
        bytes.putBytes(used + 12, response, offset, length);
        used += 12 + length;
        return true;
    }

    /** Hands every queued response to {@code consumer} in arrival order and empties the buffer. */
    public int drain(Consumer consumer) {
        int count = 0;
        for (int p = 0; p < used; count++) {
            int length = bytes.getInt(p + 8);
            consumer.accept(bytes.getLong(p), bytes, p + 12, length);
            p += 12 + length;
        }
        used = 0;
        return count;
    }

    /** @return bytes queued */
    public int usedBytes() {
        return used;
    }
}
