package dev.keel.linearizability.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.JepsenEdn;
import dev.keel.linearizability.model.Model;
import dev.keel.linearizability.search.Budget;
import dev.keel.linearizability.search.CheckResult;
import dev.keel.linearizability.search.Checker;
import dev.keel.linearizability.search.Verdict;

/** Assertions for hand-written histories: the checker and the brute-force reference must both give the verdict. */
public final class Verdicts {
    private Verdicts() {
    }

    /**
     * @param expected the verdict the history must get
     * @param model    the model to check against
     * @param edn      the history in Jepsen EDN
     * @return the checker's full result, for further assertions
     */
    public static CheckResult assertVerdict(Verdict expected, Model<?> model, String edn) {
        History history = JepsenEdn.read(edn);
        CheckResult result = Checker.check(history, model, Budget.unlimitedTime(), 1);
        assertEquals(expected, result.verdict(), "checker on\n" + edn);
        boolean reference = BruteForce.isLinearizable(history, model);
        assertEquals(expected == Verdict.LINEARIZABLE, reference, "brute force on\n" + edn);
        return result;
    }
}
