package dev.keel.benchmarks.load;

import io.grpc.stub.StreamObserver;

import java.util.function.Consumer;

/** Adapts one unary gRPC answer to a {@link Operation.Completion}, looking at the response first if asked. */
final class Unary<T> implements StreamObserver<T> {
    private final Operation.Completion done;
    private final Consumer<T> onResponse;
    private T response;

    Unary(Operation.Completion done, Consumer<T> onResponse) {
        this.done = done;
        this.onResponse = onResponse;
    }

    Unary(Operation.Completion done) {
        this(done, r -> { });
    }

    @Override
    public void onNext(T value) {
        response = value;
    }

    @Override
    public void onError(Throwable t) {
        done.failed(t);
    }

    @Override
    public void onCompleted() {
        try {
            onResponse.accept(response);
        } catch (RuntimeException e) {
            done.failed(e);
            return;
        }
        done.succeeded();
    }
}
