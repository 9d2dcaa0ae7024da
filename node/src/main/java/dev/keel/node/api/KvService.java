package dev.keel.node.api;

import dev.keel.node.HeaderFacts;
import dev.keel.node.RequestGate;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.CompactionResponse;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * etcd's {@code KV} service: each request is translated to Keel's kernel encoding on the calling thread, handed
 * to the kernel thread, and its answer translated back on the call's event loop. Ranges are linearizable
 * (ReadIndex, on whichever member the client reached) unless {@code serializable}; writes reaching a follower
 * are forwarded to the leader by the replica.
 */
public final class KvService extends KVGrpc.KVImplBase {
    private final RequestGate gate;
    private final ThreadLocal<KvCodec> codecs;
    private final ThreadLocal<ExpandableArrayBuffer> buffers = ThreadLocal.withInitial(() -> new ExpandableArrayBuffer(4096));

    /**
     * @param maxRequestBytes {@code --max-request-bytes}, checked as etcd checks it on member {@code memberId}
     * @param maxTxnOps       {@code --max-txn-ops}
     * @param memberId        this member's ID (etcd's measure of a request's size depends on it)
     */
    public KvService(RequestGate gate, int maxRequestBytes, int maxTxnOps, long memberId) {
        this.gate = gate;
        this.codecs = ThreadLocal.withInitial(() -> new KvCodec(maxRequestBytes, maxTxnOps, memberId));
    }

    private interface Encoder<R> {
        int encode(KvCodec codec, R request, ExpandableArrayBuffer out);
    }

    private interface Decoder<T> {
        T decode(KvCodec codec, UnsafeBuffer response, int length, ResponseHeader.Builder header);
    }

    private <R, T> void submit(int type, R request, Encoder<R> encoder, Decoder<T> decoder, StreamObserver<T> out) {
        ExpandableArrayBuffer buffer = buffers.get();
        int length;
        try {
            length = encoder.encode(codecs.get(), request, buffer);
        } catch (StatusRuntimeException e) {
            out.onError(e);
            return;
        }
        gate.submit(type, buffer, 0, length, new GrpcReply<>(out, (bytes, facts) ->
                decoder.decode(codecs.get(), new UnsafeBuffer(bytes), bytes.length, header(facts))));
    }

    static ResponseHeader.Builder header(HeaderFacts facts) {
        return ResponseHeader.newBuilder().setClusterId(facts.clusterId()).setMemberId(facts.memberId())
                .setRaftTerm(facts.raftTerm());
    }

    @Override
    public void range(RangeRequest request, StreamObserver<RangeResponse> out) {
        int type = request.getSerializable() ? RequestGate.READ_SERIALIZABLE : RequestGate.READ;
        submit(type, request, KvCodec::encodeRange, (c, b, n, h) -> c.decodeRange(b, 0, n, h), out);
    }

    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> out) {
        submit(RequestGate.WRITE, request, KvCodec::encodePut, (c, b, n, h) -> c.decodePut(b, 0, n, h), out);
    }

    @Override
    public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> out) {
        submit(RequestGate.WRITE, request, KvCodec::encodeDeleteRange,
                (c, b, n, h) -> c.decodeDeleteRange(b, 0, n, h), out);
    }

    @Override
    public void txn(TxnRequest request, StreamObserver<TxnResponse> out) {
        // As etcd: a txn of ranges only is a read (no log entry), served at once when every range is serializable.
        int type = !EtcdChecks.readOnly(request) ? RequestGate.WRITE
                : EtcdChecks.serializable(request) ? RequestGate.READ_SERIALIZABLE : RequestGate.READ;
        submit(type, request, KvCodec::encodeTxn, (c, b, n, h) -> c.decodeTxn(b, 0, n, h), out);
    }

    @Override
    public void compact(CompactionRequest request, StreamObserver<CompactionResponse> out) {
        submit(RequestGate.WRITE, request, KvCodec::encodeCompact, (c, b, n, h) -> c.decodeCompact(b, 0, n, h), out);
    }
}
