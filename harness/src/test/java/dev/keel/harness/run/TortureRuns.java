package dev.keel.harness.run;

import dev.keel.harness.cluster.ClusterOptions;
import dev.keel.harness.nemesis.FaultKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Settings and paths shared by the tests that run the whole harness. */
final class TortureRuns {
    private TortureRuns() {
    }

    /** @return the member jar: system property {@code keel.jar} (the POM sets it), else ../node/target/keel.jar */
    static Path keelJar() {
        String configured = System.getProperty("keel.jar");
        Path jar = configured != null ? Path.of(configured) : Path.of("..", "node", "target", "keel.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " not found: build it first with "
                    + "mvn -B -q -o package -DskipTests -pl node -am");
        }
        return jar;
    }

    /** @return a fresh folder for one run, under target/ so a failing run's files stay for reading */
    static Path runDir(String name) {
        try {
            Path base = Files.createDirectories(Path.of("target", "torture-tests"));
            return Files.createTempDirectory(base, name + "-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TortureOptions options(long seed, long faultMillis, List<String> workloads, Set<FaultKind> faults,
                                  int clients, List<String> launcher, String name) {
        return options(seed, faultMillis, workloads, faults, clients, 2_000, launcher, name);
    }

    static TortureOptions options(long seed, long faultMillis, List<String> workloads, Set<FaultKind> faults,
                                  int clients, long opTimeoutMillis, List<String> launcher, String name) {
        return new TortureOptions(3, faultMillis, seed, workloads, faults, Optional.empty(), clients,
                opTimeoutMillis, runDir(name), launcher, List.of(), false);
    }

    static List<String> defaultLauncher() {
        return ClusterOptions.defaultLauncher(keelJar());
    }
}
