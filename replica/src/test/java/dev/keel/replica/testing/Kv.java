package dev.keel.replica.testing;

import dev.keel.kernel.mvcc.codec.DeleteRangeRequest;
import dev.keel.kernel.mvcc.codec.KeyValueView;
import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.ResponseView;
import dev.keel.replica.Replica;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/** MVCC requests and responses for tests: put, get and delete one key, decode a range response. */
public final class Kv {
    private Kv() {
    }

    /** An encoded request. */
    public record Request(ExpandableArrayBuffer buffer, int length) {
    }

    public static Request put(String key, String value) {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
        UnsafeBuffer k = bytes(key);
        UnsafeBuffer v = bytes(value);
        return new Request(out, PutRequest.encode(out, 0, k, 0, k.capacity(), v, 0, v.capacity(), 0, 0));
    }

    public static Request get(String key) {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
        UnsafeBuffer k = bytes(key);
        UnsafeBuffer none = new UnsafeBuffer(new byte[0]);
        return new Request(out, RangeRequest.encode(out, 0, k, 0, k.capacity(), none, 0, 0,
                new RangeRequest.Options().reset()));
    }

    public static Request delete(String key) {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
        UnsafeBuffer k = bytes(key);
        UnsafeBuffer none = new UnsafeBuffer(new byte[0]);
        return new Request(out, DeleteRangeRequest.encode(out, 0, k, 0, k.capacity(), none, 0, 0, 0));
    }

    /** @return the first value in a range response, or null when it holds no key */
    public static String value(byte[] rangeResponse) {
        KeyValueView kv = firstKv(rangeResponse);
        return kv == null ? null : new String(kv.value(), StandardCharsets.UTF_8);
    }

    /** @return the version of the first key in a range response, or 0 when it holds no key */
    public static long version(byte[] rangeResponse) {
        KeyValueView kv = firstKv(rangeResponse);
        return kv == null ? 0 : kv.version();
    }

    /** @return the mod revision of the first key in a range response, or 0 when it holds no key */
    public static long modRevision(byte[] rangeResponse) {
        KeyValueView kv = firstKv(rangeResponse);
        return kv == null ? 0 : kv.modRevision();
    }

    /** @return the revision a response carries (a put's: the revision it created) */
    public static long revision(byte[] response) {
        return new ResponseView().wrap(new UnsafeBuffer(response), 0, response.length).revision();
    }

    public static boolean ok(byte[] response) {
        return new ResponseView().wrap(new UnsafeBuffer(response), 0, response.length).isOk();
    }

    /** @return the value of {@code key} in the replica's store, read directly, or null */
    public static String localValue(Replica replica, String key) {
        return value(localRange(replica, key));
    }

    /** @return the version of {@code key} in the replica's store, read directly (0: absent) */
    public static long localVersion(Replica replica, String key) {
        return version(localRange(replica, key));
    }

    private static byte[] localRange(Replica replica, String key) {
        Request r = get(key);
        ExpandableArrayBuffer out = new ExpandableArrayBuffer(256);
        int n = replica.mvcc().range(r.buffer(), 0, r.length(), out);
        byte[] copy = new byte[n];
        out.getBytes(0, copy);
        return copy;
    }

    private static KeyValueView firstKv(byte[] response) {
        DirectBuffer buffer = new UnsafeBuffer(response);
        ResponseView view = new ResponseView().wrap(buffer, 0, response.length);
        if (!view.isOk() || view.kvCount() == 0) {
            return null;
        }
        return new KeyValueView().wrap(buffer, view.kvsAt());
    }

    private static UnsafeBuffer bytes(String s) {
        return new UnsafeBuffer(s.getBytes(StandardCharsets.UTF_8));
    }
}
