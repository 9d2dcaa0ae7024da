package dev.keel.node.gateway;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;

import java.util.concurrent.CompletableFuture;

/** Calls a unary gRPC method of a local service in process and completes with its answer (or its status). */
public final class UnaryInvoker {
    private UnaryInvoker() {
    }

    /** Call on an event loop with a request context current, as gRPC calls run; the service answers there. */
    public static <Q, R> CompletableFuture<R> call(ServerMethodDefinition<Q, R> method, Q request) {
        CompletableFuture<R> answer = new CompletableFuture<>();
        ServerCall<Q, R> call = new ServerCall<>() {
            private R message;

            @Override
            public void request(int numMessages) {
            }

            @Override
            public void sendHeaders(Metadata headers) {
            }

            @Override
            public void sendMessage(R m) {
                message = m;
            }

            @Override
            public void close(Status status, Metadata trailers) {
                if (status.isOk()) {
                    answer.complete(message);
                } else {
                    answer.completeExceptionally(status.asRuntimeException());
                }
            }

            @Override
            public boolean isCancelled() {
                return answer.isDone();
            }

            @Override
            public Attributes getAttributes() {
                return Attributes.EMPTY;
            }

            @Override
            public MethodDescriptor<Q, R> getMethodDescriptor() {
                return method.getMethodDescriptor();
            }
        };
        try {
            ServerCall.Listener<Q> listener = method.getServerCallHandler().startCall(call, new Metadata());
            listener.onMessage(request);
            listener.onHalfClose();
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
        }
        return answer;
    }
}
