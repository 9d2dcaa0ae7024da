package dev.keel.node.api;

import dev.keel.kernel.mvcc.MvccConfig;
import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.mvcc.RequestValidator;
import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.SmallRequests;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.CompactionResponse;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Translates etcd's KV protobuf messages to the kernel's MVCC encoding and the kernel's responses back, with
 * etcd 3.4's refusals on the way in. Pure: no threads, no I/O. One instance per thread; it owns scratch
 * buffers and is not thread-safe.
 *
 * <h2>Where etcd refuses what</h2>
 * <ul>
 * <li>API layer ({@code v3rpc/key.go}), checked here in etcd's order: empty key, invalid sort option, value or
 * lease given with ignore_value/ignore_lease, too many txn ops, an empty txn op ("key not found"), duplicate
 * keys in a txn. All InvalidArgument.</li>
 * <li>Server, before proposing ({@code v3_server.go}): "request is too large", checked here on the size etcd
 * measures (the protobuf wrapped as an {@code InternalRaftRequest}), only for requests that go through Raft:
 * Put, DeleteRange, Compact and txns that write. Ranges and read-only txns are never size-checked by etcd
 * (only gRPC's receive limit, {@code --max-request-bytes} + 512 KiB, bounds them).</li>
 * <li>Apply (the kernel): compacted or future revision (OutOfRange), lease not found (NotFound), key not
 * found for ignore_value/ignore_lease, no space. They come back in the kernel's response and are thrown by
 * the {@code decode} methods.</li>
 * </ul>
 * The kernel validates its encoded bytes again with its own {@code maxRequestBytes}; its encoding of a txn is
 * larger than etcd's protobuf, so give the kernel's {@link MvccConfig} headroom (for instance gRPC's receive
 * limit) if this codec's size rule is to be the only one clients meet.
 */
public final class KvCodec {
    private final int maxRequestBytes;
    private final int maxTxnOps;
    /** etcd's Raft wrapping of a request proposed by this member (see {@link EtcdChecks#raftHeaderBytes}). */
    private final int raftHeaderBytes;
    private final KernelRequestWriter writer = new KernelRequestWriter();
    private final KernelResponseReader reader = new KernelResponseReader();
    /** The kernel's own validator, for etcd's duplicate-key rule; sizes are judged on etcd's measure instead. */
    private final RequestValidator duplicates;

    /** Uses the request size and txn op limits of {@code limits}. */
    public KvCodec(MvccConfig limits) {
        this(limits.maxRequestBytes(), limits.maxTxnOps());
    }

    /**
     * @param maxRequestBytes etcd's {@code --max-request-bytes} (default 1.5 MiB)
     * @param maxTxnOps       etcd's {@code --max-txn-ops} (default 128)
     */
    public KvCodec(int maxRequestBytes, int maxTxnOps) {
        this(maxRequestBytes, maxTxnOps, EtcdChecks.RAFT_HEADER_BYTES);
    }

    /**
     * As {@link #KvCodec(int, int)}, measuring request sizes as etcd does on the member {@code memberId}: etcd's
     * size limit moves by a byte or two with the proposing member's ID.
     */
    public KvCodec(int maxRequestBytes, int maxTxnOps, long memberId) {
        this(maxRequestBytes, maxTxnOps, EtcdChecks.raftHeaderBytes(memberId));
    }

    private KvCodec(int maxRequestBytes, int maxTxnOps, int raftHeaderBytes) {
        if (maxRequestBytes <= 0 || maxTxnOps <= 0) {
            throw new IllegalArgumentException("limits must be positive: maxRequestBytes=" + maxRequestBytes
                    + ", maxTxnOps=" + maxTxnOps);
        }
        this.maxRequestBytes = maxRequestBytes;
        this.maxTxnOps = maxTxnOps;
        this.raftHeaderBytes = raftHeaderBytes;
        this.duplicates = new RequestValidator(Integer.MAX_VALUE, maxTxnOps);
    }

    /**
     * Encodes a Range into {@code out} at 0 (pass an expandable buffer).
     *
     * @return the encoded length
     * @throws StatusRuntimeException with etcd's code and text for a request etcd refuses before reading
     */
    public int encodeRange(RangeRequest r, MutableDirectBuffer out) {
        throwIfError(EtcdChecks.range(r));
        return writer.range(r, out, 0);
    }

    /** Encodes a Put at 0 of {@code out}; returns its length or throws etcd's refusal as a status. */
    public int encodePut(PutRequest r, MutableDirectBuffer out) {
        throwIfError(EtcdChecks.put(r));
        checkRaftSize(r.getSerializedSize());
        return writer.put(r, out, 0);
    }

    /** Encodes a DeleteRange at 0 of {@code out}; returns its length or throws etcd's refusal as a status. */
    public int encodeDeleteRange(DeleteRangeRequest r, MutableDirectBuffer out) {
        throwIfError(EtcdChecks.delete(r));
        checkRaftSize(r.getSerializedSize());
        return writer.delete(r, out, 0);
    }

    /**
     * Encodes a Txn, nested txns included, at 0 of {@code out}; returns its length or throws etcd's refusal
     * as a status (op counts, keys and empty ops first, then duplicate keys, then the size of a writing txn).
     */
    public int encodeTxn(TxnRequest r, MutableDirectBuffer out) {
        throwIfError(EtcdChecks.txn(r, maxTxnOps));
        int length = writer.txn(r, out, 0);
        throwIfError(duplicates.validate(out, 0, length));
        if (!EtcdChecks.readOnly(r)) {
            checkRaftSize(r.getSerializedSize());
        }
        return length;
    }

    /**
     * Encodes a Compact at 0 of {@code out}; returns its length. Compacted and future revisions are refused
     * when the entry is applied, as in etcd.
     */
    public int encodeCompact(CompactionRequest r, MutableDirectBuffer out) {
        checkRaftSize(r.getSerializedSize());
        return SmallRequests.encodeCompact(out, 0, r.getRevision(),
                r.getPhysical() ? SmallRequests.COMPACT_PHYSICAL : 0);
    }

    /**
     * Decodes the kernel's response to a Range.
     *
     * @param header the header to answer with, cluster_id, member_id and raft_term set by the caller; its
     *               revision is set here from the kernel's response
     * @throws StatusRuntimeException if the response carries an {@link MvccError}
     */
    public RangeResponse decodeRange(DirectBuffer b, int off, int len, ResponseHeader.Builder header) {
        var view = reader.open(b, off, len, RequestType.RANGE, 0);
        return reader.range(view, header.setRevision(view.revision()).build());
    }

    /** Decodes the kernel's response to a Put; see {@link #decodeRange}. */
    public PutResponse decodePut(DirectBuffer b, int off, int len, ResponseHeader.Builder header) {
        var view = reader.open(b, off, len, RequestType.PUT, 0);
        return reader.put(view, header.setRevision(view.revision()).build());
    }

    /** Decodes the kernel's response to a DeleteRange; see {@link #decodeRange}. */
    public DeleteRangeResponse decodeDeleteRange(DirectBuffer b, int off, int len, ResponseHeader.Builder header) {
        var view = reader.open(b, off, len, RequestType.DELETE_RANGE, 0);
        return reader.delete(view, header.setRevision(view.revision()).build());
    }

    /**
     * Decodes the kernel's response to a Txn; see {@link #decodeRange}. Each nested response gets a header
     * holding only its own revision, as etcd's do.
     */
    public TxnResponse decodeTxn(DirectBuffer b, int off, int len, ResponseHeader.Builder header) {
        var view = reader.open(b, off, len, RequestType.TXN, 0);
        return reader.txn(view, header.setRevision(view.revision()).build(), 0);
    }

    /** Decodes the kernel's response to a Compact; see {@link #decodeRange}. */
    public CompactionResponse decodeCompact(DirectBuffer b, int off, int len, ResponseHeader.Builder header) {
        var view = reader.open(b, off, len, RequestType.COMPACT, 0);
        return reader.compact(view, header.setRevision(view.revision()).build());
    }

    /**
     * @return the status etcd answers {@code error} with: its gRPC code and exact text
     * @throws IllegalArgumentException for {@link MvccError#OK}, which is no error
     */
    public static StatusRuntimeException toStatus(MvccError error) {
        if (error == MvccError.OK) {
            throw new IllegalArgumentException("MvccError.OK is not an error");
        }
        return Status.fromCodeValue(error.grpcCode()).withDescription(error.message()).asRuntimeException();
    }

    /**
     * @return the status of a failed kernel response: an auth error ({@code AuthError}, e.g. PERMISSION_DENIED)
     * when it carries one, else its {@link MvccError}
     */
    public static StatusRuntimeException toStatus(dev.keel.kernel.mvcc.codec.ResponseView failed) {
        dev.keel.kernel.auth.AuthError auth = dev.keel.kernel.auth.wire.AuthResponseView.authError(failed.buffer(),
                failed.offset(), failed.length());
        if (auth != dev.keel.kernel.auth.AuthError.OK) {
            return Status.fromCodeValue(auth.grpcCode()).withDescription(auth.message()).asRuntimeException();
        }
        return toStatus(failed.error());
    }

    /** @return the request size limit this codec enforces */
    public int maxRequestBytes() {
        return maxRequestBytes;
    }

    /** @return the txn op limit this codec enforces */
    public int maxTxnOps() {
        return maxTxnOps;
    }

    /**
     * @param requestBytes the serialized size of a Put, DeleteRange, Txn or Compaction request
     * @return the size etcd compares with {@code --max-request-bytes} for it
     */
    public static long raftRequestBytes(int requestBytes) {
        return EtcdChecks.raftRequestBytes(requestBytes);
    }

    /**
     * @return the size etcd compares with {@code --max-request-bytes} for a request of {@code requestBytes}
     *         proposed by member {@code memberId}
     */
    public static long raftRequestBytes(int requestBytes, long memberId) {
        return EtcdChecks.raftRequestBytes(requestBytes, EtcdChecks.raftHeaderBytes(memberId));
    }

    private void checkRaftSize(int requestBytes) {
        if (EtcdChecks.raftRequestBytes(requestBytes, raftHeaderBytes) > maxRequestBytes) {
            throw toStatus(MvccError.REQUEST_TOO_LARGE);
        }
    }

    private static void throwIfError(MvccError error) {
        if (error != MvccError.OK) {
            throw toStatus(error);
        }
    }
}
