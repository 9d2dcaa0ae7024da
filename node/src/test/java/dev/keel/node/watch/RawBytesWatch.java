package dev.keel.node.watch;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Sends bytes that are no WatchRequest (a truncated one) on a Watch stream and reports how the stream ended. */
public final class RawBytesWatch {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = dev.keel.node.badinput.RawGrpc.BYTES;

    private RawBytesWatch() {
    }

    public static Status sendGarbage(String endpoint) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
        try {
            MethodDescriptor<byte[], byte[]> watch = MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(MethodDescriptor.MethodType.BIDI_STREAMING).setFullMethodName("etcdserverpb.Watch/Watch")
                    .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
            CompletableFuture<Status> end = new CompletableFuture<>();
            StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(
                    channel.newCall(watch, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)),
                    new StreamObserver<>() {
                        @Override
                        public void onNext(byte[] value) {
                        }

                        @Override
                        public void onError(Throwable t) {
                            end.complete(Status.fromThrowable(t));
                        }

                        @Override
                        public void onCompleted() {
                            end.complete(Status.OK);
                        }
                    });
            // field 1 (create_request) announced, then the message ends: a truncated message
            requests.onNext(new byte[]{0x0a});
            return end.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            channel.shutdownNow();
        }
    }
}
