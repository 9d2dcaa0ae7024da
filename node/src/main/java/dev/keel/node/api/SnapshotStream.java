package dev.keel.node.api;

import com.google.protobuf.ByteString;
import dev.keel.replica.snapshot.SavedSnapshot;
import io.etcd.jetcd.api.SnapshotResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Streams a store snapshot as etcd streams its backend, in its {@link SavedSnapshot} envelope: chunks of 32 KiB,
 * each with the bytes still to come in {@code remaining_bytes}, then one last message whose blob is the SHA-256
 * of everything before it (etcd's restore checks it; so does {@code keel snapshot restore}). A client that saves
 * every blob in order holds the snapshot followed by its hash. Chunks are sent only while the call is ready for
 * more (gRPC flow control), so a slow client does not make the server buffer the whole snapshot a second time.
 */
final class SnapshotStream {
    /** etcd's chunk size. */
    static final int CHUNK_BYTES = 32 * 1024;

    private final StreamObserver<SnapshotResponse> out;
    /** The server call, for flow control; null outside a gRPC server (then everything is sent at once). */
    private final ServerCallStreamObserver<SnapshotResponse> call;
    private byte[] data;
    private int length;
    private int sent;
    private MessageDigest sha;
    private boolean done;
    /** Inside {@link #pump}: sending may report readiness at once, which must not recurse (the loop goes on). */
    private boolean pumping;

    private SnapshotStream(StreamObserver<SnapshotResponse> out) {
        this.out = out;
        this.call = out instanceof ServerCallStreamObserver<SnapshotResponse> c ? c : null;
    }

    /** Opens the stream; call from the service method itself (gRPC takes the on-ready handler only then). */
    static SnapshotStream open(StreamObserver<SnapshotResponse> out) {
        SnapshotStream stream = new SnapshotStream(out);
        if (stream.call != null) {
            stream.call.setOnReadyHandler(stream::pump);
        }
        return stream;
    }

    /** The store snapshot {@code store[0, storeLength)} is here: send it in its envelope, then its hash. */
    synchronized void send(byte[] store, int storeLength) {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            done = true;
            out.onError(Status.INTERNAL.withDescription("no SHA-256 in this JVM").asRuntimeException());
            return;
        }
        data = new byte[SavedSnapshot.length(storeLength)];
        length = SavedSnapshot.write(new UnsafeBuffer(store), 0, storeLength, new UnsafeBuffer(data));
        pump();
    }

    private synchronized void pump() {
        if (data == null || done || pumping) {
            return;
        }
        pumping = true;
        try {
            drain();
        } finally {
            pumping = false;
        }
    }

    private void drain() {
        while (call == null || call.isReady()) {
            if (call != null && call.isCancelled()) {
                done = true; // the client went away: nothing more to send
                return;
            }
            if (sent == length) {
                out.onNext(SnapshotResponse.newBuilder().setRemainingBytes(0)
                        .setBlob(ByteString.copyFrom(sha.digest())).build());
                out.onCompleted();
                done = true;
                data = null;
                return;
            }
            int n = Math.min(CHUNK_BYTES, length - sent);
            sha.update(data, sent, n);
            out.onNext(SnapshotResponse.newBuilder().setRemainingBytes(length - sent - n)
                    .setBlob(ByteString.copyFrom(data, sent, n)).build());
            sent += n;
        }
    }
}
