package dev.keel.benchmarks.jmh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading JMH's JSON (a trimmed real run), the table it renders, and how the doc's block is replaced. */
class JmhReportTest {
    private static final JmhReport.RunFacts FACTS = new JmhReport.RunFacts("2026-12-02 17:00 UTC",
            "2 cores, AMD EPYC, OpenJDK 17", "0.50 0.40 0.30", "1.50 1.00 0.60", "bin/keel-jmh --quick");

    @TempDir
    Path dir;

    private static String sample() throws IOException {
        try (InputStream in = JmhReportTest.class.getResourceAsStream("sample-results.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void parsesScoresErrorsPercentilesAndAllocationOfEachMode() throws IOException {
        List<JmhResult> results = JmhResult.parse(sample());
        assertEquals(3, results.size());
        JmhResult decode = results.get(0);
        assertEquals("dev.keel.benchmarks.codec.CodecBenchmark.decodeAppend", decode.benchmark());
        assertEquals("avgt", decode.mode());
        assertEquals("ns/op", decode.unit());
        assertEquals(236.14, decode.score(), 0.01);
        assertTrue(Double.isNaN(decode.error()), "one iteration: JMH writes the error as \"NaN\"");
        assertTrue(Double.isNaN(decode.p50()), "percentiles of iterations are not shown outside sample mode");
        assertEquals(0.0013, decode.allocBytesPerOp(), 0.0005, "the old '\u00b7gc.alloc.rate.norm' name is read");
        JmhResult roundTrip = results.get(2);
        assertEquals("TcpTransportBenchmark.roundTrip (message=heartbeat)", roundTrip.displayName());
        assertEquals("sample", roundTrip.mode());
        assertEquals(21.4, roundTrip.p50(), 0.1);
        assertEquals(61.6, roundTrip.p99(), 0.1);
        assertEquals(3.35, roundTrip.error(), 0.01);
    }

    @Test
    void rendersOneRowPerBenchmarkWithTheRunFacts() throws IOException {
        String body = new JmhReport(JmhResult.parse(sample()), FACTS).body();
        assertTrue(body.startsWith("Measured 2026-12-02 17:00 UTC by `bin/keel-jmh --quick` on 2 cores, AMD EPYC,"
                + " OpenJDK 17. Load average (1/5/15 min) before the run: 0.50 0.40 0.30; after: 1.50 1.00 0.60."),
                body);
        assertTrue(body.contains("| benchmark | mode | score ± error | unit | gc.alloc.rate.norm (B/op) |\n"
                + "|---|---|---|---|---|\n"
                + "| `CodecBenchmark.decodeAppend` | avgt | 236 | ns/op | 0.001 |\n"
                + "| `TcpTransportBenchmark.roundTrip (message=heartbeat)` | sample | 28.3 ± 3.35 (p50 21.4, p99 61.6)"
                + " | us/op | 8.843 |\n"
                + "| `WalRecoveryBenchmark.recover` | avgt | 173 | ns/op | 1,293 |\n"), body);
    }

    @Test
    void replacesOnlyTheMarkedBlock() throws IOException {
        Path doc = dir.resolve("benchmarks.md");
        String before = "# Benchmarks\n\nintro\n\n## JMH suite\n\n";
        String after = "\n\nhand-written analysis\n\n<!-- node-bench:begin (x) -->\nother block\n<!-- node-bench:end -->\n";
        Files.writeString(doc, before + JmhReport.BLOCK.begin() + "\nold table\n" + JmhReport.BLOCK.end() + after);
        String body = new JmhReport(JmhResult.parse(sample()), FACTS).body();
        JmhReport.BLOCK.writeInto(doc, body);
        String text = Files.readString(doc);
        assertEquals(before + JmhReport.BLOCK.begin() + "\n" + body.stripTrailing() + "\n" + JmhReport.BLOCK.end()
                + after, text);
        JmhReport.BLOCK.writeInto(doc, body);
        assertEquals(text, Files.readString(doc), "a second refresh with the same figures changes nothing");
    }

    @Test
    void appendsASectionWhenTheDocHasNoBlockAndRefusesAHalfBlock() {
        String appended = JmhReport.BLOCK.replaceIn("# Benchmarks\n\nintro\n", "table");
        assertEquals("# Benchmarks\n\nintro\n\n## JMH suite\n\n" + JmhReport.BLOCK.begin() + "\ntable\n"
                + JmhReport.BLOCK.end() + "\n", appended);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JmhReport.BLOCK.replaceIn("x\n" + JmhReport.BLOCK.begin() + "\nno end\n", "table"));
        assertTrue(e.getMessage().contains("restore the end marker"), e.getMessage());
    }

    @Test
    void refusesWhatIsNotJmhJsonWithOneLine() {
        assertThrows(IllegalArgumentException.class, () -> JmhResult.parse("{\"benchmark\": 1}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JmhResult.parse("[{\"benchmark\": \"a.B.c\", \"mode\": \"avgt\"}]"));
        assertEquals("result 0 has no \"primaryMetric\" object", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JmhResult.parse("[1, 2"));
    }

    @Test
    void reportCommandNeedsTheResultsFileAndNamesBadOptions() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ReportOptions.parse(new String[]{"--no-doc"}));
        assertTrue(missing.getMessage().startsWith("--results is required"), missing.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ReportOptions.parse(new String[]{"--results", "x.json", "--colour", "red"}));
        assertTrue(unknown.getMessage().startsWith("unknown option --colour"), unknown.getMessage());
        assertEquals(66, JmhReport.run(new String[]{"--results", dir.resolve("none.json").toString(), "--no-doc"}));
    }

    @Test
    void formatsNumbersToAtLeastThreeFigures() {
        assertEquals("4,810,000", JmhReport.number(4_810_000.4));
        assertEquals("293", JmhReport.number(293.2));
        assertEquals("12.4", JmhReport.number(12.44));
        assertEquals("1.25", JmhReport.number(1.254));
        assertEquals("0.512", JmhReport.number(0.5121));
    }
}
