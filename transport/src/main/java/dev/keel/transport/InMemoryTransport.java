package dev.keel.transport;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A {@link Transport} inside one process: sending goes through a {@link Router}; delivered messages wait in a
 * FIFO inbox (copied into one growable buffer) until the host polls them.
 */
public final class InMemoryTransport implements Transport {
    private final long id;
    private final Router router;
    private final int maxQueued;
    private final ExpandableArrayBuffer inbox = new ExpandableArrayBuffer(64 * 1024);
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private long[] froms = new long[64];
    private int[] offsets = new int[64];
    private int[] lengths = new int[64];
    private int head;
    private int count;
    private int end;
    private boolean closed;

    /**
     * @param id        this member's ID
     * @param router    where sent messages go
     * @param maxQueued inbox capacity in messages; beyond it deliveries are dropped, as a full socket would
     */
    public InMemoryTransport(long id, Router router, int maxQueued) {
        this.id = id;
        this.router = router;
        this.maxQueued = maxQueued;
    }

    @Override
    public long localId() {
        return id;
    }

    @Override
    public boolean send(long to, DirectBuffer buffer, int offset, int length) {
        return !closed && router.route(id, to, buffer, offset, length);
    }

    /**
     * Puts a message in the inbox (called by the router).
     *
     * @return false if the inbox is full or the transport closed, and the message was dropped
     */
    public boolean deliver(long from, DirectBuffer buffer, int offset, int length) {
        if (closed || count >= maxQueued) {
            return false;
        }
        if (count == 0) {
            head = 0;
            end = 0;
        }
        if (head + count == froms.length) {
            compact();
        }
        int slot = head + count;
        inbox.putBytes(end, buffer, offset, length);
        froms[slot] = from;
        offsets[slot] = end;
        lengths[slot] = length;
        end += length;
        count++;
        return true;
    }

    @Override
    public int poll(MessageHandler handler, int limit) {
        int delivered = 0;
        while (count > 0 && delivered < limit) {
            int slot = head++;
            count--;
            view.wrap(inbox, offsets[slot], lengths[slot]);
            handler.onMessage(froms[slot], view, 0, lengths[slot]);
            delivered++;
        }
        return delivered;
    }

    /** @return messages waiting in the inbox */
    public int queued() {
        return count;
    }

    /** Drops every queued message (a crashed process loses its socket buffers). */
    public void clear() {
        head = 0;
        count = 0;
        end = 0;
    }

    @Override
    public void close() {
        closed = true;
        clear();
    }

    private void compact() {
        if (head > 0) {
            int firstOffset = offsets[head];
            inbox.putBytes(0, inbox, firstOffset, end - firstOffset);
            for (int i = 0; i < count; i++) {
                froms[i] = froms[head + i];
                offsets[i] = offsets[head + i] - firstOffset;
                lengths[i] = lengths[head + i];
            }
            end -= firstOffset;
            head = 0;
        }
        if (count == froms.length) {
            froms = java.util.Arrays.copyOf(froms, count * 2);
            offsets = java.util.Arrays.copyOf(offsets, count * 2);
            lengths = java.util.Arrays.copyOf(lengths, count * 2);
        }
    }
}
