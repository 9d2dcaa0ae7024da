package dev.keel.kernel.raft;

import java.nio.ByteOrder;

/**
 * Byte layout of a Raft message, version 1. Every field is little-endian. A fixed 80-byte header is followed by
 * a type-specific body:
 *
 * <pre>
 *  0 version u8 | 1 type u8 | 2 flags u16 | 4 length i32 (whole message, header included)
 *  8 from i64 | 16 to i64 | 24 term i64 | 32 logTerm i64 | 40 index i64 | 48 commit i64
 * 56 context i64 | 64 hint i64 | 72 count i32 | 76 reserved i32 (zero)
 *
 * APP body:  count × entry { term i64 | type u8 | 3 pad | length i32 | data }   (indexes index+1, index+2, ...)
 * SNAP body: conf state (see ConfState.encode) | chunk (count bytes)
 *            index/logTerm = snapshot's last index/term, context = total size, hint = chunk offset
 * </pre>
 */
public final class MessageLayout {
    private MessageLayout() {
    }

    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final byte VERSION = 1;

    public static final int VERSION_OFFSET = 0;
    public static final int TYPE_OFFSET = 1;
    public static final int FLAGS_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int FROM_OFFSET = 8;
    public static final int TO_OFFSET = 16;
    public static final int TERM_OFFSET = 24;
    public static final int LOG_TERM_OFFSET = 32;
    public static final int INDEX_OFFSET = 40;
    public static final int COMMIT_OFFSET = 48;
    public static final int CONTEXT_OFFSET = 56;
    public static final int HINT_OFFSET = 64;
    public static final int COUNT_OFFSET = 72;
    public static final int RESERVED_OFFSET = 76;
    public static final int HEADER_LENGTH = 80;

    public static final int ENTRY_TERM_OFFSET = 0;
    public static final int ENTRY_TYPE_OFFSET = 8;
    public static final int ENTRY_LENGTH_OFFSET = 12;
    public static final int ENTRY_HEADER_LENGTH = 16;

    /** Response: the request was refused. */
    public static final int FLAG_REJECT = 1;
    /** Vote: the campaign follows a leadership transfer, so leader stickiness does not apply. */
    public static final int FLAG_TRANSFER = 2;
    /** Snapshot chunk: the last one. */
    public static final int FLAG_LAST_CHUNK = 4;
    public static final int KNOWN_FLAGS = FLAG_REJECT | FLAG_TRANSFER | FLAG_LAST_CHUNK;
}
