package dev.keel.linearizability.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.linearizability.gen.HistoryGenerator;
import dev.keel.linearizability.gen.HistoryGenerator.Spec;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.JepsenEdn;
import dev.keel.linearizability.history.Operation;
import dev.keel.linearizability.model.Models;
import dev.keel.linearizability.search.Budget;
import dev.keel.linearizability.search.Checker;
import dev.keel.linearizability.search.Counterexample;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    private static final String HISTORY = """
            [{:process 0 :type :invoke :f :write :value 1}
             {:process 0 :type :ok :f :write :value 1}
             {:process 1 :type :invoke :f :write :value 3}
             {:process 1 :type :info :f :write :value 3}
             {:process 2 :type :invoke :f :cas :value [7 8]}
             {:process 2 :type :fail :f :cas :value [7 8]}
             {:process 0 :type :invoke :f :read :value nil}
             {:process 0 :type :ok :f :read :value "<b>&"}]""";

    @Test
    void theReportIsOneSelfContainedPageWithLanesTheWindowAndTheStates() {
        Counterexample c = counterexample(JepsenEdn.read(HISTORY));
        String html = HtmlReport.render(c, "cas-register");
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(Pattern.compile("(src|href)\\s*=|@import|url\\((?!#)").matcher(html).find(),
                "nothing may be fetched: no src, href, @import or external url()");
        for (String lane : List.of("process 0", "process 1", "process 2")) {
            assertTrue(html.contains(">" + lane + "</text>"), lane);
        }
        assertTrue(html.contains("class=\"windowspan\""), "the failing window is shaded");
        assertTrue(html.contains("class=\"bar blocked\""), "the blocked operation is marked");
        assertTrue(html.contains("<td>info 3</td>"), "the indeterminate write is in the window");
        assertTrue(html.contains("class=\"bar failed\""), "failed operations are drawn");
        assertTrue(html.contains("<li><code>1</code></li>") && html.contains("<li><code>3</code></li>"),
                "both states the register could hold are listed");
        assertTrue(html.contains("&quot;&lt;b&gt;&amp;&quot;"), "values are escaped");
        assertFalse(html.contains("\"<b>&\""));
    }

    @Test
    void bigHistoriesAreCutToTheNeighbourhoodOfTheWindow() {
        History history = HistoryGenerator.generate(new Spec("cas-register", 700, 10, 1, 0.0, 3, 5));
        List<Operation> ops = new ArrayList<>(history.operations());
        Operation last = ops.get(ops.size() - 1);
        ops.add(new Operation(99, "read", null, 42L, dev.keel.linearizability.history.OpType.OK,
                last.completeTime() + 1, last.completeTime() + 2, null));
        Counterexample c = counterexample(History.of(ops));
        List<Operation> drawn = HtmlReport.drawnOperations(c);
        assertTrue(drawn.size() <= HtmlReport.MAX_DRAWN_OPS + HtmlReport.CONTEXT_OPS + c.window().size() + 1,
                "drew " + drawn.size());
        assertTrue(drawn.contains(c.blocked()));
        assertEquals(true, HtmlReport.render(c, "cas-register").contains("process 99"));
    }

    private static Counterexample counterexample(History history) {
        return Checker.check(history, Models.byName("cas-register", 0L), Budget.unlimitedTime(), 1)
                .counterexample().orElseThrow();
    }
}
