package dev.keel.node.process;

import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.StatusResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One {@code bin/keel} member as an operating-system process: the shaded {@code node/target/keel.jar} launched
 * as {@code bin/keel} launches it, stdout and stderr appended to one log file, killed with SIGKILL or stopped
 * with SIGTERM, and started again on the same data directory and ports. Not thread-safe: one test thread drives
 * it; {@link #status()} and {@link #kv()} may be called from any thread.
 */
public final class KeelProcess implements AutoCloseable {
    /** JVM options for a member: a small heap and the serial collector, since several share two cores. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");

    private final String name;
    private final Path dataDir;
    private final Path logFile;
    private final int clientPort;
    private final int peerPort;
    private final List<String> flags;
    /** The current life; volatile: writer threads ask {@link #alive()} while the test thread restarts it. */
    private volatile Process process;
    /** Bytes the log file held when the current life started: {@link #logOfThisLife()} reads from here. */
    private long logStartOfLife;
    private int lives;

    /**
     * @param flags every {@code bin/keel} flag (name, data dir, URLs, cluster); the process gets them verbatim
     */
    public KeelProcess(String name, Path dataDir, Path logFile, int clientPort, int peerPort, List<String> flags) {
        this.name = name;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.flags = List.copyOf(flags);
    }

    /** @return the runnable jar: system property {@code keel.jar} (failsafe sets it), else node/target/keel.jar */
    public static Path jar() {
        String configured = System.getProperty("keel.jar");
        Path jar = configured != null ? Path.of(configured) : Path.of("target", "keel.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " not found: build it first with "
                    + "mvn -B -q -o package -DskipTests -pl node -am");
        }
        return jar;
    }

    /** Starts a new life of the member on its data directory; the previous one must have exited. */
    public void start() {
        if (alive()) {
            throw new IllegalStateException(name + " still runs (pid " + process.pid() + ")");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-jar");
        command.add(jar().toAbsolutePath().toString());
        command.addAll(flags);
        try {
            Files.createDirectories(logFile.getParent());
            logStartOfLife = Files.exists(logFile) ? Files.size(logFile) : 0;
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            lives++;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** SIGKILL (a crash: no shutdown hook, no flush) and waits until the process is gone. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit(10_000);
    }

    /**
     * SIGTERM (an operator's stop: the shutdown hook closes the member) and waits for the exit.
     *
     * @return the exit code
     */
    public int terminate(long millis) {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        process.destroy();
        return awaitExit(millis);
    }

    /**
     * Waits until the process exits.
     *
     * @return its exit code
     * @throws AssertionError when it still runs after {@code millis}
     */
    public int awaitExit(long millis) {
        try {
            if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still runs " + millis + " ms later; log tail:\n" + logTail(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + name + " to exit", e);
        }
        return process.exitValue();
    }

    /** @return whether the current life's process runs */
    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** @return the OS process ID of the current life */
    public long pid() {
        return process.pid();
    }

    /** @return how many times it was started */
    public int lives() {
        return lives;
    }

    /** @return the member's name ({@code --name}) */
    public String name() {
        return name;
    }

    /** @return its data directory ({@code --data-dir}) */
    public Path dataDir() {
        return dataDir;
    }

    /** @return the folder holding its WAL segments */
    public Path walDir() {
        return dataDir.resolve("member").resolve("wal");
    }

    /** @return the client endpoint, {@code 127.0.0.1:port} */
    public String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    /** @return the peer port */
    public int peerPort() {
        return peerPort;
    }

    /** @return a KV stub for this member whose calls give up after two seconds */
    public KVGrpc.KVBlockingStub kv() {
        return EtcdStubs.kv(endpoint());
    }

    /** @return etcd's Maintenance.Status of this member, or empty when it does not answer within a second */
    public Optional<StatusResponse> status() {
        return EtcdStubs.status(endpoint());
    }

    /** @return everything every life wrote to stdout and stderr */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return what the current life wrote */
    public String logOfThisLife() {
        String all = log();
        byte[] bytes = all.getBytes(StandardCharsets.UTF_8);
        int from = (int) Math.min(logStartOfLife, bytes.length);
        return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
    }

    /** @return the last {@code lines} lines of the log, prefixed with the member's name */
    public String logTail(int lines) {
        List<String> all = log().lines().toList();
        StringBuilder out = new StringBuilder();
        for (String line : all.subList(Math.max(0, all.size() - lines), all.size())) {
            out.append(name).append(" | ").append(line).append('\n');
        }
        return out.toString();
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        if (alive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return name + "@" + endpoint() + (alive() ? " pid " + process.pid() : " (down)");
    }
}
