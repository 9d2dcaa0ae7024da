package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.RequestType;
import dev.keel.kernel.testing.Property;
import dev.keel.kernel.util.SplitMix64;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
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
        Property.forAll("mvcc-model", 300, seed -> {
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
        TestStore store = new TestStore();
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
        return null;
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
