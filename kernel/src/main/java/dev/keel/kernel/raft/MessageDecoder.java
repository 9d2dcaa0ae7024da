package dev.keel.kernel.raft;

import org.agrona.DirectBuffer;

import static dev.keel.kernel.raft.MessageLayout.*;

/**
 * A validating flyweight over an encoded message. {@link #wrap} checks every length and field before any
 * accessor is used, so accessors never read outside the message.
 */
public final class MessageDecoder {
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private final ConfState snapshotConf = new ConfState();
    private int snapshotChunkOffset;

    /**
     * Points the decoder at a message and validates it.
     *
     * @return {@link DecodeStatus#OK} or the reason the bytes are not a valid message
     */
    public int wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        if (length < HEADER_LENGTH || offset < 0 || buffer.capacity() - offset < length) {
            return DecodeStatus.TRUNCATED;
        }
        if (buffer.getByte(offset + VERSION_OFFSET) != VERSION) {
            return DecodeStatus.BAD_VERSION;
        }
        if (!MessageType.isValid(type())) {
            return DecodeStatus.BAD_TYPE;
        }
        int declared = buffer.getInt(offset + LENGTH_OFFSET, ORDER);
        if (declared != length) {
            return declared > length ? DecodeStatus.TRUNCATED : DecodeStatus.BAD_LENGTH;
        }
        if (!headerFieldsValid()) {
            return DecodeStatus.BAD_FIELD;
        }
        switch (type()) {
            case MessageType.APP:
                return validateEntries();
            case MessageType.SNAP:
                return validateSnapshotChunk();
            default:
                return count() == 0 && length == HEADER_LENGTH ? DecodeStatus.OK : DecodeStatus.BAD_LENGTH;
        }
    }

    public byte type() {
        return buffer.getByte(offset + TYPE_OFFSET);
    }

    public int flags() {
        return buffer.getShort(offset + FLAGS_OFFSET, ORDER) & 0xFFFF;
    }

    public boolean reject() {
        return (flags() & FLAG_REJECT) != 0;
    }

    public long from() {
        return buffer.getLong(offset + FROM_OFFSET, ORDER);
    }

    public long to() {
        return buffer.getLong(offset + TO_OFFSET, ORDER);
    }

    public long term() {
        return buffer.getLong(offset + TERM_OFFSET, ORDER);
    }

    public long logTerm() {
        return buffer.getLong(offset + LOG_TERM_OFFSET, ORDER);
    }

    public long index() {
        return buffer.getLong(offset + INDEX_OFFSET, ORDER);
    }

    public long commit() {
        return buffer.getLong(offset + COMMIT_OFFSET, ORDER);
    }

    public long context() {
        return buffer.getLong(offset + CONTEXT_OFFSET, ORDER);
    }

    public long hint() {
        return buffer.getLong(offset + HINT_OFFSET, ORDER);
    }

    public int count() {
        return buffer.getInt(offset + COUNT_OFFSET, ORDER);
    }

    public int length() {
        return length;
    }

    /** @return the position of the first entry of an APP message, for {@link #readEntry} */
    public int firstEntryPosition() {
        return offset + HEADER_LENGTH;
    }

    /**
     * Points {@code view} at the entry at {@code position} (which must come from {@link #firstEntryPosition} or a
     * previous call) and gives it {@code index}.
     *
     * @return the position of the next entry
     */
    public int readEntry(int position, long index, EntryView view) {
        int dataLength = buffer.getInt(position + ENTRY_LENGTH_OFFSET, ORDER);
        view.set(index, buffer.getLong(position + ENTRY_TERM_OFFSET, ORDER),
                buffer.getByte(position + ENTRY_TYPE_OFFSET), buffer, position + ENTRY_HEADER_LENGTH, dataLength);
        return position + ENTRY_HEADER_LENGTH + dataLength;
    }

    /** @return the configuration carried by a SNAP message (valid after a successful wrap) */
    public ConfState snapshotConf() {
        return snapshotConf;
    }

    /** @return the buffer holding a SNAP message's chunk, at {@link #snapshotChunkOffset()} for {@link #count()} */
    public DirectBuffer buffer() {
        return buffer;
    }

    public int snapshotChunkOffset() {
        return snapshotChunkOffset;
    }

    private boolean headerFieldsValid() {
        return (flags() & ~KNOWN_FLAGS) == 0
                && buffer.getInt(offset + RESERVED_OFFSET, ORDER) == 0
                && from() > 0 && to() > 0 && from() != to()
                && term() >= 0 && logTerm() >= 0 && index() >= 0 && commit() >= 0 && count() >= 0;
    }

    private int validateEntries() {
        int entries = count();
        if (entries > (length - HEADER_LENGTH) / ENTRY_HEADER_LENGTH) {
            return DecodeStatus.BAD_ENTRY;
        }
        int end = offset + length;
        int position = offset + HEADER_LENGTH;
        long previousTerm = logTerm();
        for (int i = 0; i < entries; i++) {
            if (end - position < ENTRY_HEADER_LENGTH) {
                return DecodeStatus.BAD_ENTRY;
            }
            long entryTerm = buffer.getLong(position + ENTRY_TERM_OFFSET, ORDER);
            int dataLength = buffer.getInt(position + ENTRY_LENGTH_OFFSET, ORDER);
            boolean padZero = buffer.getByte(position + 9) == 0 && buffer.getByte(position + 10) == 0
                    && buffer.getByte(position + 11) == 0;
            if (entryTerm < previousTerm || entryTerm > term() || entryTerm <= 0 || !padZero
                    || !EntryType.isValid(buffer.getByte(position + ENTRY_TYPE_OFFSET))
                    || dataLength < 0 || dataLength > end - position - ENTRY_HEADER_LENGTH) {
                return DecodeStatus.BAD_ENTRY;
            }
            previousTerm = entryTerm;
            position += ENTRY_HEADER_LENGTH + dataLength;
        }
        if (position != end || index() > Long.MAX_VALUE - entries) {
            return DecodeStatus.BAD_ENTRY;
        }
        return DecodeStatus.OK;
    }

    private int validateSnapshotChunk() {
        int end = offset + length;
        int confLength = snapshotConf.decode(buffer, offset + HEADER_LENGTH, end);
        if (confLength < 0) {
            return DecodeStatus.BAD_SNAPSHOT;
        }
        snapshotChunkOffset = offset + HEADER_LENGTH + confLength;
        long total = context();
        long chunkStart = hint();
        int chunk = count();
        boolean last = (flags() & FLAG_LAST_CHUNK) != 0;
        if (end - snapshotChunkOffset != chunk || total < 0 || chunkStart < 0 || chunkStart > total
                || chunk > total - chunkStart || last != (chunkStart + chunk == total)
                || index() == 0 || logTerm() == 0 || total > Integer.MAX_VALUE) {
            return DecodeStatus.BAD_SNAPSHOT;
        }
        return DecodeStatus.OK;
    }
}
