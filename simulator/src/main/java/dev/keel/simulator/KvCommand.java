package dev.keel.simulator;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The simulated key-value store's write command, the payload of a log entry:
 * {@code op u8 | requestId i64 | key i32 | value i64 | expected i64}. Keys and values are small integers
 * (values 0 mean "absent" for {@code expected}); the request ID ties an applied entry back to the client
 * request that proposed it.
 */
final class KvCommand {
    static final byte PUT = 1;
    static final byte DELETE = 2;
    static final byte CAS = 3;
    static final int LENGTH = 29;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    byte op;
    long requestId;
    int key;
    long value;
    long expected;

    int encode(MutableDirectBuffer out) {
        out.putByte(0, op);
        out.putLong(1, requestId, ORDER);
        out.putInt(9, key, ORDER);
        out.putLong(13, value, ORDER);
        out.putLong(21, expected, ORDER);
        return LENGTH;
    }

    /** @return false if the bytes are not a command (never the case for entries this simulator wrote) */
    boolean decode(DirectBuffer in, int offset, int length) {
        if (length != LENGTH) {
            return false;
        }
        op = in.getByte(offset);
        requestId = in.getLong(offset + 1, ORDER);
        key = in.getInt(offset + 9, ORDER);
        value = in.getLong(offset + 13, ORDER);
        expected = in.getLong(offset + 21, ORDER);
        return op >= PUT && op <= CAS;
    }
}
