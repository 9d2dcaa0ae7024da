package dev.keel.replica;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The envelope of every normal log entry the replica proposes:
 * {@code 0 origin member i64 | 8 request ID i64 | 16 MVCC request}. The member that received the client's
 * request is the origin; when any member applies the entry, the origin recognises its own request by the ID
 * and answers its client — this is how a write forwarded to the leader is answered on the member that
 * received it. Request ID 0 marks proposals no client waits for (lease expiry, compaction).
 */
public final class Proposal {
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    static final int ORIGIN_OFFSET = 0;
    static final int REQUEST_ID_OFFSET = 8;
    /** Bytes before the MVCC request. */
    public static final int HEADER = 16;

    private Proposal() {
    }

    /** Writes an envelope around {@code request[offset, offset + length)}; returns the entry's length. */
    static int encode(MutableDirectBuffer out, long origin, long requestId, DirectBuffer request, int offset,
                      int length) {
        out.putLong(ORIGIN_OFFSET, origin, ORDER);
        out.putLong(REQUEST_ID_OFFSET, requestId, ORDER);
        out.putBytes(HEADER, request, offset, length);
        return HEADER + length;
    }

    /** @return whether a normal entry of this length holds an envelope (length 0 is a leader's no-op) */
    public static boolean isEnvelope(int length) {
        return length >= HEADER;
    }

    /** @return the member that received the request */
    public static long origin(DirectBuffer entry, int offset) {
        return entry.getLong(offset + ORIGIN_OFFSET, ORDER);
    }

    /** @return the origin's request ID; 0 for the leader's own proposals (lease expiry, compaction) */
    public static long requestId(DirectBuffer entry, int offset) {
        return entry.getLong(offset + REQUEST_ID_OFFSET, ORDER);
    }
}
