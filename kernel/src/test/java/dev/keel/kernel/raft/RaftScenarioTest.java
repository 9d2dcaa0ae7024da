package dev.keel.kernel.raft;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs every data-driven scenario in {@code src/test/resources/raft-scenarios}. A file is a sequence of blocks:
 * a command line, a {@code ----} line, then the expected output up to a blank line; {@code #} lines are comments.
 * {@code -Dkeel.rewrite=true} rewrites the expected outputs from the actual ones (then review the diff!).
 */
class RaftScenarioTest {
    private static final Path DIR = Path.of(System.getProperty("basedir", "."),
            "src/test/resources/raft-scenarios");

    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(DIR)) {
            files = listing.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new AssertionError("no scenarios found in " + DIR);
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> runFile(f)));
    }

    private static void runFile(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean rewrite = Boolean.getBoolean("keel.rewrite");
        ScenarioRunner runner = new ScenarioRunner();
        List<String> rewritten = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                rewritten.add(line);
                i++;
                continue;
            }
            int commandLine = i + 1;
            String command = line;
            i++;
            if (i >= lines.size() || !lines.get(i).equals("----")) {
                throw new AssertionError(file.getFileName() + ":" + commandLine + ": expected ---- after command");
            }
            i++;
            StringBuilder expected = new StringBuilder();
            while (i < lines.size() && !lines.get(i).isEmpty()) {
                expected.append(expected.length() == 0 ? "" : "\n").append(lines.get(i));
                i++;
            }
            String actual;
            try {
                actual = runner.run(command);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(file.getFileName() + ":" + commandLine + ": '" + command + "' threw " + e,
                        e);
            }
            rewritten.add(command);
            rewritten.add("----");
            if (!actual.isEmpty()) {
                rewritten.add(actual);
            }
            if (!rewrite) {
                assertEquals(expected.toString(), actual, file.getFileName() + ":" + commandLine + ": " + command);
            }
        }
        if (rewrite) {
            Files.write(file, (String.join("\n", rewritten) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
