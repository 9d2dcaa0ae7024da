package dev.keel.node;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * Requests on their way from the API threads to the kernel thread: an Agrona many-to-one ring buffer, claimed
 * and committed in place (no locks, no copies beyond the one into the ring). Each record is
 * {@code token:i64 | body}; the record's type ({@link RequestGate}'s constants) says what the body is.
 */
final class Inbox {
    private static final int TOKEN = Long.BYTES;
    private final RingBuffer ring;
    private final Thread[] consumer = new Thread[1];
    /** Kernel tasks: rarer work than the ring's records (watches, leases, membership), as objects. */
    private final ManyToOneConcurrentArrayQueue<KernelTask> tasks = new ManyToOneConcurrentArrayQueue<>(8192);

    /** @param maxBodyBytes the largest body a record may carry (the largest request allowed, plus room) */
    Inbox(int maxBodyBytes) {
        int capacity = Integer.highestOneBit(Math.max(16 << 20, (maxBodyBytes + 64) * 8) - 1) << 1;
        ByteBuffer bytes = ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH);
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(bytes));
    }

    /** The thread that drains this inbox; it is woken when a record arrives. */
    void consumer(Thread thread) {
        consumer[0] = thread;
    }

    /**
     * Hands a request to the kernel thread (any thread may call this).
     *
     * @return false when the ring is full or the body too large: the caller answers "too many requests"
     */
    boolean offer(int type, long token, DirectBuffer body, int offset, int length) {
        if (length + TOKEN > ring.maxMsgLength()) {
            return false;
        }
        int at = ring.tryClaim(type, TOKEN + length);
        if (at <= 0) {
            return false;
        }
        UnsafeBuffer b = (UnsafeBuffer) ring.buffer();
        b.putLong(at, token);
        if (length > 0) {
            b.putBytes(at + TOKEN, body, offset, length);
        }
        ring.commit(at);
        wake();
        return true;
    }

    /**
     * Hands a task to the kernel thread (any thread may call this).
     *
     * @return false when the task queue is full: the caller answers "too many requests"
     */
    boolean offer(KernelTask task) {
        if (!tasks.offer(task)) {
            return false;
        }
        wake();
        return true;
    }

    private void wake() {
        Thread t = consumer[0];
        if (t != null) {
            java.util.concurrent.locks.LockSupport.unpark(t);
        }
    }

    /** Runs up to {@code limit} tasks on the kernel thread; returns how many. */
    int drainTasks(KernelContext context, int limit) {
        return tasks.drain(task -> task.run(context), limit);
    }

    /** What the kernel thread does with each record. */
    interface Handler {
        void onRequest(int type, long token, DirectBuffer body, int offset, int length);
    }

    /** Drains up to {@code limit} records on the kernel thread; returns how many. */
    int drain(Handler handler, int limit) {
        MessageHandler h = (type, buffer, index, length) ->
                handler.onRequest(type, buffer.getLong(index), buffer, index + TOKEN, length - TOKEN);
        return ring.read(h, limit);
    }
}
