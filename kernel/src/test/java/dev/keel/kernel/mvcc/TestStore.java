package dev.keel.kernel.mvcc;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** A state machine driven like a host would: validate, then apply at the next Raft index; decoded answers. */
final class TestStore {
    final MvccStateMachine sm;
    final ExpandableArrayBuffer out = new ExpandableArrayBuffer(1024);
    long raftIndex;

    TestStore(MvccConfig config) {
        this.sm = new MvccStateMachine(config);
    }

    TestStore() {
        this(new MvccConfig());
    }

    /** Validates and applies a write (or a Range through the log); a validation error is returned as is. */
    Response apply(Op op) {
        byte[] bytes = op.bytes();
        UnsafeBuffer request = new UnsafeBuffer(bytes);
        MvccError error = sm.validate(request, 0, bytes.length);
        if (error != MvccError.OK) {
            return Response.error(typeOf(bytes), error, 0);
        }
        int n = sm.apply(++raftIndex, request, 0, bytes.length, out);
        Response r = Response.decode(out, 0, n);
        return r.error() != MvccError.OK ? Response.error(r.type(), r.error(), 0) : r;
    }

    /** Serves a Range directly (no log). */
    Response range(Op.Range range) {
        byte[] bytes = range.bytes();
        int n = sm.range(new UnsafeBuffer(bytes), 0, bytes.length, out);
        Response r = Response.decode(out, 0, n);
        return r.error() != MvccError.OK ? Response.error(r.type(), r.error(), 0) : r;
    }

    static int typeOf(byte[] bytes) {
        return bytes[1];
    }
}
