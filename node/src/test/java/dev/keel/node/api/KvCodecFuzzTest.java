package dev.keel.node.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.keel.kernel.mvcc.MvccConfig;
import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.testing.Property;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.grpc.StatusRuntimeException;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random protobuf requests (small key alphabet, out-of-range enums, empty keys and ops, nested txns,
 * mismatched compare unions) against a real state machine: encoding either succeeds or throws one of etcd's
 * statuses; what the codec accepts the kernel's validator accepts too; every kernel response decodes (or
 * carries an apply-time error, thrown as etcd's status).
 */
class KvCodecFuzzTest {
    private static final int REQUESTS_PER_SEED = 300;
    private static final Set<MvccError> APPLY_TIME = EnumSet.of(MvccError.COMPACTED, MvccError.FUTURE_REVISION,
            MvccError.LEASE_NOT_FOUND, MvccError.KEY_NOT_FOUND);

    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(64);
    /** Outcomes of one seed, so a generator that only ever produces refusals (or none) is noticed. */
    private int answered;
    private int refused;

    @Test
    void randomRequestsEncodeOrAreRefusedAndEveryResponseDecodes() {
        Property.forAll("KvCodecFuzzTest", 40, seed -> {
            Random random = new Random(seed);
            // Small limits so refusals for size and op counts come up often.
            MvccConfig config = new MvccConfig().maxTxnOps(6).maxRequestBytes(300);
            KvCodec codec = new KvCodec(config);
            KernelHarness kv = new KernelHarness(new MvccConfig().maxTxnOps(6), codec);
            long lease = kv.grantLease(100);
            answered = 0;
            refused = 0;
            for (int i = 0; i < REQUESTS_PER_SEED; i++) {
                oneRequest(random, codec, kv, lease);
                if (random.nextInt(40) == 0 && kv.machine.revision() > 2) {
                    tryRun(() -> kv.compact(1 + random.nextInt((int) kv.machine.revision())), false);
                }
            }
            assertTrue(answered > REQUESTS_PER_SEED / 3 && refused > 10, answered + " answered, " + refused
                    + " refused");
        });
    }

    private void oneRequest(Random random, KvCodec codec, KernelHarness kv, long lease) {
        switch (random.nextInt(4)) {
            case 0: {
                RangeRequest r = range(random, kv);
                tryEncode(() -> codec.encodeRange(r, scratch), kv);
                tryRun(() -> kv.range(r), true);
                break;
            }
            case 1: {
                PutRequest r = put(random, lease);
                tryEncode(() -> codec.encodePut(r, scratch), kv);
                tryRun(() -> kv.put(r), true);
                break;
            }
            case 2: {
                DeleteRangeRequest r = delete(random);
                tryEncode(() -> codec.encodeDeleteRange(r, scratch), kv);
                tryRun(() -> kv.delete(r), true);
                break;
            }
            default: {
                TxnRequest r = txn(random, kv, lease, 0);
                tryEncode(() -> codec.encodeTxn(r, scratch), kv);
                tryRun(() -> kv.txn(r), true);
                break;
            }
        }
    }

    /** What the codec accepts, the kernel's validator must accept too (both follow etcd). */
    private void tryEncode(java.util.function.IntSupplier encode, KernelHarness kv) {
        int length;
        try {
            length = encode.getAsInt();
        } catch (StatusRuntimeException e) {
            assertKnown(e);
            return;
        }
        assertEquals(MvccError.OK, kv.machine.validate(scratch, 0, length));
    }

    /** Runs a request end to end; only etcd statuses may escape, apply-time ones only when allowed. */
    private void tryRun(Runnable call, boolean refusalsAllowed) {
        try {
            call.run();
            answered++;
        } catch (StatusRuntimeException e) {
            MvccError error = assertKnown(e);
            refused++;
            assertTrue(refusalsAllowed || APPLY_TIME.contains(error), "unexpected " + error);
        }
    }

    private static MvccError assertKnown(StatusRuntimeException e) {
        for (MvccError error : MvccError.values()) {
            if (error != MvccError.OK && error.message().equals(e.getStatus().getDescription())) {
                assertEquals(error.grpcCode(), e.getStatus().getCode().value(), error.name());
                assertTrue(error != MvccError.MALFORMED_REQUEST, "the codec wrote bytes the kernel cannot read");
                return error;
            }
        }
        throw new AssertionError("not one of etcd's errors: " + e.getStatus());
    }

    private static ByteString key(Random random) {
        int roll = random.nextInt(20);
        if (roll == 0) {
            return ByteString.EMPTY;
        }
        if (roll == 1) {
            return ByteString.copyFrom(new byte[] {0});
        }
        return ByteString.copyFromUtf8(String.valueOf((char) ('a' + random.nextInt(5))));
    }

