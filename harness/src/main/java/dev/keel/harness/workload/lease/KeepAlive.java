package dev.keel.harness.workload.lease;

import dev.keel.harness.client.EtcdClients;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One keepalive as a unary call: opens a LeaseKeepAlive stream, sends one request, waits for its answer within
 * the deadline; the member then closes the stream. Simpler to record than a long-lived stream (each ack is one operation).
 */
public final class KeepAlive {
    private KeepAlive() {
    }

    /**
     * @return the TTL the member answered ({@code <= 0}: the lease is gone)
     * @throws io.grpc.StatusRuntimeException on an error or when no answer came within {@code timeoutMillis}
     *                                        ({@code DEADLINE_EXCEEDED})
     */
    public static long once(EtcdClients clients, String endpoint, long leaseId, long timeoutMillis) {
        CompletableFuture<LeaseKeepAliveResponse> answer = new CompletableFuture<>();
        StreamObserver<LeaseKeepAliveRequest> requests = clients.leaseStreams(endpoint).leaseKeepAlive(
                new StreamObserver<>() {
                    @Override
                    public void onNext(LeaseKeepAliveResponse value) {
                        answer.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answer.completeExceptionally(Status.UNAVAILABLE
                                .withDescription("keepalive stream ended without an answer").asRuntimeException());
                    }
                });
        try {
            requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build());
            // Half-close at once: the member answers, then ends the stream itself, so no reset frame is sent
            // (a member's HTTP/2 server drops a connection after too many resets, which every workload shares).
            requests.onCompleted();
            return answer.get(timeoutMillis, TimeUnit.MILLISECONDS).getTTL();
        } catch (TimeoutException e) {
            throw Status.DEADLINE_EXCEEDED.withDescription("no keepalive answer in " + timeoutMillis + " ms")
                    .asRuntimeException();
        } catch (ExecutionException e) {
            throw Status.fromThrowable(e.getCause()).asRuntimeException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        } finally {
            if (!answer.isDone() && requests instanceof ClientCallStreamObserver<LeaseKeepAliveRequest> call) {
                call.cancel("no keepalive answer in time", null);
            }
        }
    }
}
