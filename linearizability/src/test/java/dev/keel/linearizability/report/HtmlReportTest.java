package dev.keel.linearizability.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.linearizability.edn.EdnWriter;
import dev.keel.linearizability.gen.HistoryGenerator;
import dev.keel.linearizability.gen.HistoryGenerator.Spec;
import dev.keel.linearizability.history.History;
import dev.keel.linearizability.history.JepsenEdn;
import dev.keel.linearizability.model.Models;
import dev.keel.linearizability.search.Budget;
import dev.keel.linearizability.search.Checker;
import dev.keel.linearizability.search.Counterexample;
import java.util.Locale;
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
             {:process 0 :type :ok :f :read :value "</script><b>&"}]""";

    @Test
    void theReportIsOneSelfContainedPageWithTheFailingOperationsDataAndTheStates() {
        Counterexample c = counterexample(JepsenEdn.read(HISTORY));
        String html = HtmlReport.render(c, "cas-register");
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(Pattern.compile("https?://|\\bsrc\\s*=|\\bhref\\s*=|@import|url\\(").matcher(html).find(),
                "nothing may be fetched: no URL, src, href, @import or url()");
        assertEquals(2, html.split("<script", -1).length - 1, "inline data and inline script only");
        assertTrue(html.contains("<canvas id=\"timeline\""));
        String failing = ReportData.string(EdnWriter.write(c.blocked().output()));
        assertTrue(html.contains(",\"read\",\"nil\"," + failing + ","), "the failing read's data is embedded");
        assertTrue(html.contains(",0,3,\"read\",\"nil\","), "the failing read is marked as the blocked one");
        assertFalse(html.contains("\"</script><b>&\""), "values cannot end the script or inject markup");
        assertTrue(html.contains("&quot;&lt;/script&gt;&lt;b&gt;&amp;&quot;"), "values are escaped in the tables");
        assertTrue(html.contains("<li><code>1</code></li>") && html.contains("<li><code>3</code></li>"),
                "both states the register could hold are listed");
        assertTrue(html.contains("<p id=\"headline\" class=\"headline\">read by process 0 returned "));
        assertTrue(html.contains("All 4 operations of the history are embedded."));
    }

    @Test
    void aKeyedHistoryEmbedsTheFailingKeyFirstAndCapsTheOtherKeysByTheStatedRule() {
        History history = HistoryGenerator.generate(new Spec("kv", 30_000, 10, 100, 0.05, 1_000_000_000, 3));
        History corrupted = StaleReads.injectOne(history);
        Counterexample c = Checker.check(corrupted, Models.kv(null), Budget.unlimitedTime(), 1)
                .counterexample().orElseThrow();
        String html = HtmlReport.render(c, "kv", corrupted);
        String key = EdnWriter.write(c.key());
        assertTrue(html.contains("\"keys\":[" + ReportData.string(key) + ","), "the failing key comes first");
        int others = corrupted.size() - c.part().size();
        assertTrue(html.contains(json(String.format(Locale.ROOT, "All %,d operations of key %s are embedded.",
                c.part().size(), key))), "the failing key is embedded in full");
        assertTrue(html.contains(json(String.format(Locale.ROOT, "Of the other keys' %,d operations, the %,d invoked"
                + " closest in time to the failing operation are embedded.", others, ReportData.OTHER_CAP))),
                "the cap is stated");
        assertTrue(html.contains(", a value overwritten by "),
                () -> "the headline names the stale read: " + Headline.of(c, "kv"));
        assertTrue(html.length() < 80 * (c.part().size() + ReportData.OTHER_CAP) + 64_000,
                "compact: " + html.length() + " bytes");
    }

    /** @return text as it appears inside a JSON string of the page */
    private static String json(String text) {
        String quoted = ReportData.string(text);
        return quoted.substring(1, quoted.length() - 1);
    }

    private static Counterexample counterexample(History history) {
        return Checker.check(history, Models.byName("cas-register", 0L), Budget.unlimitedTime(), 1)
                .counterexample().orElseThrow();
    }
}
