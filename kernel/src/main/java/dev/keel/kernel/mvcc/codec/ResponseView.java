package dev.keel.kernel.mvcc.codec;

import dev.keel.kernel.mvcc.MvccError;
import org.agrona.DirectBuffer;

/**
 * Flyweight over an encoded response (see {@link ResponseLayout}); the host reads it to build etcd's
 * protobuf answer. Body accessors are only meaningful for the matching {@link #type()}.
 */
public final class ResponseView {
    private DirectBuffer buffer;
    private int offset;
    private int length;

    /** Wraps a response; returns this. */
    public ResponseView wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** @return the wrapped buffer */
    public DirectBuffer buffer() {
        return buffer;
    }

    /** @return where the wrapped bytes start */
    public int offset() {
        return offset;
    }

    /** @return length of the wrapped bytes */
    public int length() {
        return length;
    }

    /** @return the response type (a {@link RequestType} or {@link ResponseLayout} constant) */
    public int type() {
        return buffer.getByte(offset + ResponseLayout.TYPE_OFFSET);
    }

    /** @return the error, {@link MvccError#OK} for success */
    public MvccError error() {
        return MvccError.fromWireId(buffer.getByte(offset + ResponseLayout.ERROR_OFFSET) & 0xFF);
    }

    /** @return whether the response is a success */
    public boolean isOk() {
        return buffer.getByte(offset + ResponseLayout.ERROR_OFFSET) == 0;
    }

    /** @return header revision */
    public long revision() {
        return buffer.getLong(offset + ResponseLayout.REVISION_OFFSET);
    }

    /** @return whether a {@link ResponseLayout} flag is set */
    public boolean flag(int flag) {
        return (buffer.getByte(offset + ResponseLayout.FLAGS_OFFSET) & flag) != 0;
    }

    /** @return the i64 at body position {@code index} (count, deleted, lease id/ttl, watch id...) */
    public long bodyLong(int index) {
        return buffer.getLong(offset + ResponseLayout.HEADER_LENGTH + index * Long.BYTES);
    }

    /** @return the i32 at {@code bodyOffset} bytes into the body */
    public int bodyInt(int bodyOffset) {
        return buffer.getInt(offset + ResponseLayout.HEADER_LENGTH + bodyOffset);
    }

    /** @return absolute offset of the body */
    public int bodyAt() {
        return offset + ResponseLayout.HEADER_LENGTH;
    }

    /** Range count. */
    public long count() {
        return bodyLong(0);
    }

    /** Kvs of a Range, or prev kvs of a DeleteRange. */
    public int kvCount() {
        return bodyInt(Long.BYTES);
    }

    /** @return absolute offset of the first kv of a Range or DeleteRange; step with {@link KeyValueView#end()} */
    public int kvsAt() {
        return offset + ResponseLayout.KVS_AT;
    }

    /** Txn: number of op responses. */
    public int responseCount() {
        return bodyInt(0);
    }

    /** Txn: absolute offset of the first framed op response ({@code length:i32 | response}). */
    public int responsesAt() {
        return offset + ResponseLayout.HEADER_LENGTH + Integer.BYTES;
    }

    /** Watch: number of events. */
    public int eventCount() {
        return bodyInt(2 * Long.BYTES);
    }

    /** Watch: absolute offset of the first event. */
    public int eventsAt() {
        return offset + ResponseLayout.EVENTS_AT;
    }
}
