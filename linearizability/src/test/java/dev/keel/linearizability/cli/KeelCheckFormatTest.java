package dev.keel.linearizability.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.linearizability.cli.KeelCheckInputTest.Run;
import dev.keel.linearizability.edn.EdnReader;
import dev.keel.linearizability.edn.Keyword;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --format edn|json}: Knossos-style analysis maps that parse back, one per line, nothing else on stdout. */
class KeelCheckFormatTest {
    @TempDir
    Path temp;

    @Test
    void ednResultsAreKnossosAnalysisMapsThatReadBack() throws IOException {
        Path ok = file("ok.edn", KeelCheckBatchTest.LINEARIZABLE);
        Path bad = file("bad.edn", KeelCheckBatchTest.NOT_LINEARIZABLE);
        Path broken = file("broken.edn", "[{:process 0");
        Run run = KeelCheckInputTest.run("--format", "edn", ok.toString(), bad.toString(), broken.toString());
        assertEquals(1, run.code(), run.out() + run.err());
        List<String> lines = run.out().strip().lines().toList();
        assertEquals(3, lines.size(), run.out()); // no summary on stdout: it went to stderr
        assertTrue(run.err().startsWith("keel-check: 3 histories: 1 linearizable, 1 not linearizable"), run.err());

        Map<?, ?> failure = resultFor(lines, bad);
        assertEquals(Boolean.FALSE, failure.get(kw("valid?")));
        assertEquals(kw("keel"), failure.get(kw("analyzer")));
        assertEquals(Map.of(kw("name"), "cas-register", kw("independent"), false), without(failure.get(kw("model"))));
        Map<?, ?> op = (Map<?, ?>) failure.get(kw("op"));
        assertEquals(1L, op.get(kw("process")));
        assertEquals(kw("ok"), op.get(kw("type")));
        assertEquals(kw("read"), op.get(kw("f")));
        assertEquals(2L, op.get(kw("value")));
        assertEquals(3L, op.get(kw("index")));
        assertEquals(kw("write"), ((Map<?, ?>) failure.get(kw("previous-ok"))).get(kw("f")));
        assertEquals(failure.get(kw("previous-ok")), failure.get(kw("last-op")));
        // From the one state reachable (1), the read of 2 cannot happen.
        assertEquals(List.of(List.of(Map.of(kw("model"), 1L), Map.of(kw("op"), op, kw("model"), kw("inconsistent")))),
                failure.get(kw("final-paths")));
        assertEquals(1L, failure.get(kw("exit")));

        Map<?, ?> success = resultFor(lines, ok);
        assertEquals(Boolean.TRUE, success.get(kw("valid?")));
        assertEquals(2L, success.get(kw("operations")));
        assertFalse(success.containsKey(kw("op")));

        Map<?, ?> unreadable = resultFor(lines, broken);
        assertEquals(kw("unknown"), unreadable.get(kw("valid?")));
        assertEquals("line 1, column 2: missing '}' for the collection opened here", unreadable.get(kw("error")));
        assertEquals(64L, unreadable.get(kw("exit")));
    }

    @Test
    void anUnknownResultSaysWhy() {
        Run run = KeelCheckInputTest.run("--format", "edn", "--model", "kv", "--timeout", "0.000001",
                KeelCheckTest.sample("kv-linearizable.edn"));
        assertEquals(2, run.code(), run.out() + run.err());
        Map<?, ?> result = (Map<?, ?>) EdnReader.readOne(run.out().strip());
        assertEquals(kw("unknown"), result.get(kw("valid?")));
        assertTrue(((String) result.get(kw("cause"))).startsWith("time budget exhausted"), run.out());
        assertEquals("", run.err());
    }

    @Test
    void jsonResultsAreStrictJsonWithTheSameKeys() throws IOException {
        Path bad = file("bad.edn", KeelCheckBatchTest.NOT_LINEARIZABLE);
        Run single = KeelCheckInputTest.run("--format", "json", "--init", "0", bad.toString());
        assertEquals(1, single.code(), single.out() + single.err());
        assertEquals(1, single.out().strip().lines().count(), single.out());
        Map<?, ?> result = (Map<?, ?>) StrictJson.parse(single.out().strip());
        assertEquals(Boolean.FALSE, result.get("valid?"));
        assertEquals(bad.toString(), result.get("file"));
        assertEquals(Map.of("name", "cas-register", "init", 0L, "independent", false), result.get("model"));
        Map<?, ?> op = (Map<?, ?>) result.get("op");
        assertEquals("read", op.get("f"));
        assertEquals(2L, op.get("value"));
        assertEquals(List.of(List.of(Map.of("model", 1L), Map.of("op", op, "model", "inconsistent"))),
                result.get("final-paths"));

        Path ok = file("ok.edn", KeelCheckBatchTest.LINEARIZABLE);
        Run batch = KeelCheckInputTest.run("--format", "json", ok.toString(), bad.toString(), ok.toString());
        List<String> lines = batch.out().strip().lines().toList();
        assertEquals(3, lines.size(), batch.out());
        long valid = lines.stream().map(StrictJson::parse).filter(r -> Boolean.TRUE.equals(((Map<?, ?>) r)
                .get("valid?"))).count();
        assertEquals(2, valid, batch.out());
    }

    @Test
    void anUnknownFormatIsOneLineOfError() {
        Run run = KeelCheckInputTest.run("--format", "xml", KeelCheckTest.sample("kv-linearizable.edn"));
        assertEquals(KeelCheck.EXIT_USAGE, run.code());
        assertEquals("keel-check: --format must be text, edn or json, not xml", run.err().strip());
        assertEquals("", run.out());
    }

    private static Map<?, ?> resultFor(List<String> lines, Path file) {
        for (String line : lines) {
            Map<?, ?> result = (Map<?, ?>) EdnReader.readOne(line);
            if (file.toString().equals(result.get(kw("file")))) {
                return result;
            }
        }
        throw new AssertionError("no result for " + file + " in " + lines);
    }

    /** @return the map without its nil entries (Map.of cannot hold them) */
    private static Map<?, ?> without(Object map) {
        Map<Object, Object> copy = new java.util.HashMap<>((Map<?, ?>) map);
        copy.values().removeIf(java.util.Objects::isNull);
        return copy;
    }

    private static Keyword kw(String name) {
        return Keyword.of(name);
    }

    private Path file(String name, String text) throws IOException {
        Path path = temp.resolve(name);
        Files.writeString(path, text);
        return path;
    }
}
