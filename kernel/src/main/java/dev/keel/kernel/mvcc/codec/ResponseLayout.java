package dev.keel.kernel.mvcc.codec;

import org.agrona.MutableDirectBuffer;

/**
 * The layout of every encoded response: a 16-byte header {@code version:u8 | type:u8 | error:u8 | flags:u8 |
 * reserved:i32 | revision:i64} (the header revision of etcd's {@code ResponseHeader}) and a body per type:
 * <ul>
 * <li>Put: an optional prev kv ({@link #FLAG_PREV_KV});</li>
 * <li>Range: {@code count:i64 | kvCount:i32 | kv*} ({@link #FLAG_MORE});</li>
 * <li>DeleteRange: {@code deleted:i64 | prevKvCount:i32 | kv*};</li>
 * <li>Txn: {@code responseCount:i32 | (length:i32 | response)*} ({@link #FLAG_SUCCEEDED});</li>
 * <li>LeaseGrant and KeepAlive: {@code id:i64 | ttl:i64}; TimeToLive: {@code id:i64 | ttl:i64 |
 * grantedTtl:i64 | keyCount:i32 | key*}; Leases: {@code count:i32 | id:i64*};</li>
 * <li>Watch: {@code watchId:i64 | compactRevision:i64 | eventCount:i32 | event*} with an event
 * {@code type:u8 | hasPrevKv:u8 | kv | prevKv?} ({@link #FLAG_CANCELED});</li>
 * <li>Compact, LeaseRevoke, LeaseCheckpoint, AlarmDisarm: nothing.</li>
 * </ul>
 * A kv is {@code createRevision:i64 | modRevision:i64 | version:i64 | lease:i64 | key | value} with
 * length-prefixed key and value. An error response is a header with a non-zero error (see
 * {@link dev.keel.kernel.mvcc.MvccError#wireId()}) and no body.
 */
public final class ResponseLayout {
    public static final int HEADER_LENGTH = 16;
    public static final int TYPE_OFFSET = 1;
    public static final int ERROR_OFFSET = 2;
    public static final int FLAGS_OFFSET = 3;
    public static final int REVISION_OFFSET = 8;

    /** Response types not shared with requests. */
    public static final int KEEP_ALIVE = 10;
    public static final int TIME_TO_LIVE = 11;
    public static final int LEASES = 12;
    public static final int WATCH = 20;
    /** Response type of an auth request (body: see {@code dev.keel.kernel.auth.wire.AuthResponse}). */
    public static final int AUTH = 30;
    /**
     * Error bytes at or above this carry an {@code AuthError} ({@code AUTH_ERROR_BASE + wireId}) instead of an
     * {@code MvccError}: any response (Put, Txn, Range...) may fail with PERMISSION_DENIED.
     */
    public static final int AUTH_ERROR_BASE = 64;

    public static final int FLAG_PREV_KV = 1;
    public static final int FLAG_MORE = 1;
    public static final int FLAG_SUCCEEDED = 1;
    public static final int FLAG_CANCELED = 1;

    /** Fixed part of a kv before its key. */
    public static final int KV_FIXED = 4 * Long.BYTES;
    /** Watch event types, numbered as etcd's {@code mvccpb.Event.EventType}. */
    public static final int EVENT_PUT = 0;
    public static final int EVENT_DELETE = 1;
    /** Offset of the first kv of Range/DeleteRange bodies and of the first event of a Watch body. */
    public static final int KVS_AT = HEADER_LENGTH + Long.BYTES + Integer.BYTES;
    public static final int EVENTS_AT = HEADER_LENGTH + 2 * Long.BYTES + Integer.BYTES;

    private ResponseLayout() {
    }

    /** Writes a header; returns the offset of the body. */
    public static int writeHeader(MutableDirectBuffer out, int at, int type, int error, int flags, long revision) {
        out.putByte(at, (byte) RequestType.VERSION);
        out.putByte(at + TYPE_OFFSET, (byte) type);
        out.putByte(at + ERROR_OFFSET, (byte) error);
        out.putByte(at + FLAGS_OFFSET, (byte) flags);
        out.putInt(at + 4, 0);
        out.putLong(at + REVISION_OFFSET, revision);
        return at + HEADER_LENGTH;
    }

    /** Writes an error response; returns its length. */
    public static int writeError(MutableDirectBuffer out, int at, int type, int errorWireId, long revision) {
        return writeHeader(out, at, type, errorWireId, 0, revision) - at;
    }

    /** Sets flag bits of the header at {@code at}. */
    public static void addFlags(MutableDirectBuffer out, int at, int flags) {
        out.putByte(at + FLAGS_OFFSET, (byte) (out.getByte(at + FLAGS_OFFSET) | flags));
    }
}
