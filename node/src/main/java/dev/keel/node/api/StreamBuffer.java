package dev.keel.node.api;

import dev.keel.kernel.mvcc.watch.WatchSink;
import dev.keel.node.HeaderFacts;
import dev.keel.node.KernelContext;
import dev.keel.node.WatchStats;
import io.etcd.jetcd.api.WatchResponse;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayDeque;

/**
 * One Watch stream's bounded hand-off from the kernel thread to the call's event loop. The kernel thread offers
 * its encoded watch responses ({@link WatchSink}); an offer is copied if the queued bytes stay within the budget
 * and refused otherwise, which makes the kernel take the watcher out of sync and replay the refused events from
 * history once there is room. So a client that stops reading holds at most the budget here — or one revision's
 * events, when those alone exceed it (see {@link #takesOversized}) — and loses nothing. Control responses (created, canceled) are always queued so they keep their place
 * between events; they are small and one per client request.
 */
final class StreamBuffer implements WatchSink {
    /** One queued response: a kernel watch response for {@code watch}, or a ready control response. */
    record Entry(WatchStream.Watch watch, byte[] kernelResponse, WatchResponse control, HeaderFacts facts,
                 int cost) {
    }

    private final long capacity;
    private final WatchStats stats;
    private final Runnable wake;
    /** Kernel watch ID to the stream's watch; kernel thread only. */
    private final Long2ObjectHashMap<WatchStream.Watch> byKernelId = new Long2ObjectHashMap<>();
    /** Kernel thread only: where the member's facts for response headers (the current term) come from. */
    private KernelContext kernel;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private long used;
    private boolean refused;
    private boolean closed;

    /**
     * @param capacity bytes of kernel responses held at most
     * @param wake     called (on the kernel thread) after an entry was queued: schedules the stream's drain
     */
    StreamBuffer(long capacity, WatchStats stats, Runnable wake) {
        this.capacity = capacity;
        this.stats = stats;
        this.wake = wake;
    }

    /** Kernel thread: the watch that kernel ID {@code kernelId} belongs to, with the facts for its headers. */
    void attach(long kernelId, WatchStream.Watch watch) {
        byKernelId.put(kernelId, watch);
    }

    /** Kernel thread: forgets a kernel watch ID. */
    void detach(long kernelId) {
        byKernelId.remove(kernelId);
    }

    /** Kernel thread: the context whose facts (cluster, member, current term) the offers' headers carry. */
    void kernel(KernelContext context) {
        this.kernel = context;
    }

    @Override
    public boolean offer(long watchId, DirectBuffer response, int offset, int length) {
        WatchStream.Watch watch = watchId == -1 ? null : byKernelId.get(watchId);
        if (watchId != -1 && watch == null) {
            return true; // canceled on this stream already: nothing will read it
        }
        boolean accepted = false;
        boolean wakeAfterRefusal = false;
        synchronized (this) {
            if (closed) {
                return true;
            }
            if (used + length > capacity && !takesOversized(response, offset, length)) {
                refused = true;
                if (used == 0) {
                    wakeAfterRefusal = true;
                }
            } else {
                byte[] copy = new byte[length];
                response.getBytes(offset, copy);
                queue.add(new Entry(watch, copy, null, kernel.facts(), length));
                used += length;
                stats.bufferedChanged(length); // under the lock: the figure never runs ahead of what is held
                accepted = true;
            }
        }
        if (accepted || wakeAfterRefusal) {
            // After a refusal with nothing queued no drain would follow to ask for the catch-up: schedule one.
            wake.run();
        }
        return accepted;
    }

    /**
     * Whether a response that does not fit is taken anyway: only into an empty queue, and only when all its events
     * are of one revision — those always travel together, so it could never be sent otherwise. A batch of several
     * revisions is refused, and the kernel halves its next catch-up batch until it fits. So the queue holds at most
     * the budget, or one revision's events when those alone exceed it.
     */
    private boolean takesOversized(DirectBuffer response, int offset, int length) {
        return used == 0 && WatchResponses.singleRevision(response, offset, length);
    }

    /** Queues a control response (created, canceled, a refusal) behind what is queued, whatever the budget. */
    void control(WatchResponse response) {
        synchronized (this) {
            if (closed) {
                return;
            }
            queue.add(new Entry(null, null, response, null, 0));
        }
        wake.run();
    }

    /** Event loop: the oldest entry, or null. */
    Entry poll() {
        Entry e;
        synchronized (this) {
            e = queue.poll();
            if (e == null) {
                return null;
            }
            used -= e.cost();
            stats.bufferedChanged(-e.cost());
        }
        return e;
    }

    /** @return whether an offer was refused since the last call and the queue is now empty (clears the mark) */
    synchronized boolean drainedAfterRefusal() {
        if (refused && queue.isEmpty()) {
            refused = false;
            return true;
        }
        return false;
    }

    /** @return bytes of kernel responses queued */
    synchronized long usedBytes() {
        return used;
    }

    /** Drops everything and refuses nothing from now on (the stream ended). */
    synchronized void close() {
        closed = true;
        stats.bufferedChanged(-used);
        used = 0;
        queue.clear();
    }
}
