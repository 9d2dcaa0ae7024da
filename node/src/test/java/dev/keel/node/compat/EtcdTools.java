package dev.keel.node.compat;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the reference etcd binaries. Tests that compare Keel with etcd run only where {@code etcd} and
 * {@code etcdctl} are installed; in CI ({@code CI=true}, where {@code .ci/run} installs them) their absence is a
 * failure, elsewhere the tests are skipped with a message saying how to install them.
 */
public final class EtcdTools {
    private static final String INSTALL = "apt-get install -y etcd-server etcd-client";

    private EtcdTools() {
    }

    /** @return the absolute path of {@code name} on {@code PATH}, if there */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** Skips the calling test (fails it in CI) unless both {@code etcd} and {@code etcdctl} are installed. */
    public static void requireEtcd() {
        boolean present = onPath("etcd").isPresent() && onPath("etcdctl").isPresent();
        if (present) {
            return;
        }
        String message = "etcd and etcdctl (3.4) are needed to compare Keel with etcd; install them: " + INSTALL;
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail("CI=true: " + message);
        }
        Assumptions.abort("skipped: " + message);
    }

    /** @return the {@code etcd} binary; call {@link #requireEtcd()} first */
    static Path etcd() {
        return onPath("etcd").orElseThrow();
    }

    /** @return the {@code etcdctl} binary; call {@link #requireEtcd()} first */
    public static Path etcdctl() {
        return onPath("etcdctl").orElseThrow();
    }
}
