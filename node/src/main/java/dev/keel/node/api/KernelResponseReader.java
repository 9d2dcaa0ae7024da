package dev.keel.node.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.mvcc.codec.KeyValueView;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.codec.ResponseView;
import io.etcd.jetcd.api.CompactionResponse;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.ResponseOp;
import io.etcd.jetcd.api.TxnResponse;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the kernel's encoded responses ({@link ResponseLayout}) into etcd's protobuf responses. The header
 * given for a top-level response gets the kernel's header revision; a response nested in a Txn gets a header
 * holding only its own revision, as etcd 3.4 answers (a range before the txn's first write shows the revision
 * before the txn, one after it the txn's revision, a nested txn revision 0). Not thread-safe.
 */
final class KernelResponseReader {
    /** One view per nesting depth: a nested txn's responses are read while its parent's view is in use. */
    private final List<ResponseView> views = new ArrayList<>();
    private final KeyValueView kv = new KeyValueView();

    /** @return the view over an OK response of {@code type}; throws etcd's status for an error response */
    ResponseView open(DirectBuffer b, int offset, int length, int type, int depth) {
        if (length < ResponseLayout.HEADER_LENGTH || offset < 0 || offset + length > b.capacity()) {
            throw new IllegalArgumentException("not a kernel response: " + length + " bytes at " + offset
                    + " of a " + b.capacity() + "-byte buffer");
        }
        ResponseView view = view(depth).wrap(b, offset, length);
        if (!view.isOk()) {
            throw KvCodec.toStatus(view);
        }
        if (view.type() != type) {
            throw new IllegalArgumentException("expected a kernel response of type " + type + ", got " + view.type());
        }
        return view;
    }

    RangeResponse range(ResponseView view, ResponseHeader header) {
        RangeResponse.Builder out = RangeResponse.newBuilder().setHeader(header)
                .setCount(view.count())
                .setMore(view.flag(ResponseLayout.FLAG_MORE));
        int at = view.kvsAt();
        for (int i = 0; i < view.kvCount(); i++) {
            out.addKvs(keyValue(view.buffer(), at));
            at = kv.end();
        }
        return out.build();
    }

    PutResponse put(ResponseView view, ResponseHeader header) {
        PutResponse.Builder out = PutResponse.newBuilder().setHeader(header);
        if (view.flag(ResponseLayout.FLAG_PREV_KV)) {
            out.setPrevKv(keyValue(view.buffer(), view.bodyAt()));
        }
        return out.build();
    }

    DeleteRangeResponse delete(ResponseView view, ResponseHeader header) {
        DeleteRangeResponse.Builder out = DeleteRangeResponse.newBuilder().setHeader(header)
                .setDeleted(view.count());
        int at = view.kvsAt();
        for (int i = 0; i < view.kvCount(); i++) {
            out.addPrevKvs(keyValue(view.buffer(), at));
            at = kv.end();
        }
        return out.build();
    }

    CompactionResponse compact(ResponseView view, ResponseHeader header) {
        return CompactionResponse.newBuilder().setHeader(header).build();
    }

    TxnResponse txn(ResponseView view, ResponseHeader header, int depth) {
        TxnResponse.Builder out = TxnResponse.newBuilder().setHeader(header)
                .setSucceeded(view.flag(ResponseLayout.FLAG_SUCCEEDED));
        DirectBuffer b = view.buffer();
        int end = view.offset() + view.length();
        int at = view.responsesAt();
        for (int i = 0; i < view.responseCount(); i++) {
            if (at + Integer.BYTES > end) {
                throw new IllegalArgumentException("txn response ends inside its op responses");
            }
            int length = b.getInt(at);
            int responseAt = at + Integer.BYTES;
            if (length < 0 || length > end - responseAt) {
                throw new IllegalArgumentException("txn op response of " + length + " bytes overruns its txn");
            }
            out.addResponses(op(b, responseAt, length, depth + 1));
            at = responseAt + length;
        }
        return out.build();
    }

    private ResponseOp op(DirectBuffer b, int offset, int length, int depth) {
        if (length < ResponseLayout.HEADER_LENGTH) {
            throw new IllegalArgumentException("txn op response of " + length + " bytes has no header");
        }
        int type = b.getByte(offset + ResponseLayout.TYPE_OFFSET);
        ResponseView view = open(b, offset, length, type, depth);
        ResponseHeader header = ResponseHeader.newBuilder().setRevision(view.revision()).build();
        switch (type) {
            case RequestType.RANGE:
                return ResponseOp.newBuilder().setResponseRange(range(view, header)).build();
            case RequestType.PUT:
                return ResponseOp.newBuilder().setResponsePut(put(view, header)).build();
            case RequestType.DELETE_RANGE:
                return ResponseOp.newBuilder().setResponseDeleteRange(delete(view, header)).build();
            case RequestType.TXN:
                return ResponseOp.newBuilder().setResponseTxn(txn(view, header, depth)).build();
            default:
                throw new IllegalArgumentException("a txn cannot hold a kernel response of type " + type
                        + " (" + MvccError.MALFORMED_REQUEST + ")");
        }
    }

    /** Reads the kv at {@code at}; leaves {@link #kv} on it so the caller can step to the next. */
    private KeyValue keyValue(DirectBuffer b, int at) {
        kv.wrap(b, at);
        return KeyValue.newBuilder()
                .setKey(bytes(b, kv.keyOffset(), kv.keyLength()))
                .setCreateRevision(kv.createRevision())
                .setModRevision(kv.modRevision())
                .setVersion(kv.version())
                .setValue(bytes(b, kv.valueOffset(), kv.valueLength()))
                .setLease(kv.lease())
                .build();
    }

    /** Copies once into a fresh array and hands it to protobuf without a second copy. */
    private static ByteString bytes(DirectBuffer b, int offset, int length) {
        if (length == 0) {
            return ByteString.EMPTY;
        }
        byte[] copy = new byte[length];
        b.getBytes(offset, copy);
        return UnsafeByteOperations.unsafeWrap(copy);
    }

    private ResponseView view(int depth) {
        while (views.size() <= depth) {
            views.add(new ResponseView());
        }
        return views.get(depth);
    }
}
