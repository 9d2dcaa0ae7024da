package dev.keel.node.api;

import dev.keel.node.HeaderFacts;
import dev.keel.node.Reply;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.Executor;

/**
 * A unary gRPC call's reply: the kernel thread hands over the response bytes; building the protobuf message and
 * writing it happen on the call's own event loop, so the kernel thread only copies.
 *
 * @param <T> the protobuf response type
 */
final class GrpcReply<T> extends Reply {
    /** Builds the protobuf response from the kernel's bytes (runs on the call's thread). */
    interface Decoder<T> {
        T decode(byte[] response, HeaderFacts facts);
    }

    private final StreamObserver<T> observer;
    private final Decoder<T> decoder;
    private final Executor executor;

    GrpcReply(StreamObserver<T> observer, Decoder<T> decoder) {
        this.observer = observer;
        this.decoder = decoder;
        this.executor = CallThread.current();
    }

    @Override
    public void succeeded(byte[] mvccResponse, HeaderFacts facts) {
        executor.execute(() -> {
            T response;
            try {
                response = decoder.decode(mvccResponse, facts);
            } catch (StatusRuntimeException e) {
                observer.onError(e);
                return;
            }
            observer.onNext(response);
            observer.onCompleted();
        });
    }

    @Override
    public void failed(Status status) {
        executor.execute(() -> observer.onError(status.asRuntimeException()));
    }
}
