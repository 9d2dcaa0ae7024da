package dev.keel.kernel.raft;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.Arrays;

import static dev.keel.kernel.raft.MessageLayout.*;

/**
 * Messages a node wants sent, encoded in place, back to back in one growable buffer. One message is open at a
 * time: {@link #begin} writes its header, setters fill fields, {@link #appendEntry}/{@link #appendChunk} add a
 * body, {@link #end} seals its length. Reused across {@link Ready} batches, so steady-state sending allocates
 * nothing.
 */
public final class Outbox {
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64 * 1024);
    private int[] offsets = new int[64];
    private int[] lengths = new int[64];
    private int count;
    private int end;
    private int open = -1;

    /** Opens a message; every field not set later is zero. */
    public Outbox begin(byte type, long from, long to, long term) {
        if (open >= 0) {
            throw new IllegalStateException("message still open");
        }
        open = end;
        buffer.setMemory(open, HEADER_LENGTH, (byte) 0);
        buffer.putByte(open + VERSION_OFFSET, VERSION);
        buffer.putByte(open + TYPE_OFFSET, type);
        buffer.putLong(open + FROM_OFFSET, from, ORDER);
        buffer.putLong(open + TO_OFFSET, to, ORDER);
        buffer.putLong(open + TERM_OFFSET, term, ORDER);
        end = open + HEADER_LENGTH;
        return this;
    }

    public Outbox flags(int flags) {
        buffer.putShort(open + FLAGS_OFFSET, (short) flags, ORDER);
        return this;
    }

    public Outbox logTerm(long value) {
        buffer.putLong(open + LOG_TERM_OFFSET, value, ORDER);
        return this;
    }

    public Outbox index(long value) {
        buffer.putLong(open + INDEX_OFFSET, value, ORDER);
        return this;
    }

    public Outbox commit(long value) {
        buffer.putLong(open + COMMIT_OFFSET, value, ORDER);
        return this;
    }

    public Outbox context(long value) {
        buffer.putLong(open + CONTEXT_OFFSET, value, ORDER);
        return this;
    }

    public Outbox hint(long value) {
        buffer.putLong(open + HINT_OFFSET, value, ORDER);
        return this;
    }

    /** Adds an entry to an open APP message. */
    public Outbox appendEntry(EntryView entry) {
        int length = entry.length();
        buffer.putLong(end + ENTRY_TERM_OFFSET, entry.term(), ORDER);
        buffer.putInt(end + ENTRY_TYPE_OFFSET, 0, ORDER);
        buffer.putByte(end + ENTRY_TYPE_OFFSET, entry.type());
        buffer.putInt(end + ENTRY_LENGTH_OFFSET, length, ORDER);
        buffer.putBytes(end + ENTRY_HEADER_LENGTH, entry.buffer(), entry.offset(), length);
        end += ENTRY_HEADER_LENGTH + length;
        bumpCount(1);
        return this;
    }

    /** Adds the configuration and a chunk of snapshot bytes to an open SNAP message. */
    public Outbox appendChunk(ConfState conf, DirectBuffer data, int offset, int length) {
        end += conf.encode(buffer, end);
        buffer.putBytes(end, data, offset, length);
        end += length;
        bumpCount(length);
        return this;
    }

    /** Seals the open message. */
    public void end() {
        buffer.putInt(open + LENGTH_OFFSET, end - open, ORDER);
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
        }
        offsets[count] = open;
        lengths[count] = end - open;
        count++;
        open = -1;
    }

    /** @return the number of sealed messages */
    public int count() {
        return count;
    }

    /** @return the buffer all messages live in */
    public DirectBuffer buffer() {
        return buffer;
    }

    public int offset(int i) {
        return offsets[i];
    }

    public int length(int i) {
        return lengths[i];
    }

    /** @return the destination of message {@code i} */
    public long to(int i) {
        return buffer.getLong(offsets[i] + TO_OFFSET, ORDER);
    }

    /** @return the type of message {@code i} */
    public byte type(int i) {
        return buffer.getByte(offsets[i] + TYPE_OFFSET);
    }

    /** @return the term message {@code i} was sent in */
    public long term(int i) {
        return buffer.getLong(offsets[i] + TERM_OFFSET, ORDER);
    }

    /** Forgets every message (after the host has sent them). */
    public void clear() {
        count = 0;
        end = 0;
        open = -1;
    }

    private void bumpCount(int by) {
        buffer.putInt(open + COUNT_OFFSET, buffer.getInt(open + COUNT_OFFSET, ORDER) + by, ORDER);
    }
}
