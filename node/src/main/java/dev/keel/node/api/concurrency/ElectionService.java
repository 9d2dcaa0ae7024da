package dev.keel.node.api.concurrency;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.CampaignRequest;
import io.etcd.jetcd.api.CampaignResponse;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.ElectionGrpc;
import io.etcd.jetcd.api.LeaderKey;
import io.etcd.jetcd.api.LeaderRequest;
import io.etcd.jetcd.api.LeaderResponse;
import io.etcd.jetcd.api.ProclaimRequest;
import io.etcd.jetcd.api.ProclaimResponse;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResignRequest;
import io.etcd.jetcd.api.ResignResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * etcd's {@code v3election.Election} service: a campaigner owns {@code name/<lease hex>} (its value is what it
 * proclaims) and leads once every older key under {@code name/} is gone; the leader is the oldest key. Errors
 * are etcd's: "election: not leader", "election: no leader", and a missing leader key.
 */
public final class ElectionService extends ElectionGrpc.ElectionImplBase {
    static final Status NOT_LEADER = Status.UNKNOWN.withDescription("election: not leader");
    static final Status NO_LEADER = Status.UNKNOWN.withDescription("election: no leader");
    static final Status MISSING_LEADER_KEY = Status.UNKNOWN.withDescription("\"leader\" field must be provided");
    private final Recipes recipes;

    ElectionService(Recipes recipes) {
        this.recipes = recipes;
    }

    @Override
    public void campaign(CampaignRequest request, StreamObserver<CampaignResponse> out) {
        AtomicBoolean canceled = new AtomicBoolean();
        AtomicReference<SelfClient.Wait> waiting = new AtomicReference<>();
        if (out instanceof ServerCallStreamObserver<?> s) {
            s.setOnCancelHandler(() -> {
                canceled.set(true);
                SelfClient.Wait w = waiting.get();
                if (w != null) {
                    w.cancel();
                }
            });
        }
        ByteString prefix = Recipes.prefix(request.getName());
        ByteString key = Recipes.ownKey(prefix, request.getLease());
        recipes.claim(prefix, key, request.getValue(), request.getLease())
                .thenCompose(claim -> lead(request, claim, prefix, key, canceled, waiting))
                .whenComplete((r, failure) -> Calls.answer(out, r, failure));
    }

    private CompletableFuture<CampaignResponse> lead(CampaignRequest request, TxnResponse claim, ByteString prefix,
                                                     ByteString key, AtomicBoolean canceled,
                                                     AtomicReference<SelfClient.Wait> waiting) {
        long revision = Recipes.claimedRevision(claim);
        LeaderKey leader = LeaderKey.newBuilder().setName(request.getName()).setKey(key).setRev(revision)
                .setLease(request.getLease()).build();
        CompletableFuture<Void> proclaimed = CompletableFuture.completedFuture(null);
        if (!claim.getSucceeded() && !claim.getResponses(0).getResponseRange().getKvs(0).getValue()
                .equals(request.getValue())) {
            // etcd: the same lease campaigns again with another value — proclaim it, resign if that fails
            proclaimed = proclaim(leader, request.getValue()).thenApply(h -> null);
        }
        return proclaimed
                .thenCompose(v -> recipes.waitDeletes(prefix, revision - 1, canceled::get, waiting::set))
                .handle((h, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(CampaignResponse.newBuilder()
                                .setHeader(claim.getHeader()).setLeader(leader).build());
                    }
                    CompletableFuture<ResponseHeader> cleanup = canceled.get()
                            ? resign(leader).handle((x, ignored) -> null) : CompletableFuture.completedFuture(null);
                    return cleanup.thenCompose(x -> CompletableFuture.<CampaignResponse>failedFuture(failure));
                })
                .thenCompose(f -> f);
    }

    @Override
    public void proclaim(ProclaimRequest request, StreamObserver<ProclaimResponse> out) {
        if (!request.hasLeader()) {
            out.onError(MISSING_LEADER_KEY.asRuntimeException());
            return;
        }
        proclaim(request.getLeader(), request.getValue()).whenComplete((h, failure) -> Calls.answer(out,
                failure == null ? ProclaimResponse.newBuilder().setHeader(h).build() : null, failure));
    }

    /** Sets the leader key's value if it is still the key this leader created. */
    private CompletableFuture<ResponseHeader> proclaim(LeaderKey leader, ByteString value) {
        TxnRequest txn = TxnRequest.newBuilder().addCompare(stillOwned(leader))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(leader.getKey())
                        .setValue(value).setLease(leader.getLease())))
                .build();
        return recipes.client().txn(txn).thenCompose(r -> r.getSucceeded()
                ? CompletableFuture.completedFuture(r.getHeader())
                : CompletableFuture.failedFuture(NOT_LEADER.asRuntimeException()));
    }

    @Override
    public void resign(ResignRequest request, StreamObserver<ResignResponse> out) {
        if (!request.hasLeader()) {
            out.onError(MISSING_LEADER_KEY.asRuntimeException());
            return;
        }
        resign(request.getLeader()).whenComplete((h, failure) -> Calls.answer(out,
                failure == null ? ResignResponse.newBuilder().setHeader(h).build() : null, failure));
    }

    /** Deletes the leader key if it is still the key this leader created (etcd: no error when it is not). */
    private CompletableFuture<ResponseHeader> resign(LeaderKey leader) {
        TxnRequest txn = TxnRequest.newBuilder().addCompare(stillOwned(leader))
                .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
                        .setKey(leader.getKey())))
                .build();
        return recipes.client().txn(txn).thenApply(TxnResponse::getHeader);
    }

    private static Compare stillOwned(LeaderKey leader) {
        return Compare.newBuilder().setKey(leader.getKey()).setTarget(Compare.CompareTarget.CREATE)
                .setResult(Compare.CompareResult.EQUAL).setCreateRevision(leader.getRev()).build();
    }

    @Override
    public void leader(LeaderRequest request, StreamObserver<LeaderResponse> out) {
        ByteString prefix = Recipes.prefix(request.getName());
        recipes.client().range(Recipes.byCreate(prefix, RangeRequest.SortOrder.ASCEND).build())
                .thenCompose(r -> r.getKvsCount() == 0
                        ? CompletableFuture.<LeaderResponse>failedFuture(NO_LEADER.asRuntimeException())
                        : CompletableFuture.completedFuture(LeaderResponse.newBuilder().setHeader(r.getHeader())
                        .setKv(r.getKvs(0)).build()))
                .whenComplete((r, failure) -> Calls.answer(out, r, failure));
    }

    @Override
    public void observe(LeaderRequest request, StreamObserver<LeaderResponse> out) {
        LeaderObserver observer = new LeaderObserver(recipes.client(), Recipes.prefix(request.getName()), out);
        if (out instanceof ServerCallStreamObserver<?> s) {
            s.setOnCancelHandler(observer::stop);
        }
        observer.start();
    }

}
