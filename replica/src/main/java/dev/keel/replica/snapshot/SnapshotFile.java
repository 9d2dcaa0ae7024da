package dev.keel.replica.snapshot;

import dev.keel.kernel.raft.ConfState;
import dev.keel.replica.wal.WalRecord;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteOrder;

/**
 * The snapshot file's format: Raft metadata, the MVCC snapshot, and a checksum over all of it.
 *
 * <pre>
 *  0 magic u32 "KSNP" | 4 version u8 | 5 origin u8 | 6 reserved u16 | 8 index i64 | 16 term i64
 * 24 conf length i32 | 28 conf state (ConfState.encode) | data length i32 | data | crc32c u32 (all before it)
 * </pre>
 *
 * The data is the Raft snapshot's payload, as the kernel keeps and ships it: since version 2 the member
 * registry's section and then the MVCC snapshot ({@code dev.keel.replica.MemberRegistry}); version 1 files
 * hold the MVCC snapshot alone and are still read.
 *
 * The origin says how the snapshot came to be: {@link #LOCAL} — taken from this replica's own applied state,
 * a prefix of its log; {@link #RECEIVED} — installed from the leader, replacing the log. Recovery trusts WAL
 * entries after a received snapshot only if the WAL holds that snapshot's marker (else the crash came between
 * writing the file and writing the marker, and the entries are from the replaced log).
 */
public final class SnapshotFile {
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final int MAGIC = 0x504E534B; // "KSNP" little-endian
    /**
     * Version 2: the data is the replica's snapshot payload (the member registry's section, then the store);
     * version 1 (still read) held the store alone. The replica tells them apart by the payload's own magic.
     */
    public static final byte VERSION = 2;
    /** The first version, still read. */
    public static final byte VERSION_1 = 1;
    public static final byte LOCAL = 1;
    public static final byte RECEIVED = 2;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int ORIGIN_OFFSET = 5;
    public static final int INDEX_OFFSET = 8;
    public static final int TERM_OFFSET = 16;
    public static final int CONF_LENGTH_OFFSET = 24;
    public static final int CONF_OFFSET = 28;
    private static final int CRC_LENGTH = 4;

    public final ConfState conf = new ConfState();
    public byte origin;
    /** The version the file was written with. */
    public byte version;
    public long index;
    public long term;
    /** The MVCC snapshot: {@code buffer[dataOffset, dataOffset + dataLength)} after {@link #decode}. */
    public DirectBuffer buffer;
    public int dataOffset;
    public int dataLength;

    /** @return an upper bound of the file's length for {@code dataLength} bytes of snapshot (any membership) */
    public static long maxLength(int dataLength) {
        return CONF_OFFSET + 8 + 16L * ConfState.MAX_MEMBERS + 4L + dataLength + CRC_LENGTH;
    }

    /** Encodes a snapshot file into {@code out}; returns its length. */
    public static int encode(ExpandableArrayBuffer out, byte origin, long index, long term, ConfState conf,
                             DirectBuffer data, int offset, int length) {
        out.putInt(MAGIC_OFFSET, MAGIC, ORDER);
        out.putByte(VERSION_OFFSET, VERSION);
        out.putByte(ORIGIN_OFFSET, origin);
        out.putShort(ORIGIN_OFFSET + 1, (short) 0, ORDER);
        out.putLong(INDEX_OFFSET, index, ORDER);
        out.putLong(TERM_OFFSET, term, ORDER);
        int confLength = conf.encode(out, CONF_OFFSET);
        out.putInt(CONF_LENGTH_OFFSET, confLength, ORDER);
        int at = CONF_OFFSET + confLength;
        out.putInt(at, length, ORDER);
        out.putBytes(at + 4, data, offset, length);
        at += 4 + length;
        out.putInt(at, WalRecord.crc(out, 0, at), ORDER);
        return at + CRC_LENGTH;
    }

    /**
     * Decodes and verifies a snapshot file.
     *
     * @return null if it is valid, else why it cannot be trusted
     */
    public String decode(DirectBuffer in, int length) {
        if (length < CONF_OFFSET + 4 + CRC_LENGTH) {
            return "snapshot file is " + length + " bytes, shorter than its header";
        }
        int crcAt = length - CRC_LENGTH;
        if (in.getInt(crcAt, ORDER) != WalRecord.crc(in, 0, crcAt)) {
            return "snapshot file checksum mismatch";
        }
        version = in.getByte(VERSION_OFFSET);
        if (in.getInt(MAGIC_OFFSET, ORDER) != MAGIC || (version != VERSION && version != VERSION_1)) {
            return "snapshot file has an unknown magic or version";
        }
        origin = in.getByte(ORIGIN_OFFSET);
        index = in.getLong(INDEX_OFFSET, ORDER);
        term = in.getLong(TERM_OFFSET, ORDER);
        int confLength = in.getInt(CONF_LENGTH_OFFSET, ORDER);
        if (confLength < 0 || CONF_OFFSET + confLength + 4 > crcAt
                || conf.decode(in, CONF_OFFSET, CONF_OFFSET + confLength) != confLength) {
            return "snapshot file has an unreadable configuration";
        }
        int at = CONF_OFFSET + confLength;
        dataLength = in.getInt(at, ORDER);
        dataOffset = at + 4;
        if (dataLength < 0 || dataOffset + dataLength != crcAt || (origin != LOCAL && origin != RECEIVED)) {
            return "snapshot file has an inconsistent layout";
        }
        buffer = in;
        return null;
    }
}
