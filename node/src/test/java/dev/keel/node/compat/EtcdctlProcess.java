package dev.keel.node.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A long-running etcdctl command ({@code watch}, {@code elect}, {@code lock} without a command) as its own
 * process, its output captured in temp files that the test reads while it runs; {@link #close} stops it and removes
 * the files.
 */
final class EtcdctlProcess implements AutoCloseable {
    private final Path stdout = temp(".out");
    private final Path stderr = temp(".err");
    private final Process process;

    EtcdctlProcess(String endpoint, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(EtcdTools.etcdctl().toString(), "--endpoints=" + endpoint));
        cmd.addAll(args);
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("ETCDCTL_"));
            env.put("ETCDCTL_API", "3");
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + cmd, e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    /** @return what it printed on stdout so far */
    String stdout() {
        return read(stdout);
    }

    /** @return what it printed on stderr so far */
    String stderr() {
        return read(stderr);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        stdout.toFile().delete();
        stderr.toFile().delete();
    }

    private static Path temp(String suffix) {
        try {
            return Files.createTempFile("etcdctl-", suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
