package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.mvcc.codec.RangeRequest;
import dev.keel.kernel.mvcc.codec.ResponseView;
import dev.keel.kernel.mvcc.codec.TxnCompare;
import dev.keel.kernel.mvcc.codec.TxnEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A txn that writes nothing is a read: served by {@code range} without the log, as etcd serves it. */
class ReadOnlyTxnReadTest {
    private final MvccStateMachine sm = new MvccStateMachine(new MvccConfig());
    private final ExpandableArrayBuffer in = new ExpandableArrayBuffer();
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer();
    private final UnsafeBuffer key = new UnsafeBuffer("k".getBytes(StandardCharsets.UTF_8));
    private final UnsafeBuffer none = new UnsafeBuffer(new byte[0]);

    private int txn(boolean withPut) {
        TxnEncoder t = new TxnEncoder().begin(in, 0)
                .compare(TxnCompare.GREATER, TxnCompare.VERSION, 0, key, 0, 1, none, 0, 0, none, 0, 0).success();
        int at = t.opStart();
        t.opEnd(RangeRequest.encode(in, at, key, 0, 1, none, 0, 0, new RangeRequest.Options().reset()));
        if (withPut) {
            at = t.opStart();
            t.opEnd(PutRequest.encode(in, at, key, 0, 1, key, 0, 1, 0, 0));
        }
        return t.end();
    }

    @Test
    void aReadOnlyTxnIsServedAtTheCurrentRevisionWithoutChangingIt() {
        int n = PutRequest.encode(in, 0, key, 0, 1, key, 0, 1, 0, 0);
        sm.apply(1, in, 0, n, out);
        long revision = sm.revision();
        int len = sm.range(in, 0, txn(false), out);
        ResponseView r = new ResponseView().wrap(out, 0, len);
        assertTrue(r.isOk(), r.error().toString());
        assertEquals(revision, r.revision());
        assertTrue(r.flag(dev.keel.kernel.mvcc.codec.ResponseLayout.FLAG_SUCCEEDED), "the compare held");
        assertEquals(1, r.responseCount());
        assertEquals(revision, sm.revision(), "a read changes nothing");
        assertEquals(1, sm.appliedIndex(), "no entry was applied");
    }

    @Test
    void aTxnThatWritesIsRefusedOnTheReadPath() {
        int len = sm.range(in, 0, txn(true), out);
        ResponseView r = new ResponseView().wrap(out, 0, len);
        assertFalse(r.isOk());
        assertEquals(MvccError.MALFORMED_REQUEST, r.error());
        assertEquals(1, sm.revision(), "nothing was written");
    }
}
