package dev.keel.benchmarks.jmh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/keel-jmh}'s refusals, run from a checkout-shaped copy that holds no jar (so nothing is measured):
 * it builds nothing and says how to build, and it names a bad argument.
 */
class KeelJmhScriptTest {
    private static final Path SCRIPT = Path.of("..", "bin", "keel-jmh");

    @TempDir
    Path checkout;

    private record Outcome(int exit, String stderr) {
    }

    private Outcome run(String... args) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(checkout.resolve("bin"));
        Path script = bin.resolve("keel-jmh");
        Files.copy(SCRIPT, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        script.toFile().setExecutable(true);
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/keel-jmh did not finish in 30 s");
        }
        return new Outcome(p.exitValue(), stderr);
    }

    @Test
    void withoutTheJarItPrintsTheBuildCommandAndExits64() throws Exception {
        Outcome o = run("--quick");
        assertEquals(64, o.exit(), o.stderr());
        assertTrue(o.stderr().contains("benchmarks/target/benchmarks.jar not found; build it with: mvn -B -q package"
                + " -DskipTests"), o.stderr());
        assertTrue(Files.notExists(checkout.resolve("docs")), "nothing was written");
    }

    @Test
    void aBadArgumentIsNamedWithTheUsage() throws Exception {
        Outcome unknown = run("--fast");
        assertEquals(64, unknown.exit());
        assertTrue(unknown.stderr().startsWith("keel-jmh: unknown argument '--fast'\nusage: bin/keel-jmh"),
                unknown.stderr());
        Outcome noRegex = run("--include");
        assertEquals(64, noRegex.exit());
        assertTrue(noRegex.stderr().contains("--include needs a regular expression"), noRegex.stderr());
    }
}
