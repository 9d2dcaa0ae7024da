package dev.keel.replica.wal;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The write-ahead log's record format, the one implementation both hosts write and read:
 *
 * <pre>
 *  0 length u32 (payload bytes) | 4 payload crc32c u32 | 8 header crc32c u32 (over length and payload crc)
 * 12 payload: type u8 | body
 *
 * HARD_STATE body:      1 term i64 | 9 vote i64 | 17 commit i64
 * ENTRY body:           1 index i64 | 9 term i64 | 17 entry type u8 | 18 data length i32 | 22 data
 * SNAPSHOT_MARKER body: 1 index i64 | 9 term i64   (a snapshot from the leader replaced the log here)
 * </pre>
 *
 * All fields are little-endian. The header checksum covers the length and the payload checksum, so a flipped
 * length is corruption, not a torn tail. Recovery tells the two apart the way etcd's WAL repair does: a
 * record cut short at the end of the last segment is a torn write of data never acknowledged — cut it; a
 * complete record whose checksum fails is corruption of acknowledged data — refuse to start.
 */
public final class WalRecord {
    private WalRecord() {
    }

    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    public static final int LENGTH_OFFSET = 0;
    public static final int PAYLOAD_CRC_OFFSET = 4;
    public static final int HEADER_CRC_OFFSET = 8;
    /** Bytes before the payload. */
    public static final int HEADER = 12;

    public static final int TYPE_OFFSET = 0;
    public static final byte HARD_STATE = 1;
    public static final byte ENTRY = 2;
    public static final byte SNAPSHOT_MARKER = 3;

    public static final int TERM_OFFSET = 1;
    public static final int VOTE_OFFSET = 9;
    public static final int COMMIT_OFFSET = 17;
    public static final int HARD_STATE_LENGTH = 25;

    public static final int INDEX_OFFSET = 1;
    public static final int ENTRY_TERM_OFFSET = 9;
    public static final int ENTRY_TYPE_OFFSET = 17;
    public static final int DATA_LENGTH_OFFSET = 18;
    public static final int DATA_OFFSET = 22;

    public static final int MARKER_INDEX_OFFSET = 1;
    public static final int MARKER_TERM_OFFSET = 9;
    public static final int MARKER_LENGTH = 17;

    /** Frames {@code payload[0, length)} as one record at {@code out[at]}; returns the bytes written. */
    public static int frame(MutableDirectBuffer out, int at, DirectBuffer payload, int length) {
        return frame(out, at, payload, length, new CRC32C());
    }

    /**
     * Frames {@code payload[0, length)} as one record at {@code out[at]} with a caller-owned checksum, so the
     * steady-state append path allocates nothing; returns the bytes written.
     */
    public static int frame(MutableDirectBuffer out, int at, DirectBuffer payload, int length, CRC32C scratch) {
        int crc = crc(payload, 0, length, scratch);
        out.putInt(at + LENGTH_OFFSET, length, ORDER);
        out.putInt(at + PAYLOAD_CRC_OFFSET, crc, ORDER);
        out.putInt(at + HEADER_CRC_OFFSET, headerCrc(length, crc, scratch), ORDER);
        out.putBytes(at + HEADER, payload, 0, length);
        return HEADER + length;
    }

    /** Writes a hard-state payload; returns its length. */
    public static int hardState(MutableDirectBuffer p, long term, long vote, long commit) {
        p.putByte(TYPE_OFFSET, HARD_STATE);
        p.putLong(TERM_OFFSET, term, ORDER);
        p.putLong(VOTE_OFFSET, vote, ORDER);
        p.putLong(COMMIT_OFFSET, commit, ORDER);
        return HARD_STATE_LENGTH;
    }

    /** Writes an entry payload; returns its length. */
    public static int entry(MutableDirectBuffer p, long index, long term, byte type, DirectBuffer data, int offset,
                            int length) {
        p.putByte(TYPE_OFFSET, ENTRY);
        p.putLong(INDEX_OFFSET, index, ORDER);
        p.putLong(ENTRY_TERM_OFFSET, term, ORDER);
        p.putByte(ENTRY_TYPE_OFFSET, type);
        p.putInt(DATA_LENGTH_OFFSET, length, ORDER);
        p.putBytes(DATA_OFFSET, data, offset, length);
        return DATA_OFFSET + length;
    }

    /** Writes a snapshot-marker payload; returns its length. */
    public static int snapshotMarker(MutableDirectBuffer p, long index, long term) {
        p.putByte(TYPE_OFFSET, SNAPSHOT_MARKER);
        p.putLong(MARKER_INDEX_OFFSET, index, ORDER);
        p.putLong(MARKER_TERM_OFFSET, term, ORDER);
        return MARKER_LENGTH;
    }

    /** @return CRC32C of {@code buffer[offset, offset + length)} */
    public static int crc(DirectBuffer buffer, int offset, int length) {
        return crc(buffer, offset, length, new CRC32C());
    }

    private static int crc(DirectBuffer buffer, int offset, int length, CRC32C crc) {
        crc.reset();
        byte[] array = buffer.byteArray();
        if (array != null) {
            crc.update(array, (int) (buffer.wrapAdjustment() + offset), length);
        } else {
            for (int i = 0; i < length; i++) {
                crc.update(buffer.getByte(offset + i));
            }
        }
        return (int) crc.getValue();
    }

    static int headerCrc(int length, int payloadCrc) {
        return headerCrc(length, payloadCrc, new CRC32C());
    }

    private static int headerCrc(int length, int payloadCrc, CRC32C crc) {
        crc.reset();
        for (int shift = 0; shift < 32; shift += 8) {
            crc.update(length >>> shift);
        }
        for (int shift = 0; shift < 32; shift += 8) {
            crc.update(payloadCrc >>> shift);
        }
        return (int) crc.getValue();
    }
}
