package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.testing.Property;
import dev.keel.kernel.util.SplitMix64;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stateful test: random sequences of put/delete/range/txn/compact/lease operations, applied both to the
 * state machine (through validate, apply and the direct range path) and to {@link ReferenceModel}; every
 * response must be equal field by field (revisions, versions, more, count, kvs, errors). A failure prints
 * the seed and a minimized operation sequence.
 */
class MvccModelTest {
    private static final int OPS = 150;

    @Test
    void stateMachineAgreesWithReferenceModel() {
        Property.forAll("mvcc-model", 1000, seed -> {
            List<Op> ops = generate(seed);
            String failure = run(ops);
            if (failure != null) {
                List<Op> minimal = minimize(ops);
                StringBuilder b = new StringBuilder("model mismatch: " + failure + "\nminimized sequence ("
                        + minimal.size() + " of " + ops.size() + " ops):\n");
                for (Op op : minimal) {
                    b.append("  ").append(op).append('\n');
                }
                b.append("last step: ").append(run(minimal));
                throw new AssertionError(b.toString());
            }
        });
    }

    private static List<Op> generate(long seed) {
        // Generation reads the model's revisions; run a model alongside so ranges and compactions stay relevant.
        ReferenceModel model = newModel();
        OpGenerator generator = new OpGenerator(new SplitMix64(seed), model);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < OPS; i++) {
            Op op = generator.next();
            ops.add(op);
            model.apply(op);
        }
        return ops;
    }

    static ReferenceModel newModel() {
        return new ReferenceModel(MvccConfig.DEFAULT_MIN_LEASE_TTL_SECONDS, MvccConfig.DEFAULT_MAX_TXN_OPS);
    }

    /** @return null if every response matched, else a description of the first mismatch */
    static String run(List<Op> ops) {
        ReferenceModel model = newModel();
        // A tiny compaction budget interleaves physical removal with later operations.
        TestStore store = new TestStore(new MvccConfig().compactionStepBudget(1 + ops.size() % 7));
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            Response expected = model.apply(op);
            Response actual = op instanceof Op.Range r && i % 2 == 0 ? store.range(r) : store.apply(op);
            if (op instanceof Op.Range && expected.error() != MvccError.OK) {
                expected = Response.error(RequestType.RANGE, expected.error(), 0);
            }
            if (!expected.equals(actual)) {
                return "op #" + i + " " + op + "\n  expected " + expected + "\n  actual   " + actual;
            }
            if (store.sm.revision() != model.current || store.sm.compactRevision() != model.compacted) {
                return "op #" + i + " " + op + ": revisions differ";
            }
        }
        return checkHistoryAndSnapshot(model, store);
    }

    /** Every readable revision answers as the model does, before and after a snapshot round trip. */
    private static String checkHistoryAndSnapshot(ReferenceModel model, TestStore store) {
        TestStore restored = new TestStore();
        ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer();
        int length = store.sm.snapshot(snapshot);
        if (!restored.sm.restore(snapshot, 0, length)) {
            return "restore refused the snapshot";
        }
        ExpandableArrayBuffer again = new ExpandableArrayBuffer();
        if (restored.sm.snapshot(again) != length || !Arrays.equals(Arrays.copyOf(snapshot.byteArray(), length),
                Arrays.copyOf(again.byteArray(), length))) {
            return "snapshot of the restored store differs";
        }
        if (restored.sm.usedBytes() != store.sm.usedBytes()) {
            return "quota usage differs after restore: " + store.sm.usedBytes() + " vs " + restored.sm.usedBytes();
        }
        for (long rev = Math.max(1, model.compacted); rev <= model.current; rev++) {
            Op.Range all = Op.Range.of("\0", "\0").at(rev);
            Response expected = model.apply(all);
            if (!expected.equals(store.range(all)) || !expected.equals(restored.range(all))) {
                return "history at revision " + rev + " differs: expected " + expected + "\n  store    "
                        + store.range(all) + "\n  restored " + restored.range(all);
            }
            if (rev > model.compacted && hash(store, rev) != hash(restored, rev)) {
                return "hashKv at " + rev + " differs after restore";
            }
        }
        return null;
    }

    private static long hash(TestStore store, long revision) {
        ExpandableArrayBuffer out = new ExpandableArrayBuffer();
        store.sm.hashKv(revision, out);
        return out.getLong(ResponseLayout.HEADER_LENGTH);
    }

    /** Greedy one-at-a-time removal while the failure persists; cheap enough for 150 ops. */
    static List<Op> minimize(List<Op> ops) {
        List<Op> current = new ArrayList<>(ops);
        boolean shrunk = true;
        while (shrunk) {
            shrunk = false;
            for (int i = current.size() - 1; i >= 0; i--) {
                List<Op> candidate = new ArrayList<>(current);
                candidate.remove(i);
                if (run(candidate) != null) {
                    current = candidate;
                    shrunk = true;
                }
            }
        }
        return current;
    }
}
