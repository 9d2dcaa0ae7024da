package dev.keel.simulator;

import dev.keel.kernel.raft.ConfState;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The write-ahead log's record format, as the production node writes it:
 * {@code length u32 | payload crc32c u32 | header crc32c u32 | payload}, the payload starting with a type byte.
 * The header checksum covers length and payload checksum, so a flipped length is corruption, not a torn tail.
 *
 * <p>Recovery tells the two apart the way etcd's WAL repair does: a record cut short at the end of the file
 * (fewer bytes than its header, or than its length) is a torn write of data never acknowledged — truncate it;
 * a complete record whose checksum fails is corruption of acknowledged data — refuse to start.
 */
final class Wal {
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    static final int HEADER = 12;
    static final byte HARD_STATE = 1;
    static final byte ENTRY = 2;
    static final byte SNAPSHOT = 3;

    private Wal() {
    }

    /** Appends one record whose payload is {@code payload[0, length)}; returns the bytes written. */
    static int append(MutableDirectBuffer out, int at, DirectBuffer payload, int length) {
        int crc = crc(payload, 0, length);
        out.putInt(at, length, ORDER);
        out.putInt(at + 4, crc, ORDER);
        out.putInt(at + 8, headerCrc(length, crc), ORDER);
        out.putBytes(at + HEADER, payload, 0, length);
        return HEADER + length;
    }

    static int hardState(MutableDirectBuffer p, long term, long vote, long commit) {
        p.putByte(0, HARD_STATE);
        p.putLong(1, term, ORDER);
        p.putLong(9, vote, ORDER);
        p.putLong(17, commit, ORDER);
        return 25;
    }

    static int entry(ExpandableArrayBuffer p, long index, long term, byte type, DirectBuffer data, int off, int len) {
        p.putByte(0, ENTRY);
        p.putLong(1, index, ORDER);
        p.putLong(9, term, ORDER);
        p.putByte(17, type);
        p.putInt(18, len, ORDER);
        p.putBytes(22, data, off, len);
        return 22 + len;
    }

    static int snapshot(ExpandableArrayBuffer p, long index, long term, ConfState conf, DirectBuffer data, int len) {
        p.putByte(0, SNAPSHOT);
        p.putLong(1, index, ORDER);
        p.putLong(9, term, ORDER);
        int confLength = conf.encode(p, 17);
        p.putInt(17 + confLength, len, ORDER);
        p.putBytes(21 + confLength, data, 0, len);
        return 21 + confLength + len;
    }

    static int crc(DirectBuffer buffer, int offset, int length) {
        CRC32C crc = new CRC32C();
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
        CRC32C crc = new CRC32C();
        for (int shift = 0; shift < 32; shift += 8) {
            crc.update(length >>> shift);
        }
        for (int shift = 0; shift < 32; shift += 8) {
            crc.update(payloadCrc >>> shift);
        }
        return (int) crc.getValue();
    }
}
