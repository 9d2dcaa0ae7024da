package dev.keel.node.process;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.PutRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/keel-cluster start 3 [--tls] / status / stop} on its own folder and a base port whose six ports are free. */
class KeelClusterScriptIT {
    private Path dir;
    private int base;
    private Process decoy;

    /** A script's result: exit code and what it printed. */
    private record Run(int exit, String stdout, String stderr) {
        String lastLine() {
            List<String> lines = stdout.strip().lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("keel-script-");
        base = freeBase();
        // Stands for another Keel process on the machine that `stop` must leave alone.
        decoy = new ProcessBuilder("bash", "-c", "exec -a keel-decoy sleep 300").start();
    }

    @AfterEach
    void tearDown() {
        try {
            if (Files.exists(dir)) {
                run("stop");
            }
        } finally {
            decoy.destroyForcibly();
            ProcessCluster.deleteTree(dir);
        }
    }

    @Test
    void startsThreeMembersReportsThemStopsOnlyItsOwnAndRestartsOnTheirData() throws IOException {
        String endpoints = "127.0.0.1:" + base + ",127.0.0.1:" + (base + 10) + ",127.0.0.1:" + (base + 20);
        long t0 = System.nanoTime();
        Run start = run("start", "3");
        long startMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, start.exit(), "start failed: " + start + "\n" + logs());
        assertEquals(endpoints, start.lastLine(), "the last line of start is the endpoints");
        // Right after start returns every member serves (start waits for each one's client port).
        EtcdStubs.kv("127.0.0.1:" + base).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("script/k"))
                .setValue(ByteString.copyFromUtf8("v")).build());
        assertEquals(Map.of("script/k", "v"), EtcdStubs.read("127.0.0.1:" + (base + 20), "script/", false));

        List<Long> pids = assertStatusRunning();
        long t1 = System.nanoTime();
        Run stop = run("stop");
        long stopMillis = (System.nanoTime() - t1) / 1_000_000;
        assertEquals(0, stop.exit(), stop.toString());
        for (long pid : pids) {
            Waits.until("member pid " + pid + " is gone", 10_000,
                    () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        }
        assertTrue(decoy.isAlive(), "stop leaves other processes alone");
        assertTrue(run("status").stdout().contains("no members started from " + dir));
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.toString().endsWith(".pid")), "pid files removed");
        }
        System.out.printf("keel-cluster: start 3 took %d ms and printed %s; stop took %d ms: %s%n", startMillis,
                start.lastLine(), stopMillis, stop.stderr().strip());

        // Started again on the same folder: the members restart on their data, and start waits for this life.
        long t2 = System.nanoTime();
        Run again = run("start", "3");
        System.out.printf("keel-cluster: start 3 again on the same folder took %d ms%n",
                (System.nanoTime() - t2) / 1_000_000);
        assertEquals(0, again.exit(), "restart failed: " + again + "\n" + logs());
        assertEquals(endpoints, again.lastLine());
        for (int i = 0; i < 3; i++) {
            assertEquals(Map.of("script/k", "v"), EtcdStubs.read("127.0.0.1:" + (base + 10 * i), "script/", false));
        }
        assertStatusRunning();
        assertEquals(0, run("stop").exit());
    }

    @Test
    void startWithTlsServesEtcdctlOverHttpsWithThePrintedFlags() throws Exception {
        Run start = run("start", "3", "--tls");
        assertEquals(0, start.exit(), "start --tls failed: " + start + "\n" + logs());
        String endpoints = "https://127.0.0.1:" + base + ",https://127.0.0.1:" + (base + 10) + ",https://127.0.0.1:"
                + (base + 20);
        assertEquals(endpoints, start.lastLine(), "the last line of start --tls is the https endpoints");
        String tls = dir.resolve("tls").toString();
        String printed = "use: etcdctl --endpoints=" + endpoints + " --cacert=" + tls + "/ca.pem --cert=" + tls
                + "/client.pem --key=" + tls + "/client-key.pem";
        assertTrue(start.stderr().contains(printed), start.stderr());
        List<String> flags = List.of("--cacert=" + tls + "/ca.pem", "--cert=" + tls + "/client.pem",
                "--key=" + tls + "/client-key.pem");
        assertEquals("OK", etcdctl(endpoints, flags, "put", "script/tls", "on").strip());
        for (String endpoint : endpoints.split(",")) {
            assertEquals("on", etcdctl(endpoint, flags, "get", "script/tls", "--print-value-only",
                    "--consistency=l").strip());
        }
        try (var logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                assertFalse(Files.readString(log).contains("refused peer"), "peers trust each other: " + log);
            }
        }
        assertEquals(0, run("stop").exit());
        Run plain = run("start", "3");
        assertEquals(1, plain.exit(), plain.toString());
        assertTrue(plain.stderr().contains("holds an https cluster; start it with --tls"), plain.stderr());
    }

    private static String etcdctl(String endpoints, List<String> tls, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints, "--dial-timeout=3s",
                "--command-timeout=10s"));
        command.addAll(tls);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("etcdctl " + String.join(" ", args) + " did not finish in 30 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** @return the members' pids, after checking {@code status} reports each running with its endpoint */
    private List<Long> assertStatusRunning() throws IOException {
        Run status = run("status");
        assertEquals(0, status.exit());
        List<Long> pids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            long pid = Long.parseLong(Files.readString(dir.resolve("m" + i + ".pid")).strip());
            pids.add(pid);
            assertTrue(status.stdout().contains("m" + i + " running pid " + pid + " client 127.0.0.1:"
                    + (base + 10 * (i - 1))), status.stdout());
        }
        return pids;
    }

    private String logs() {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            Path log = dir.resolve("m" + i + ".log");
            try {
                out.append("m").append(i).append(".log:\n").append(Files.exists(log) ? Files.readString(log) : "");
            } catch (IOException e) {
                out.append(e);
            }
        }
        return out.toString();
    }

    private Run run(String... args) {
        Path home = Path.of(System.getProperty("keel.home", ".."));
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/keel-cluster").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("KEEL_CLUSTER_DIR", dir.toString());
        pb.environment().put("KEEL_CLUSTER_PORT", Integer.toString(base));
        pb.environment().put("KEEL_JAVA_OPTS", "-Xmx384m -XX:+UseSerialGC");
        try {
            Path out = Files.createTempFile("keel-script-out", ".txt");
            Path err = Files.createTempFile("keel-script-err", ".txt");
            try {
                Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("keel-cluster " + String.join(" ", args) + " still runs after 120 s");
                }
                return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * @return a base port whose six ports (client and peer of three members, ten apart) are free; below the
     *         ephemeral range so that connections other tests open do not take them
     */
    private static int freeBase() {
        Random random = new Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = 20_000 + random.nextInt(10_000);
            if (allFree(candidate, candidate + 1, candidate + 10, candidate + 11, candidate + 20, candidate + 21)) {
                return candidate;
            }
        }
        throw new AssertionError("no base port with six free ports between 20000 and 30000");
    }

    private static boolean allFree(int... ports) {
        for (int port : ports) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
