package dev.keel.node.api.concurrency;

import dev.keel.node.tls.ReloadingTls;
import java.util.Optional;
import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import dev.keel.node.api.LeaderClients;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The member's own KV and Watch services, called over its client port as etcd's v3lock and v3election call
 * their embedded client: every read and write takes the normal path (linearizable reads, writes through the
 * log), so the recipes get exactly the guarantees a client would.
 */
final class SelfClient implements AutoCloseable {
    private final Supplier<String> selfUrl;
    /** Cached stubs by URL and type, the same cache followers use to reach their leader. */
    private final LeaderClients clients;

    /**
     * @param selfUrl this member's client URL ({@code http(s)://host:port}), known once its port is bound
     * @param tls     the client port's TLS material when it serves https
     */
    SelfClient(Supplier<String> selfUrl, Optional<ReloadingTls> tls) {
        this.selfUrl = selfUrl;
        this.clients = new LeaderClients(tls);
    }

    private KVGrpc.KVStub kv() {
        return stub(KVGrpc.KVStub.class);
    }

    private WatchGrpc.WatchStub watch() {
        return stub(WatchGrpc.WatchStub.class);
    }

    private <T> T stub(Class<T> type) {
        return clients.stub(List.of(selfUrl.get()), type)
                .orElseThrow(() -> new IllegalStateException("no client URL of this member's scheme: " + selfUrl.get()));
    }

    CompletableFuture<TxnResponse> txn(TxnRequest request) {
        CompletableFuture<TxnResponse> f = new CompletableFuture<>();
        kv().txn(request, unary(f));
        return f;
    }

    CompletableFuture<RangeResponse> range(RangeRequest request) {
        CompletableFuture<RangeResponse> f = new CompletableFuture<>();
        kv().range(request, unary(f));
        return f;
    }

    CompletableFuture<DeleteRangeResponse> delete(ByteString key) {
        CompletableFuture<DeleteRangeResponse> f = new CompletableFuture<>();
        kv().deleteRange(DeleteRangeRequest.newBuilder().setKey(key).build(), unary(f));
        return f;
    }

    /**
     * Completes when {@code key} is deleted at or after {@code revision} (etcd's {@code waitDelete}); fails when
     * the watch is canceled (e.g. the revision was compacted) or the stream breaks.
     *
     * @return the wait, and a way to stop it early (the caller's request was canceled)
     */
    Wait waitDelete(ByteString key, long revision) {
        Wait wait = new Wait();
        StreamObserver<WatchRequest> requests = watch().watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
                if (r.getCanceled()) {
                    wait.done.completeExceptionally(r.getCompactRevision() > 0
                            ? Status.OUT_OF_RANGE.withDescription("etcdserver: mvcc: required revision has been compacted")
                            .asRuntimeException()
                            : Status.UNKNOWN.withDescription("lost watcher waiting for delete").asRuntimeException());
                    return;
                }
                for (Event e : r.getEventsList()) {
                    if (e.getType() == Event.EventType.DELETE) {
                        wait.done.complete(null);
                        return;
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                wait.done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                wait.done.completeExceptionally(Status.UNKNOWN.withDescription("lost watcher waiting for delete")
                        .asRuntimeException());
            }
        });
        wait.requests = requests;
        wait.done.whenComplete((v, t) -> closeQuietly(requests));
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(key).setStartRevision(revision)).build());
        return wait;
    }

    /** A wait for a deletion. */
    static final class Wait {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile StreamObserver<WatchRequest> requests;

        /** Stops waiting (the caller went away). */
        void cancel() {
            done.completeExceptionally(Status.CANCELLED.withDescription("context canceled").asRuntimeException());
        }
    }

    /**
     * Watches {@code [key, rangeEnd)} from {@code revision}, handing every response to {@code onResponse} until
     * the returned stream is closed; {@code onEnd} hears why it ended.
     */
    StreamObserver<WatchRequest> watch(WatchCreateRequest create, Consumer<WatchResponse> onResponse,
                                       Consumer<Throwable> onEnd) {
        StreamObserver<WatchRequest> requests = watch().watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
                onResponse.accept(r);
            }

            @Override
            public void onError(Throwable t) {
                onEnd.accept(t);
            }

            @Override
            public void onCompleted() {
                onEnd.accept(null);
            }
        });
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(create).build());
        return requests;
    }

    static void closeQuietly(StreamObserver<WatchRequest> requests) {
        try {
            requests.onCompleted();
        } catch (RuntimeException ignored) {
            // the stream already ended
        }
    }

    private static <T> StreamObserver<T> unary(CompletableFuture<T> f) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                f.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                f.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                if (!f.isDone()) {
                    f.completeExceptionally(Status.INTERNAL.withDescription("no response").asRuntimeException());
                }
            }
        };
    }

    @Override
    public void close() {
        clients.close();
    }
}
