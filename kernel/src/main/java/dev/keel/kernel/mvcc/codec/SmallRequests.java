package dev.keel.kernel.mvcc.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encoders and readers of the fixed-size requests: Compact ({@code revision:i64}), LeaseGrant
 * ({@code ttl:i64 | id:i64}), LeaseRevoke ({@code id:i64}), LeaseCheckpoint ({@code count:i32 |
 * (id:i64 | remainingTtl:i64)*}) and AlarmDisarm (header only).
 */
public final class SmallRequests {
    /** Compact flag: etcd's {@code physical} (wait for the physical removal); accepted, not needed here. */
    public static final int COMPACT_PHYSICAL = 1;

    private static final int BODY = RequestType.HEADER_LENGTH;

    private SmallRequests() {
    }

    /** Encodes a Compact; returns its length. */
    public static int encodeCompact(MutableDirectBuffer out, int at, long revision, int flags) {
        out.putLong(RequestType.writeHeader(out, at, RequestType.COMPACT, flags), revision);
        return BODY + Long.BYTES;
    }

    /** Encodes a LeaseGrant ({@code id} 0: the store picks one); returns its length. */
    public static int encodeLeaseGrant(MutableDirectBuffer out, int at, long ttlSeconds, long id) {
        int p = RequestType.writeHeader(out, at, RequestType.LEASE_GRANT, 0);
        out.putLong(p, ttlSeconds);
        out.putLong(p + Long.BYTES, id);
        return BODY + 2 * Long.BYTES;
    }

    /** Encodes a LeaseRevoke (also what the leader proposes for an expired lease); returns its length. */
    public static int encodeLeaseRevoke(MutableDirectBuffer out, int at, long id) {
        out.putLong(RequestType.writeHeader(out, at, RequestType.LEASE_REVOKE, 0), id);
        return BODY + Long.BYTES;
    }

    /** Encodes a checkpoint of {@code count} leases taken from the two arrays. */
    public static int encodeLeaseCheckpoint(MutableDirectBuffer out, int at, long[] ids, long[] remainingTtls,
                                            int count) {
        int p = RequestType.writeHeader(out, at, RequestType.LEASE_CHECKPOINT, 0);
        out.putInt(p, count);
        p += Integer.BYTES;
        for (int i = 0; i < count; i++) {
            out.putLong(p, ids[i]);
            out.putLong(p + Long.BYTES, remainingTtls[i]);
            p += 2 * Long.BYTES;
        }
        return p - at;
    }

    /** Encodes an AlarmDisarm (clears the NOSPACE alarm); returns its length. */
    public static int encodeAlarmDisarm(MutableDirectBuffer out, int at) {
        return RequestType.writeHeader(out, at, RequestType.ALARM_DISARM, 0) - at;
    }

    /** @return whether a request of {@code type} and {@code length} has the size its type needs */
    public static boolean wellFormed(DirectBuffer buffer, int offset, int length, int type) {
        switch (type) {
            case RequestType.COMPACT:
            case RequestType.LEASE_REVOKE:
                return length == BODY + Long.BYTES;
            case RequestType.LEASE_GRANT:
                return length == BODY + 2 * Long.BYTES;
            case RequestType.ALARM_DISARM:
                return length == BODY;
            case RequestType.LEASE_CHECKPOINT:
                if (length < BODY + Integer.BYTES) {
                    return false;
                }
                int count = buffer.getInt(offset + BODY);
                return count >= 0 && (long) length == BODY + Integer.BYTES + 16L * count;
            default:
                return false;
        }
    }

    /** @return the first i64 of the body (compact revision, grant TTL, revoke ID) */
    public static long firstLong(DirectBuffer buffer, int offset) {
        return buffer.getLong(offset + BODY);
    }

    /** @return the second i64 of the body (grant ID) */
    public static long secondLong(DirectBuffer buffer, int offset) {
        return buffer.getLong(offset + BODY + Long.BYTES);
    }

    /** @return number of leases in a checkpoint */
    public static int checkpointCount(DirectBuffer buffer, int offset) {
        return buffer.getInt(offset + BODY);
    }

    /** @return ID of the {@code i}-th lease of a checkpoint */
    public static long checkpointId(DirectBuffer buffer, int offset, int i) {
        return buffer.getLong(offset + BODY + Integer.BYTES + 16 * i);
    }

    /** @return remaining TTL (seconds) of the {@code i}-th lease of a checkpoint */
    public static long checkpointRemaining(DirectBuffer buffer, int offset, int i) {
        return buffer.getLong(offset + BODY + Integer.BYTES + 16 * i + Long.BYTES);
    }
}
