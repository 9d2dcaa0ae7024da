package dev.keel.node.api.concurrency;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.TxnResponse;
import io.etcd.jetcd.api.lock.LockGrpc;
import io.etcd.jetcd.api.lock.LockRequest;
import io.etcd.jetcd.api.lock.LockResponse;
import io.etcd.jetcd.api.lock.UnlockRequest;
import io.etcd.jetcd.api.lock.UnlockResponse;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * etcd's {@code v3lock.Lock} service. {@code Lock(name, lease)} owns the key {@code name/<lease hex>} on the
 * lease and returns it once every key created before it under {@code name/} is gone; {@code Unlock(key)}
 * deletes it. The lock is only as good as the lease: it is lost when the lease expires, so a holder must pass
 * its key's revision to whatever it protects and have that refuse older revisions (fencing).
 */
public final class LockService extends LockGrpc.LockImplBase {
    private final Recipes recipes;

    LockService(Recipes recipes) {
        this.recipes = recipes;
    }

    @Override
    public void lock(LockRequest request, StreamObserver<LockResponse> out) {
        AtomicBoolean canceled = new AtomicBoolean();
        AtomicReference<SelfClient.Wait> waiting = new AtomicReference<>();
        ByteString prefix = Recipes.prefix(request.getName());
        ByteString key = Recipes.ownKey(prefix, request.getLease());
        recipes.claim(prefix, key, ByteString.EMPTY, request.getLease())
                .thenCompose(claim -> acquire(claim, prefix, key, canceled, waiting))
                .whenComplete((header, failure) -> Calls.answer(out, failure == null
                        ? LockResponse.newBuilder().setHeader(header).setKey(key).build() : null, failure));
        if (out instanceof io.grpc.stub.ServerCallStreamObserver<?> s) {
            s.setOnCancelHandler(() -> {
                canceled.set(true);
                SelfClient.Wait w = waiting.get();
                if (w != null) {
                    w.cancel();
                }
            });
        }
    }

    /** Holds the lock at once if this key is the oldest, else waits for the older ones; gives the key up on failure. */
    private CompletableFuture<ResponseHeader> acquire(TxnResponse claim, ByteString prefix, ByteString key,
                                                      AtomicBoolean canceled,
                                                      AtomicReference<SelfClient.Wait> waiting) {
        long myRevision = Recipes.claimedRevision(claim);
        KeyValue oldest = Recipes.oldest(claim);
        if (oldest == null || oldest.getCreateRevision() == myRevision) {
            return CompletableFuture.completedFuture(claim.getHeader());
        }
        return recipes.waitDeletes(prefix, myRevision - 1, canceled::get, waiting::set)
                .handle((header, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(header);
                    }
                    // etcd: "release lock key if wait failed"
                    return recipes.client().delete(key).handle((d, ignored) -> (ResponseHeader) null)
                            .thenCompose(x -> CompletableFuture.<ResponseHeader>failedFuture(failure));
                })
                .thenCompose(f -> f);
    }

    @Override
    public void unlock(UnlockRequest request, StreamObserver<UnlockResponse> out) {
        recipes.client().delete(request.getKey()).whenComplete((r, failure) -> Calls.answer(out, failure == null
                ? UnlockResponse.newBuilder().setHeader(r.getHeader()).build() : null, failure));
    }
}
