package dev.keel.harness.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One member as an operating-system process: started with its flags (always the same ones, so a restart reuses
 * its data directory), stdout and stderr appended to {@code <name>.log}, killed with SIGKILL, stopped with
 * SIGTERM, paused with SIGSTOP. Thread-safe: lifecycle methods are synchronized, state reads are volatile.
 */
final class MemberProcess implements Member {
    private static final long EXIT_WAIT_MILLIS = 10_000;

    private final String name;
    private final int clientPort;
    private final int advertisedPeerPort;
    private final Path logFile;
    private final List<String> command;
    private final Map<String, String> environment;
    private volatile Process process;
    private volatile boolean paused;
    /** Its member ID once an answer named it (0 until then). */
    private volatile long id;

    /**
     * @param command     launcher and every flag
     * @param environment variables added to the process's environment (clock faults)
     */
    MemberProcess(String name, int clientPort, int advertisedPeerPort, Path logFile, List<String> command,
                  Map<String, String> environment) {
        this.name = name;
        this.clientPort = clientPort;
        this.advertisedPeerPort = advertisedPeerPort;
        this.logFile = logFile;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
    }

    /** @return its flags for {@code bin/keel}, as etcd names them */
    static List<String> flags(String name, Path dataDir, int clientPort, int listenPeerPort, int advertisedPeerPort,
                              String initialCluster, boolean newCluster, String token) {
        String client = "http://127.0.0.1:" + clientPort;
        return List.of("--name", name, "--data-dir", dataDir.toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", "http://127.0.0.1:" + listenPeerPort,
                "--initial-advertise-peer-urls", peerUrl(advertisedPeerPort),
                "--initial-cluster", initialCluster, "--initial-cluster-state", newCluster ? "new" : "existing",
                "--initial-cluster-token", token);
    }

    static String peerUrl(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** Starts a new life; the previous one must have exited. */
    synchronized void start() {
        if (alive()) {
            throw new IllegalStateException(name + " still runs (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
            paused = false;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " with " + command, e);
        }
    }

    /** SIGKILL (resuming it first if paused, so it can die) and waits until it is gone. */
    synchronized void kill() {
        Process current = process;
        if (current == null || !current.isAlive()) {
            return;
        }
        if (paused) {
            // Resumed first as the harness promises; SIGKILL would end a stopped process too, so a CONT that
            // comes too late (the process already gone) is no error.
            trySignal("-CONT");
            paused = false;
        }
        current.destroyForcibly();
        awaitExit(current, EXIT_WAIT_MILLIS);
    }

    /** SIGTERM (an operator's stop), and SIGKILL when it has not exited within {@code millis}. */
    synchronized void stop(long millis) {
        Process current = process;
        if (current == null || !current.isAlive()) {
            return;
        }
        resumeIfPaused();
        current.destroy();
        try {
            if (current.waitFor(millis, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
    }

    /** SIGSTOP. */
    synchronized void pause() {
        requireAlive("pause");
        signal("-STOP");
        paused = true;
    }

    /** SIGCONT. */
    synchronized void resume() {
        requireAlive("resume");
        signal("-CONT");
        paused = false;
    }

    private void resumeIfPaused() {
        if (paused) {
            signal("-CONT");
            paused = false;
        }
    }

    private void trySignal(String signal) {
        try {
            signal(signal);
        } catch (RuntimeException e) {
            // See kill(): the process may be gone already.
        }
    }

    private void requireAlive(String action) {
        if (!alive()) {
            throw new IllegalStateException("cannot " + action + " " + name + ": it is not running");
        }
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run kill " + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending " + signal + " to " + name, e);
        }
    }

    private void awaitExit(Process current, long millis) {
        try {
            if (!current.waitFor(millis, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " (pid " + current.pid() + ") still runs " + millis
                        + " ms after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name + " to exit", e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String clientEndpoint() {
        return "127.0.0.1:" + clientPort;
    }

    /** @return its advertised peer URL (the proxy's address) */
    String peerUrl() {
        return peerUrl(advertisedPeerPort);
    }

    @Override
    public boolean alive() {
        Process current = process;
        return current != null && current.isAlive();
    }

    @Override
    public boolean paused() {
        return paused && alive();
    }

    /** @return the pid of the current life, or -1 when never started */
    long pid() {
        Process current = process;
        return current == null ? -1 : current.pid();
    }

    long id() {
        return id;
    }

    void id(long memberId) {
        this.id = memberId;
    }

    /** @return the last {@code lines} lines of its log, each prefixed with its name */
    String logTail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return name + " | (no log)\n";
            }
            List<String> all = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
            StringBuilder out = new StringBuilder();
            for (String line : all.subList(Math.max(0, all.size() - lines), all.size())) {
                out.append(name).append(" | ").append(line).append('\n');
            }
            return out.toString();
        } catch (IOException e) {
            return name + " | (log unreadable: " + e.getMessage() + ")\n";
        }
    }

    @Override
    public String toString() {
        return name + "@" + clientEndpoint() + (alive() ? (paused ? " paused" : "") + " pid " + pid() : " down");
    }
}
