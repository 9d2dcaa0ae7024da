package dev.keel.node.api.concurrency;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Small helpers for answering a gRPC call from a future's completion. */
final class Calls {
    private Calls() {
    }

    /** @return the status a failed self-call carries (its own status, or UNKNOWN with its message, as grpc-go) */
    static Status statusOf(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof StatusRuntimeException s) {
            return s.getStatus();
        }
        return Status.UNKNOWN.withDescription(String.valueOf(t.getMessage()));
    }

    /**
     * The status the lock and election services answer a failure with: etcd's services return their embedded
     * client's error as a plain error, which grpc-go sends as UNKNOWN with the error's text (observed on
     * 3.4.23: a lock on an unknown lease answers code 2 "etcdserver: requested lease not found").
     */
    static Status asServiceError(Throwable failure) {
        Status s = statusOf(failure);
        return s.getCode() == Status.Code.CANCELLED ? s : Status.UNKNOWN.withDescription(s.getDescription());
    }

    /** Answers a unary call once. */
    static <T> void answer(StreamObserver<T> out, T value, Throwable failure) {
        if (failure != null) {
            out.onError(asServiceError(failure).asRuntimeException());
        } else {
            out.onNext(value);
            out.onCompleted();
        }
    }

    /** @return a flag that turns true when the client cancels the call */
    static java.util.concurrent.atomic.AtomicBoolean cancellation(StreamObserver<?> out) {
        java.util.concurrent.atomic.AtomicBoolean canceled = new java.util.concurrent.atomic.AtomicBoolean();
        if (out instanceof ServerCallStreamObserver<?> s) {
            s.setOnCancelHandler(() -> canceled.set(true));
        }
        return canceled;
    }
}
