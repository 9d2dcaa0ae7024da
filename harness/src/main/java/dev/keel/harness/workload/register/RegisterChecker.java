package dev.keel.harness.workload.register;

import dev.keel.harness.workload.EventTimes;
import dev.keel.harness.workload.WorkloadResult.Outcome;
import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.JepsenEdn;
import dev.keel.linearizability.history.OpType;
import dev.keel.linearizability.history.Operation;
import dev.keel.linearizability.model.Model;
import dev.keel.linearizability.model.Models;
import dev.keel.linearizability.model.RegisterModel;
import dev.keel.linearizability.report.HtmlReport;
import dev.keel.linearizability.search.Budget;
import dev.keel.linearizability.search.CheckResult;
import dev.keel.linearizability.search.Checker;
import dev.keel.linearizability.search.Counterexample;
import dev.keel.linearizability.search.Verdict;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Judges a register history with Keel's linearizability checker, exactly as
 * {@code keel-check --model cas-register --independent} would: each key an independent Knossos
 * {@code cas-register} starting at {@code nil}. Pure: it sees only the recorded EDN text.
 */
public final class RegisterChecker {
    /** The default time budget of a check. */
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(60);

    private RegisterChecker() {
    }

    /** @return the model the register history is checked against */
    public static Model<?> model() {
        return Models.independent(RegisterModel.casRegister(null));
    }

    /**
     * @param edn    the history as the recorder wrote it
     * @param budget how long the search may take before the answer is unknown
     * @return the verdict, with a headline and, on failure, the HTML report of the counterexample
     * @throws dev.keel.linearizability.history.InvalidHistoryException if the history is malformed
     */
    public static RegisterVerdict check(String edn, Duration budget) {
        History history = JepsenEdn.read(edn);
        Model<?> model = model();
        CheckResult result = Checker.check(history, model, Budget.of(budget));
        if (result.verdict() == Verdict.LINEARIZABLE) {
            return new RegisterVerdict(Outcome.PASS, passHeadline(history), Optional.empty());
        }
        if (result.verdict() == Verdict.UNKNOWN) {
            return new RegisterVerdict(Outcome.UNKNOWN, "the checker could not decide within "
                    + budget.toSeconds() + " s (" + result.reason() + "; " + result.partsDecided() + " of "
                    + result.parts() + " keys decided)", Optional.empty());
        }
        Counterexample counterexample = result.counterexample().orElseThrow();
        return new RegisterVerdict(Outcome.FAIL, failHeadline(counterexample, EventTimes.of(edn)),
                Optional.of(HtmlReport.render(counterexample, model.name())));
    }

    private static String passHeadline(History history) {
        long reads = 0;
        long writes = 0;
        long cas = 0;
        long casRefused = 0;
        long indeterminate = 0;
        Set<Object> keys = new HashSet<>();
        for (Operation op : history.operations()) {
            keys.add(((List<?>) op.input()).get(0));
            if (op.type() == OpType.INFO) {
                indeterminate++;
            } else if (op.type() == OpType.OK) {
                switch (op.f()) {
                    case "read" -> reads++;
                    case "write" -> writes++;
                    default -> cas++;
                }
            } else if (op.f().equals("cas")) {
                casRefused++;
            }
        }
        return reads + " reads, " + writes + " writes and " + cas + " successful cas (" + casRefused
                + " refused, " + indeterminate + " indeterminate operations) on " + keys.size()
                + " keys are linearizable as independent cas-registers";
    }

    /** Names the key and the read the search could not place, with its run times and what the key could hold. */
    static String failHeadline(Counterexample c, EventTimes times) {
        String key = EdnWriter.write(c.key());
        String couldHold = c.states().size() == 1 ? c.states().get(0) : "one of " + String.join(", ", c.states());
        Optional<Operation> read = offendingRead(c);
        if (read.isPresent()) {
            Operation op = read.get();
            return "read of key " + key + " returned " + EdnWriter.write(op.output()) + " at "
                    + times.at(op.completeTime()) + " (invoked " + times.at(op.invokeTime()) + ", process "
                    + op.process() + "), but no linearization allows it: the key could only hold " + couldHold
                    + " there (see register.html)";
        }
        Operation op = c.blocked();
        return ":" + op.f() + " " + EdnWriter.write(op.input()) + " of key " + key + " (process " + op.process()
                + ", invoked " + times.at(op.invokeTime()) + ") cannot be linearized: the key could only hold "
                + couldHold + " there (see register.html)";
    }

    /** @return the blocked operation if it is a completed read, else the first completed read of the window */
    private static Optional<Operation> offendingRead(Counterexample c) {
        if (isOkRead(c.blocked())) {
            return Optional.of(c.blocked());
        }
        return c.window().stream().filter(RegisterChecker::isOkRead).findFirst();
    }

    private static boolean isOkRead(Operation op) {
        return op.f().equals("read") && op.type() == OpType.OK;
    }
}
