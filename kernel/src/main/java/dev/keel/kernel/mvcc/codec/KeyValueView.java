package dev.keel.kernel.mvcc.codec;

import org.agrona.DirectBuffer;

/** Flyweight over one encoded kv ({@link ResponseLayout}). */
public final class KeyValueView {
    private DirectBuffer buffer;
    private int at;
    private int valueAt;

    /** Wraps the kv at {@code at}; returns this. */
    public KeyValueView wrap(DirectBuffer buffer, int at) {
        this.buffer = buffer;
        this.at = at;
        int keyAt = at + ResponseLayout.KV_FIXED;
        this.valueAt = keyAt + ByteField.PREFIX + buffer.getInt(keyAt);
        return this;
    }

    public long createRevision() {
        return buffer.getLong(at);
    }

    public long modRevision() {
        return buffer.getLong(at + 8);
    }

    public long version() {
        return buffer.getLong(at + 16);
    }

    public long lease() {
        return buffer.getLong(at + 24);
    }

    public int keyOffset() {
        return at + ResponseLayout.KV_FIXED + ByteField.PREFIX;
    }

    public int keyLength() {
        return buffer.getInt(at + ResponseLayout.KV_FIXED);
    }

    public int valueOffset() {
        return valueAt + ByteField.PREFIX;
    }

    public int valueLength() {
        return buffer.getInt(valueAt);
    }

    /** @return a copy of the key (for tests and hosts that need one) */
    public byte[] key() {
        byte[] key = new byte[keyLength()];
        buffer.getBytes(keyOffset(), key);
        return key;
    }

    /** @return a copy of the value */
    public byte[] value() {
        byte[] value = new byte[valueLength()];
        buffer.getBytes(valueOffset(), value);
        return value;
    }

    /** @return the offset just after this kv */
    public int end() {
        return valueOffset() + valueLength();
    }
}