    private static ByteString rangeEnd(Random random) {
        int roll = random.nextInt(4);
        return roll == 0 ? ByteString.copyFrom(new byte[] {0}) : roll == 1 ? key(random) : ByteString.EMPTY;
    }

    private static ByteString value(Random random) {
        return random.nextInt(30) == 0 ? ByteString.copyFrom(new byte[400])
                : ByteString.copyFromUtf8("v" + random.nextInt(3));
    }

    private static long revision(Random random, KernelHarness kv) {
        return random.nextInt(3) == 0 ? random.nextInt((int) kv.machine.revision() + 3) - 1 : 0;
    }

    private static RangeRequest range(Random random, KernelHarness kv) {
        return RangeRequest.newBuilder().setKey(key(random)).setRangeEnd(rangeEnd(random))
                .setLimit(random.nextInt(4) - 1).setRevision(revision(random, kv))
                .setSortOrderValue(random.nextInt(10) == 0 ? 300 : random.nextInt(3))
                .setSortTargetValue(random.nextInt(10) == 0 ? -2 : random.nextInt(5))
                .setKeysOnly(random.nextBoolean()).setCountOnly(random.nextInt(4) == 0)
                .setSerializable(random.nextBoolean())
                .setMinModRevision(random.nextInt(5) == 0 ? random.nextInt(10) : 0)
                .setMaxModRevision(random.nextInt(5) == 0 ? random.nextInt(10) : 0)
                .setMinCreateRevision(random.nextInt(5) == 0 ? random.nextInt(10) : 0)
                .setMaxCreateRevision(random.nextInt(5) == 0 ? random.nextInt(10) : 0)
                .build();
    }

    private static PutRequest put(Random random, long lease) {
        PutRequest.Builder r = PutRequest.newBuilder().setKey(key(random)).setPrevKv(random.nextBoolean());
        if (random.nextInt(6) == 0) {
            r.setIgnoreValue(true);
        } else {
            r.setValue(value(random));
        }
        if (random.nextInt(6) == 0) {
            r.setIgnoreLease(true);
        }
        if (random.nextInt(4) == 0) {
            r.setLease(random.nextInt(3) == 0 ? lease + 1 : lease);
        }
        return r.build();
    }

    private static DeleteRangeRequest delete(Random random) {
        return DeleteRangeRequest.newBuilder().setKey(key(random)).setRangeEnd(rangeEnd(random))
                .setPrevKv(random.nextBoolean()).build();
    }

    private static Compare compare(Random random, long lease) {
        Compare.Builder c = Compare.newBuilder().setKey(key(random)).setRangeEnd(random.nextInt(4) == 0
                ? rangeEnd(random) : ByteString.EMPTY);
        c.setResultValue(random.nextInt(12) == 0 ? 1000 : random.nextInt(4));
        c.setTargetValue(random.nextInt(12) == 0 ? 77 : random.nextInt(5));
        switch (random.nextInt(6)) {
            case 0:
                c.setVersion(random.nextInt(4));
                break;
            case 1:
                c.setCreateRevision(random.nextInt(8));
                break;
            case 2:
                c.setModRevision(random.nextInt(8));
                break;
            case 3:
                c.setValue(value(random));
                break;
            case 4:
                c.setUnknownFields(UnknownFieldSet.newBuilder().addField(KernelRequestWriter.COMPARE_LEASE_FIELD,
                        UnknownFieldSet.Field.newBuilder().addVarint(lease).build()).build());
                break;
            default:
                break;
        }
        return c.build();
    }

    private static TxnRequest txn(Random random, KernelHarness kv, long lease, int depth) {
        TxnRequest.Builder r = TxnRequest.newBuilder();
        int compares = random.nextInt(depth == 0 ? 4 : 2);
        for (int i = 0; i < compares; i++) {
            r.addCompare(compare(random, lease));
        }
        int success = random.nextInt(depth == 0 ? 8 : 3);
        for (int i = 0; i < success; i++) {
            r.addSuccess(op(random, kv, lease, depth));
        }
        int failure = random.nextInt(depth == 0 ? 4 : 3);
        for (int i = 0; i < failure; i++) {
            r.addFailure(op(random, kv, lease, depth));
        }
        return r.build();
    }

    private static RequestOp op(Random random, KernelHarness kv, long lease, int depth) {
        int roll = random.nextInt(40);
        if (roll == 0) {
            return RequestOp.getDefaultInstance();
        }
        if (roll < 5 && depth < 3) {
            return RequestOp.newBuilder().setRequestTxn(txn(random, kv, lease, depth + 1)).build();
        }
        switch (roll % 3) {
            case 0:
                return RequestOp.newBuilder().setRequestRange(range(random, kv)).build();
            case 1:
                return RequestOp.newBuilder().setRequestPut(put(random, lease)).build();
            default:
                return RequestOp.newBuilder().setRequestDeleteRange(delete(random)).build();
        }
    }
}
