package dev.keel.transport.tcp;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.ControlledMessageHandler.Action;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * A bounded single-producer single-consumer queue of tagged messages, built on an Agrona
 * {@link OneToOneRingBuffer}. The tag is the sender's member ID on the inbound queue and unused outbound.
 *
 * <p>Agrona caps one record at an eighth of the ring, but frames (snapshot chunks, large appends) may be bigger,
 * so a message that does not fit one record is split into consecutive FIRST, MIDDLE…, LAST records. The producer
 * checks before writing the first fragment that every fragment will fit, so a message is queued whole or not at
 * all; the consumer reassembles fragments into a buffer of its own.
 *
 * <p>{@link #offer} belongs to the producer thread; {@link #drain}, {@link #discard} to the consumer thread;
 * {@link #size} and {@link #capacity} to either.
 */
final class MessageRing {
    /** Receives drained messages; the bytes are valid only during the call. */
    @FunctionalInterface
    interface Sink {
        /** @return false to refuse the message for now: the next {@link #drain} offers it again, first */
        boolean accept(long tag, DirectBuffer buffer, int offset, int length);
    }

    private static final int WHOLE = 1;
    private static final int FIRST = 2;
    private static final int MIDDLE = 3;
    private static final int LAST = 4;
    private static final int TAG_BYTES = Long.BYTES;
    private static final int FIRST_HEADER_BYTES = TAG_BYTES + Integer.BYTES;
    /** Agrona's record header, and the extra header it keeps free behind every claim. */
    private static final int RECORD_OVERHEAD = 8;

    private final OneToOneRingBuffer ring;
    private final int capacity;
    private final int maxRecordPayload;
    private final int maxMessageLength;

    // Consumer-side state: a fragmented message being reassembled, or reassembled and refused once.
    private final ExpandableArrayBuffer assembly = new ExpandableArrayBuffer(64 * 1024);
    private long assemblyTag;
    private int assemblyTotal;
    private int assembled;
    private boolean assembling;
    private boolean assembledPending;
    /** The rest of a fragmented message whose start was discarded: skip its remaining fragments. */
    private boolean skippingFragments;

    private Sink consumer;
    private int drainLimit;
    private int drained;
    private boolean refused;
    private int discardedMessages;
    private long discardBytesLeft;
    private final ControlledMessageHandler drainHandler = this::onDrainRecord;
    private final ControlledMessageHandler discardHandler = this::onDiscardRecord;

    /**
     * @param capacityBytes    bytes of the ring, a power of two
     * @param maxMessageLength the longest message {@link #offer} must always accept into an empty ring
     */
    MessageRing(int capacityBytes, int maxMessageLength) {
        if (!BitUtil.isPowerOfTwo(capacityBytes)) {
            throw new IllegalArgumentException("ring capacity must be a power of two: " + capacityBytes);
        }
        this.ring = new OneToOneRingBuffer(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                capacityBytes + RingBufferDescriptor.TRAILER_LENGTH, BitUtil.CACHE_LINE_LENGTH)));
        this.capacity = ring.capacity();
        this.maxRecordPayload = ring.maxMsgLength();
        this.maxMessageLength = maxMessageLength;
        if (fragmentedBytesNeeded(maxMessageLength) > capacity) {
            throw new IllegalArgumentException("a ring of " + capacityBytes + " bytes cannot hold a message of "
                    + maxMessageLength + " bytes; use at least " + minimumCapacity(maxMessageLength));
        }
    }

    /** @return the smallest power-of-two capacity that holds a message of {@code maxMessageLength} bytes */
    static int minimumCapacity(int maxMessageLength) {
        // A fragmented message needs its bytes plus two records of slack (a quarter of the ring), so twice the
        // message always suffices; the loop finds the smallest power of two that works.
        int capacity = 1024;
        while (capacity < (1 << 30) && fragmentedBytesNeeded(maxMessageLength, capacity >> 3) > capacity) {
            capacity <<= 1;
        }
        return capacity;
    }

    int capacity() {
        return capacity;
    }

    /** @return bytes currently queued (records and Agrona's headers) */
    int size() {
        return ring.size();
    }

    /**
     * Queues a copy of a message (producer thread).
     *
     * @return false if there is no room for all of it now; nothing is queued then
     */
    boolean offer(long tag, DirectBuffer buffer, int offset, int length) {
        if (length < 0 || length > maxMessageLength) {
            throw new IllegalArgumentException("message of " + length + " bytes; the ring takes 0.."
                    + maxMessageLength);
        }
        if (TAG_BYTES + length <= maxRecordPayload) {
            int index = ring.tryClaim(WHOLE, TAG_BYTES + length);
            if (index < 0) {
                return false;
            }
            MutableDirectBuffer target = ring.buffer();
            target.putLong(index, tag);
            target.putBytes(index + TAG_BYTES, buffer, offset, length);
            ring.commit(index);
            return true;
        }
        if (capacity - ring.size() < fragmentedBytesNeeded(length)) {
            return false;
        }
        writeFragments(tag, buffer, offset, length);
        return true;
    }

    private void writeFragments(long tag, DirectBuffer buffer, int offset, int length) {
        int firstChunk = maxRecordPayload - FIRST_HEADER_BYTES;
        int index = claim(FIRST, maxRecordPayload);
        MutableDirectBuffer target = ring.buffer();
        target.putLong(index, tag);
        target.putInt(index + TAG_BYTES, length);
        target.putBytes(index + FIRST_HEADER_BYTES, buffer, offset, firstChunk);
        ring.commit(index);
        int written = firstChunk;
        while (written < length) {
            int chunk = Math.min(maxRecordPayload, length - written);
            int type = written + chunk == length ? LAST : MIDDLE;
            index = claim(type, chunk);
            target.putBytes(index, buffer, offset + written, chunk);
            ring.commit(index);
            written += chunk;
        }
    }

    private int claim(int type, int length) {
        int index = ring.tryClaim(type, length);
        if (index < 0) {
            // offer() checked the free space for every fragment, including the padding of one wrap.
            throw new IllegalStateException("ring refused a fragment after the capacity check passed");
        }
        return index;
    }

    private int fragmentedBytesNeeded(int length) {
        return fragmentedBytesNeeded(length, maxRecordPayload);
    }

    /**
     * Ring bytes that guarantee every fragment of a message can be claimed: each fragment's aligned record, plus
     * Agrona's spare header per claim, plus the padding one wrap may waste and room to claim after it.
     */
    private static int fragmentedBytesNeeded(int length, int maxRecordPayload) {
        long total = FIRST_HEADER_BYTES + (long) length;
        long records = (total + maxRecordPayload - 1) / maxRecordPayload;
        long perRecordMax = BitUtil.align(maxRecordPayload + RECORD_OVERHEAD, RECORD_OVERHEAD) + RECORD_OVERHEAD;
        long bytes = total + records * 2L * RECORD_OVERHEAD + 2 * perRecordMax;
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    /**
     * Hands queued messages to {@code consumer}, oldest first (consumer thread). A message refused by the
     * consumer stays first in line.
     *
     * @return how many messages the consumer accepted (at most {@code limit})
     */
    int drain(Sink consumer, int limit) {
        drained = 0;
        refused = false;
        if (assembledPending) {
            if (!consumer.accept(assemblyTag, assembly, 0, assemblyTotal)) {
                return 0;
            }
            assembledPending = false;
            drained = 1;
        }
        this.consumer = consumer;
        this.drainLimit = limit;
        try {
            // controlledRead stops at the end of the ring's contiguous block; read again after a wrap.
            while (drained < limit && !refused && readSome(drainHandler)) {
                continue;
            }
        } finally {
            this.consumer = null;
        }
        return drained;
    }

    /** @return whether the read consumed anything (a padding record at the ring's end counts) */
    private boolean readSome(ControlledMessageHandler handler) {
        long before = ring.consumerPosition();
        ring.controlledRead(handler, Integer.MAX_VALUE);
        return ring.consumerPosition() != before;
    }

    private Action onDrainRecord(int type, MutableDirectBuffer buffer, int index, int length) {
        if (type == WHOLE) {
            checkNotInsideFragments(type);
            if (!consumer.accept(buffer.getLong(index), buffer, index + TAG_BYTES, length - TAG_BYTES)) {
                refused = true;
                return Action.ABORT;
            }
            return ++drained >= drainLimit ? Action.BREAK : Action.CONTINUE;
        }
        if (skippingFragments) {
            skippingFragments = type != LAST;
            return Action.CONTINUE;
        }
        if (!assemble(type, buffer, index, length)) {
            return Action.CONTINUE;
        }
        if (!consumer.accept(assemblyTag, assembly, 0, assemblyTotal)) {
            assembledPending = true;
            refused = true;
            return Action.BREAK;
        }
        return ++drained >= drainLimit ? Action.BREAK : Action.CONTINUE;
    }

    /** @return true when {@code type} completed the message in {@link #assembly} */
    private boolean assemble(int type, MutableDirectBuffer buffer, int index, int length) {
        if (type == FIRST) {
            checkNotInsideFragments(type);
            assemblyTag = buffer.getLong(index);
            assemblyTotal = buffer.getInt(index + TAG_BYTES);
            assembled = 0;
            assembling = true;
            index += FIRST_HEADER_BYTES;
            length -= FIRST_HEADER_BYTES;
        } else if (!assembling) {
            throw new IllegalStateException("fragment type " + type + " without a first fragment");
        }
        assembly.putBytes(assembled, buffer, index, length);
        assembled += length;
        if (type != LAST) {
            return false;
        }
        assembling = false;
        if (assembled != assemblyTotal) {
            throw new IllegalStateException("reassembled " + assembled + " of " + assemblyTotal + " bytes");
        }
        return true;
    }

    private void checkNotInsideFragments(int type) {
        if (assembling || skippingFragments) {
            throw new IllegalStateException("record type " + type + " inside a fragmented message");
        }
    }

    /**
     * Drops the oldest messages until at most {@code keepBytes} are queued, or everything with 0 (consumer
     * thread). A fragmented message counts once, when its first fragment (or its reassembled whole) goes.
     *
     * @return how many messages were dropped
     */
    int discard(int keepBytes) {
        discardedMessages = 0;
        if (assembledPending) {
            assembledPending = false;
            discardedMessages++;
        }
        if (assembling) {
            assembling = false;
            skippingFragments = true;
            discardedMessages++;
        }
        discardBytesLeft = (long) ring.size() - keepBytes;
        while (discardBytesLeft > 0 && readSome(discardHandler)) {
            continue;
        }
        return discardedMessages;
    }

    private Action onDiscardRecord(int type, MutableDirectBuffer buffer, int index, int length) {
        if (type == WHOLE || type == FIRST) {
            checkNotInsideFragments(type);
            discardedMessages++;
            skippingFragments = type == FIRST;
        } else if (skippingFragments) {
            skippingFragments = type != LAST;
        } else {
            throw new IllegalStateException("fragment type " + type + " without a first fragment");
        }
        discardBytesLeft -= BitUtil.align(length + RECORD_OVERHEAD, RECORD_OVERHEAD);
        return discardBytesLeft > 0 ? Action.CONTINUE : Action.BREAK;
    }
}
