package dev.keel.node.cli;

import dev.keel.node.config.NodeConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeelMainTest {
    private static NodeConfig parse(String... args) {
        KeelMain main = new KeelMain();
        new CommandLine(main).parseArgs(args);
        return main.toConfig().validate();
    }

    private static String[] runCapturingErr(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = KeelMain.run(args);
        } finally {
            System.setErr(old);
        }
        return new String[]{Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void defaultsAreEtcds() {
        NodeConfig c = parse();
        assertEquals("default", c.name());
        assertEquals(Path.of("default.keel"), c.dataDir());
        assertEquals(List.of("http://localhost:2379"), c.listenClientUrls());
        assertEquals(List.of("http://localhost:2380"), c.listenPeerUrls());
        assertEquals("default=http://localhost:2380", c.initialCluster().toString());
        assertEquals(100, c.heartbeatMillis());
        assertEquals(1000, c.electionMillis());
        assertEquals(100_000, c.snapshotCount());
        assertEquals(1536 * 1024, c.maxRequestBytes());
        assertEquals(128, c.maxTxnOps());
        assertTrue(c.newCluster());
        assertEquals(10, c.electionTicks());
    }

    @Test
    void maxConcurrentStreamsDefaultsToKeelsBoundAndTakesEtcdsRange() {
        assertEquals(1_000, parse().maxConcurrentStreams());
        assertEquals(4_294_967_295L, parse("--max-concurrent-streams=4294967295").maxConcurrentStreams());
        assertEquals(16, parse("--max-concurrent-streams", "16").maxConcurrentStreams());
        for (String bad : List.of("0", "-1", "4294967296")) {
            String[] r = runCapturingErr("--max-concurrent-streams=" + bad);
            assertEquals("2", r[0], bad);
            assertTrue(r[1].contains("--max-concurrent-streams: invalid value " + bad + " (use 1..4294967295"), r[1]);
        }
        assertEquals("2", runCapturingErr("--max-concurrent-streams=many")[0]);
    }

    @Test
    void aNamedMemberDefaultsItsDataDirAndInitialCluster() {
        NodeConfig c = parse("--name", "infra1", "--initial-advertise-peer-urls", "http://127.0.0.1:12380",
                "--listen-peer-urls=http://127.0.0.1:12380");
        assertEquals(Path.of("infra1.keel"), c.dataDir());
        assertEquals("infra1=http://127.0.0.1:12380", c.initialCluster().toString());
    }

    @Test
    void membersAgreeOnIdsComputedFromTheirFlags() {
        String cluster = "a=http://127.0.0.1:1,b=http://127.0.0.1:2,c=http://127.0.0.1:3";
        NodeConfig a = parse("--name", "a", "--initial-advertise-peer-urls", "http://127.0.0.1:1",
                "--initial-cluster", cluster);
        NodeConfig b = parse("--name", "b", "--initial-advertise-peer-urls", "http://127.0.0.1:2",
                "--initial-cluster", cluster);
        assertEquals(a.clusterId(), b.clusterId());
        assertEquals(a.initialMemberIds(), b.initialMemberIds());
        assertEquals(a.initialMemberIds().get("b"), b.memberId());
        assertFalse(a.memberId() == b.memberId());
        assertEquals(2, a.peerAddresses().size());
        NodeConfig other = parse("--name", "a", "--initial-advertise-peer-urls", "http://127.0.0.1:1",
                "--initial-cluster", cluster, "--initial-cluster-token", "other");
        assertFalse(other.clusterId() == a.clusterId(), "the token separates clusters");
    }

    @Test
    void unknownFlagIsOneLineAndExitCodeTwo() {
        String[] r = runCapturingErr("--no-such-flag");
        assertEquals("2", r[0]);
        assertTrue(r[1].startsWith("keel: Unknown option: '--no-such-flag'"), r[1]);
        assertEquals(1, r[1].strip().lines().count(), r[1]);
    }

    @Test
    void invalidValuesAreRefusedWithExitCodeTwo() {
        assertEquals("2", runCapturingErr("--heartbeat-interval", "abc")[0]);
        String[] r = runCapturingErr("--heartbeat-interval", "300", "--election-timeout", "1000");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("should be at least as 5 times as --heartbeat-interval"), r[1]);
        r = runCapturingErr("--initial-cluster-state", "maybe");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("--initial-cluster-state"), r[1]);
        r = runCapturingErr("--listen-client-urls", "http://127.0.0.1:1");
        assertTrue(r[1].contains("--advertise-client-urls is required"), r[1]);
        r = runCapturingErr("--name", "x", "--initial-cluster", "y=http://127.0.0.1:1");
        assertTrue(r[1].contains("couldn't find local name \"x\""), r[1]);
        assertEquals("2", runCapturingErr("--listen-peer-urls", "localhost:2380")[0]);
        assertEquals("2", runCapturingErr("--auto-compaction-mode", "weekly", "--auto-compaction-retention", "1")[0]);
    }

    @Test
    void badUrlsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> parse("--listen-peer-urls", "ftp://x:1"));
        assertThrows(IllegalArgumentException.class,
                () -> parse("--initial-cluster", "default=notaurl", "--initial-advertise-peer-urls", "notaurl"));
    }

    @Test
    void versionAndHelpExitZero() {
        assertEquals(0, new CommandLine(new KeelMain()).setOut(new java.io.PrintWriter(new ByteArrayOutputStream()))
                .execute("--version"));
        assertEquals(0, new CommandLine(new KeelMain()).setOut(new java.io.PrintWriter(new ByteArrayOutputStream()))
                .execute("--help"));
    }

    @Test
    void watchFlagsDefaultToFourMebibytesAndEtcdsTenMinutes() {
        KeelMain main = new KeelMain();
        new CommandLine(main).parseArgs();
        assertEquals(new dev.keel.node.WatchSettings(4 << 20, 600_000), main.watchSettings());
        KeelMain set = new KeelMain();
        new CommandLine(set).parseArgs("--experimental-watch-progress-notify-interval=1m30s",
                "--watch-buffer-bytes", "1048576");
        assertEquals(new dev.keel.node.WatchSettings(1 << 20, 90_000), set.watchSettings());
        String[] bad = runCapturingErr("--experimental-watch-progress-notify-interval=10x");
        assertEquals("2", bad[0]);
        assertTrue(bad[1].contains("time: invalid duration \"10x\""), bad[1]);
        String[] small = runCapturingErr("--watch-buffer-bytes=100");
        assertEquals("2", small[0]);
        assertTrue(small[1].contains("--watch-buffer-bytes must be at least 65536"), small[1]);
    }
}
