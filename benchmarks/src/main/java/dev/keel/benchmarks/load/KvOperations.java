package dev.keel.benchmarks.load;

import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The KV workloads' requests. {@link Operation#start} runs on the dispatcher's thread only, so one random
 * stream per operation is enough; answers arrive on the connections' event loops.
 */
final class KvOperations {
    /** Counter of {@code txn-cas}: transactions whose compare held (the put happened). */
    static final String CAS_SUCCEEDED = "cas-succeeded";
    /** Counter of {@code txn-cas}: transactions whose compare failed (someone wrote first; the key was read). */
    static final String CAS_FAILED = "cas-failed";
    /** etcd's default {@code --max-txn-ops}, and Keel's. */
    static final int MAX_TXN_OPS = 128;

    private KvOperations() {
    }

    /** {@code KV.Put} of a random key. */
    static Operation put(Connections c, Keys keys) {
        SplittableRandom random = new SplittableRandom(1);
        return (slot, seq, intended, done) -> c.kv(slot).put(putOf(keys, random.nextInt(keys.space())),
                new Unary<>(done));
    }

    /** {@code KV.Range} of a random key. */
    static Operation range(Connections c, Keys keys, boolean serializable) {
        SplittableRandom random = new SplittableRandom(2);
        return (slot, seq, intended, done) -> c.kv(slot).range(rangeOf(keys, random.nextInt(keys.space()),
                serializable), new Unary<>(done));
    }

    /** Ranges with probability {@code readRatio}, puts otherwise. */
    static Operation mixed(Connections c, Keys keys, double readRatio, boolean serializable) {
        SplittableRandom random = new SplittableRandom(3);
        return (slot, seq, intended, done) -> {
            int k = random.nextInt(keys.space());
            if (random.nextDouble() < readRatio) {
                c.kv(slot).range(rangeOf(keys, k, serializable), new Unary<>(done));
            } else {
                c.kv(slot).put(putOf(keys, k), new Unary<>(done));
            }
        };
    }

    /**
     * Compare-and-swap: {@code if mod_revision(key) == last seen then put key else range key}. The last seen
     * mod_revision of each key is the put's revision when the compare held, and the read one when it did not,
     * so clients racing on a key make each other miss as real CAS users do.
     */
    static Operation txnCas(Connections c, Keys keys, Recording rec) {
        SplittableRandom random = new SplittableRandom(4);
        AtomicLongArray seen = new AtomicLongArray(keys.space());
        return (slot, seq, intended, done) -> {
            int k = random.nextInt(keys.space());
            TxnRequest txn = TxnRequest.newBuilder()
                    .addCompare(Compare.newBuilder().setKey(keys.key(k)).setTarget(Compare.CompareTarget.MOD)
                            .setResult(Compare.CompareResult.EQUAL).setModRevision(seen.get(k)))
                    .addSuccess(RequestOp.newBuilder().setRequestPut(putOf(keys, k)))
                    .addFailure(RequestOp.newBuilder().setRequestRange(rangeOf(keys, k, false)))
                    .build();
            c.kv(slot).txn(txn, new Unary<>(done, (TxnResponse r) -> {
                boolean measured = rec.measured(intended);
                if (r.getSucceeded()) {
                    seen.set(k, r.getHeader().getRevision());
                } else {
                    var kvs = r.getResponses(0).getResponseRange().getKvsList();
                    seen.set(k, kvs.isEmpty() ? 0 : kvs.get(0).getModRevision());
                }
                if (measured) {
                    rec.count(r.getSucceeded() ? CAS_SUCCEEDED : CAS_FAILED);
                }
            }));
        };
    }

    /**
     * Writes keys {@code 0 .. count-1} in transactions of up to {@link #MAX_TXN_OPS} puts: request {@code seq}
     * writes keys {@code seq * 128 ..}. Sent with {@code ceil(count / 128)} as the plan's total.
     */
    static Operation fill(Connections c, Keys keys, long count) {
        return (slot, seq, intended, done) -> {
            TxnRequest.Builder txn = TxnRequest.newBuilder();
            for (long k = seq * MAX_TXN_OPS; k < Math.min(count, (seq + 1) * MAX_TXN_OPS); k++) {
                txn.addSuccess(RequestOp.newBuilder().setRequestPut(putOf(keys, k)));
            }
            c.kv(slot).txn(txn.build(), new Unary<>(done));
        };
    }

    private static PutRequest putOf(Keys keys, long k) {
        return PutRequest.newBuilder().setKey(keys.key(k)).setValue(keys.value()).build();
    }

    private static RangeRequest rangeOf(Keys keys, long k, boolean serializable) {
        return RangeRequest.newBuilder().setKey(keys.key(k)).setSerializable(serializable).build();
    }
}
