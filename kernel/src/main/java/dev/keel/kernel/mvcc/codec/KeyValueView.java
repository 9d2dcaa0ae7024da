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

    /** @return create revision (0 for a DELETE event's kv) */
    public long createRevision() {
        return buffer.getLong(at);
    }

    /** @return mod revision */
    public long modRevision() {
        return buffer.getLong(at + 8);
    }

    /** @return version */
    public long version() {
        return buffer.getLong(at + 16);
    }

    /** @return lease ID, 0 for none */
    public long lease() {
        return buffer.getLong(at + 24);
    }

    /** @return offset of the key's bytes */
    public int keyOffset() {
        return at + ResponseLayout.KV_FIXED + ByteField.PREFIX;
    }

    /** @return length of the key */
    public int keyLength() {
        return buffer.getInt(at + ResponseLayout.KV_FIXED);
    }

    /** @return offset of the value's bytes */
    public int valueOffset() {
        return valueAt + ByteField.PREFIX;
    }

    /** @return length of the value */
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
