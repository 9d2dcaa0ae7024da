package dev.keel.node;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The requests in flight, by token: an API thread registers its reply and gets a token; the kernel thread takes
 * the reply back by that token when the replica answers. A fixed table of slots changed by compare-and-set only,
 * so neither side takes a lock; a full table refuses new requests (the caller answers "too many requests").
 */
final class Calls {
    private final AtomicReferenceArray<Reply> slots;
    private final int mask;
    private final AtomicLong next = new AtomicLong(1);

    Calls(int capacityPowerOfTwo) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacityPowerOfTwo);
        }
        this.slots = new AtomicReferenceArray<>(capacityPowerOfTwo);
        this.mask = capacityPowerOfTwo - 1;
    }

    /** @return the token for {@code reply}, or -1 when every slot tried is busy */
    long register(Reply reply) {
        for (int attempt = 0; attempt < 8; attempt++) {
            long token = next.getAndIncrement();
            int slot = (int) (token & mask);
            if (slots.compareAndSet(slot, null, reply)) {
                reply.token = token;
                return token;
            }
        }
        return -1;
    }

    /** @return the reply registered under {@code token} (removed from the table), or null if none */
    Reply take(long token) {
        int slot = (int) (token & mask);
        Reply r = slots.get(slot);
        if (r == null || r.token != token || !slots.compareAndSet(slot, r, null)) {
            return null;
        }
        return r;
    }

    /** Removes a reply that was registered but never handed to the kernel thread. */
    void cancel(Reply reply) {
        slots.compareAndSet((int) (reply.token & mask), reply, null);
    }

    /** Takes every reply still registered (the node is stopping); calls {@code onEach} for each. */
    void drainAll(java.util.function.Consumer<Reply> onEach) {
        for (int i = 0; i < slots.length(); i++) {
            Reply r = slots.getAndSet(i, null);
            if (r != null) {
                onEach.accept(r);
            }
        }
    }
}
