package dev.keel.kernel.raft;

import org.agrona.DirectBuffer;

/**
 * A flyweight over one log entry held by a {@link LogStorage}: index, term, type and a window on the data.
 * Valid until the storage is next modified; copy the bytes out if they must outlive that.
 */
public final class EntryView {
    private long index;
    private long term;
    private byte type;
    private DirectBuffer buffer;
    private int offset;
    private int length;

    /** Points this view at an entry; called by storages. */
    public EntryView set(long index, long term, byte type, DirectBuffer buffer, int offset, int length) {
        this.index = index;
        this.term = term;
        this.type = type;
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public long index() {
        return index;
    }

    public long term() {
        return term;
    }

    /** @return an {@link EntryType} */
    public byte type() {
        return type;
    }

    /** @return the buffer holding the entry's data, from {@link #offset()} for {@link #length()} bytes */
    public DirectBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** @return a copy of the data; allocates, so for tests and tools only */
    public byte[] copyData() {
        byte[] out = new byte[length];
        buffer.getBytes(offset, out);
        return out;
    }

    @Override
    public String toString() {
        return index + "/" + term + " " + EntryType.name(type) + " " + length + "B";
    }
}
