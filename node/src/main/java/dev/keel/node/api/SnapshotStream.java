package dev.keel.node.api;

import com.google.protobuf.ByteString;
import dev.keel.replica.snapshot.SavedSnapshot;
import io.etcd.jetcd.api.SnapshotResponse;
import org.agrona.concurrent.UnsafeBuffer;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Streams a store snapshot as etcd streams its backend, in its {@link SavedSnapshot} envelope: chunks of 32 KiB, each with the bytes still to come in
 * {@code remaining_bytes}, then one last message whose blob is the SHA-256 of everything before it (etcd's
 * restore checks it; so does {@code keel snapshot restore}). A client that saves every blob in order holds the
 * snapshot followed by its hash.
 */
final class SnapshotStream {
    /** etcd's chunk size. */
    static final int CHUNK_BYTES = 32 * 1024;

    private SnapshotStream() {
    }

    /** Sends the store snapshot {@code store[0, storeLength)} in its {@link SavedSnapshot} envelope. */
    static void send(byte[] store, int storeLength, StreamObserver<SnapshotResponse> out) {
        byte[] data = new byte[SavedSnapshot.length(storeLength)];
        int length = SavedSnapshot.write(new UnsafeBuffer(store), 0, storeLength, new UnsafeBuffer(data));
        sendBytes(data, length, out);
    }

    private static void sendBytes(byte[] data, int length, StreamObserver<SnapshotResponse> out) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            out.onError(Status.INTERNAL.withDescription("no SHA-256 in this JVM").asRuntimeException());
            return;
        }
        for (int sent = 0; sent < length; ) {
            if (out instanceof ServerCallStreamObserver<?> call && call.isCancelled()) {
                return; // the client went away: nothing more to send
            }
            int n = Math.min(CHUNK_BYTES, length - sent);
            sha.update(data, sent, n);
            out.onNext(SnapshotResponse.newBuilder().setRemainingBytes(length - sent - n)
                    .setBlob(ByteString.copyFrom(data, sent, n)).build());
            sent += n;
        }
        out.onNext(SnapshotResponse.newBuilder().setRemainingBytes(0)
                .setBlob(ByteString.copyFrom(sha.digest())).build());
        out.onCompleted();
    }
}
