package dev.keel.replica;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteOrder;

/**
 * Inputs that arrive while the kernel may not be stepped (a sync in flight, or a batch waiting for disk
 * space): ticks, peer messages and client requests, kept in arrival order and replayed afterwards — group
 * commit: everything that arrived during one sync goes into the next batch. Bounded in bytes: past the bound
 * peer messages are dropped (Raft resends) and the caller refuses requests.
 *
 * <pre>record: kind u8 | pad 3 | length i32 | a i64 | b i64 | bytes</pre>
 */
final class InputQueue {
    static final byte TICK = 1;
    static final byte MESSAGE = 2;
    static final byte WRITE = 3;
    static final byte READ = 4;
    private static final int ADMIN_OFFSET = 4;
    /** Admin requests: the kinds of membership changes are {@link dev.keel.kernel.raft.ConfChange}'s types. */
    static final byte ADD_VOTER = dev.keel.kernel.raft.ConfChange.ADD_VOTER + ADMIN_OFFSET;
    static final byte ADD_LEARNER = dev.keel.kernel.raft.ConfChange.ADD_LEARNER + ADMIN_OFFSET;
    static final byte REMOVE = dev.keel.kernel.raft.ConfChange.REMOVE + ADMIN_OFFSET;
    static final byte PROMOTE = dev.keel.kernel.raft.ConfChange.PROMOTE + ADMIN_OFFSET;
    static final byte UPDATE = dev.keel.kernel.raft.ConfChange.UPDATE + ADMIN_OFFSET;
    static final byte TRANSFER = 20;

    /** @return the {@link dev.keel.kernel.raft.ConfChange} type of an admin kind */
    static byte confChangeType(byte kind) {
        return (byte) (kind - ADMIN_OFFSET);
    }

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int HEADER = 24;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64 * 1024);
    private final int maxBytes;
    private int head;
    private int tail;

    /** One input, as handed to {@link Handler}. */
    interface Handler {
        void handle(byte kind, long a, long b, DirectBuffer bytes, int offset, int length);
    }

    InputQueue(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** @return false when the queue is full and the input was not kept */
    boolean add(byte kind, long a, long b, DirectBuffer bytes, int offset, int length) {
        if (tail - head + HEADER + length > maxBytes && kind != TICK) {
            return false;
        }
        if (head >= tail - head && head > 0 && tail + HEADER + length > maxBytes) { // no overlap
            buffer.putBytes(0, buffer, head, tail - head); // slide the live part down; drain is not running
            tail -= head;
            head = 0;
        }
        buffer.putByte(tail, kind);
        buffer.putInt(tail + 4, length, ORDER);
        buffer.putLong(tail + 8, a, ORDER);
        buffer.putLong(tail + 16, b, ORDER);
        if (length > 0) {
            buffer.putBytes(tail + HEADER, bytes, offset, length);
        }
        tail += HEADER + length;
        return true;
    }

    boolean isEmpty() {
        return head == tail;
    }

    /** Hands every queued input to {@code handler}, oldest first; the handler must not add inputs. */
    void drain(Handler handler) {
        while (head < tail) {
            int at = head;
            int length = buffer.getInt(at + 4, ORDER);
            head += HEADER + length;
            handler.handle(buffer.getByte(at), buffer.getLong(at + 8, ORDER), buffer.getLong(at + 16, ORDER),
                    buffer, at + HEADER, length);
        }
        if (head == tail) {
            head = 0;
            tail = 0;
        }
    }

    /** Forgets everything queued (the process stopped). */
    void clear() {
        head = 0;
        tail = 0;
    }
}
