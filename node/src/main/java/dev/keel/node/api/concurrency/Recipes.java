package dev.keel.node.api.concurrency;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * etcd's client-side concurrency recipes ({@code clientv3/concurrency}), used by the lock and election services:
 * each contender owns the key {@code <name>/<lease in hex>}, attached to its lease; contenders are ordered by
 * their key's create revision, and one waits for the deletion of every key created before its own.
 */
final class Recipes {
    private final SelfClient client;

    Recipes(SelfClient client) {
        this.client = client;
    }

    /** @return {@code name + "/"}: the prefix of a lock's or an election's keys */
    static ByteString prefix(ByteString name) {
        return name.concat(ByteString.copyFromUtf8("/"));
    }

    /** @return the key lease {@code lease} owns under {@code prefix} (etcd: {@code fmt.Sprintf("%s%x", pfx, lease)}) */
    static ByteString ownKey(ByteString prefix, long lease) {
        return prefix.concat(ByteString.copyFrom(Long.toHexString(lease), StandardCharsets.US_ASCII));
    }

    /** @return the end of the range of keys starting with {@code prefix} (etcd's {@code GetPrefixRangeEnd}) */
    static ByteString prefixEnd(ByteString prefix) {
        byte[] end = prefix.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        return ByteString.copyFrom(new byte[] {0});
    }

    /** The first (oldest) or last (newest) key by create revision under {@code prefix}, at most {@code maxCreate}. */
    static RangeRequest.Builder byCreate(ByteString prefix, RangeRequest.SortOrder order) {
        return RangeRequest.newBuilder().setKey(prefix).setRangeEnd(prefixEnd(prefix))
                .setSortTarget(RangeRequest.SortTarget.CREATE).setSortOrder(order).setLimit(1);
    }

    /**
     * Creates {@code key} with {@code value} on {@code lease} unless it exists (etcd's Mutex.Lock and
     * Election.Campaign first step); also reads the oldest key under {@code prefix}.
     */
    CompletableFuture<TxnResponse> claim(ByteString prefix, ByteString key, ByteString value, long lease) {
        RequestOp oldest = RequestOp.newBuilder().setRequestRange(byCreate(prefix, RangeRequest.SortOrder.ASCEND))
                .build();
        TxnRequest txn = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value)
                        .setLease(lease)))
                .addSuccess(oldest)
                .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)))
                .addFailure(oldest)
                .build();
        return client.txn(txn);
    }

    /** @return the create revision of the key {@link #claim} made or found */
    static long claimedRevision(TxnResponse r) {
        if (r.getSucceeded()) {
            return r.getHeader().getRevision();
        }
        return r.getResponses(0).getResponseRange().getKvs(0).getCreateRevision();
    }

    /** @return the oldest key under the prefix as {@link #claim} read it, or null if none */
    static KeyValue oldest(TxnResponse r) {
        var kvs = r.getResponses(1).getResponseRange().getKvsList();
        return kvs.isEmpty() ? null : kvs.get(0);
    }

    /**
     * Waits until no key under {@code prefix} has a create revision at most {@code maxCreate} (etcd's
     * {@code waitDeletes}): repeatedly finds the newest such key and waits for its deletion.
     *
     * @param canceled whether the caller went away (then the wait fails)
     * @param onWait   told of each wait started, so the caller can cancel it
     * @return the header of the read that found none
     */
    CompletableFuture<ResponseHeader> waitDeletes(ByteString prefix, long maxCreate, BooleanSupplier canceled,
                                                  Consumer<SelfClient.Wait> onWait) {
        RangeRequest newest = byCreate(prefix, RangeRequest.SortOrder.DESCEND).setMaxCreateRevision(maxCreate).build();
        return client.range(newest).thenCompose(r -> {
            if (r.getKvsCount() == 0) {
                return CompletableFuture.completedFuture(r.getHeader());
            }
            if (canceled.getAsBoolean()) {
                return CompletableFuture.failedFuture(io.grpc.Status.CANCELLED.withDescription("context canceled")
                        .asRuntimeException());
            }
            SelfClient.Wait wait = client.waitDelete(r.getKvs(0).getKey(), r.getHeader().getRevision());
            onWait.accept(wait);
            return wait.done.thenCompose(v -> waitDeletes(prefix, maxCreate, canceled, onWait));
        });
    }

    SelfClient client() {
        return client;
    }
}
