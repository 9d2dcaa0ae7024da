package dev.keel.benchmarks.load;

import com.google.protobuf.ByteString;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The key space and the value of a load: key {@code i} is {@code k} followed by {@code i} in decimal, zero-padded
 * to {@code --key-size} bytes (longer only when the key space needs more digits), so all keys lie in
 * {@code [k, l)}; every put writes the same random value of {@code --val-size} bytes, as etcd's benchmark does.
 */
public final class Keys {
    private static final int CACHED = 200_000;

    private final int width;
    private final int space;
    private final ByteString[] cache;
    private final byte[] value;
    private final ByteString valueString;

    /** Keys of {@code keySize} bytes, {@code keySpace} of them, values of {@code valSize} bytes. */
    public Keys(int keySize, int keySpace, int valSize) {
        this.space = keySpace;
        this.width = Math.max(keySize - 1, Long.toString(Math.max(0, keySpace - 1)).length());
        this.cache = keySpace <= CACHED ? new ByteString[keySpace] : null;
        this.value = new byte[valSize];
        new SplittableRandom(42).nextBytes(value);
        this.valueString = ByteString.copyFrom(value);
    }

    /** @return how many keys there are */
    public int space() {
        return space;
    }

    /** @return key {@code i mod space} */
    public ByteString key(long i) {
        int n = (int) Math.floorMod(i, (long) space);
        if (cache != null && cache[n] != null) {
            return cache[n];
        }
        String digits = Integer.toString(n);
        StringBuilder b = new StringBuilder(width + 1).append('k');
        b.append("0".repeat(Math.max(0, width - digits.length()))).append(digits);
        ByteString k = ByteString.copyFrom(b.toString(), StandardCharsets.US_ASCII);
        if (cache != null) {
            cache[n] = k;
        }
        return k;
    }

    /** @return the first key of the range every key lies in */
    public static ByteString rangeStart() {
        return ByteString.copyFromUtf8("k");
    }

    /** @return the end (exclusive) of that range */
    public static ByteString rangeEnd() {
        return ByteString.copyFromUtf8("l");
    }

    /** @return the value every put writes */
    public ByteString value() {
        return valueString;
    }

    /** @return the value with its first 8 bytes replaced by {@code stamp} (big-endian): a watch's send time */
    public ByteString stampedValue(long stamp) {
        byte[] v = value.clone();
        for (int i = 0; i < 8; i++) {
            v[i] = (byte) (stamp >>> (56 - 8 * i));
        }
        return ByteString.copyFrom(v);
    }

    /** @return the stamp {@link #stampedValue} wrote, or {@code Long.MIN_VALUE} if the value is too short */
    public static long stampOf(ByteString v) {
        if (v.size() < 8) {
            return Long.MIN_VALUE;
        }
        long s = 0;
        for (int i = 0; i < 8; i++) {
            s = (s << 8) | (v.byteAt(i) & 0xff);
        }
        return s;
    }
}
