package dev.keel.harness.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A member's process lifecycle and a failed start, with shell commands standing in for {@code bin/keel}. */
class MemberProcessTest {
    /** {@code sh -c script sh <flags...>}: the flags become the script's arguments. */
    private static List<String> shell(String script) {
        return List.of("sh", "-c", script, "sh");
    }

    /** @return the process's state letter from /proc (T when stopped), or empty once it is gone */
    private static Optional<String> state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Optional.of(stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void awaitState(long pid, String wanted) {
        assertTrue(Waits.poll(5_000, 10, () -> state(pid).filter(wanted::equals)).isPresent(),
                "pid " + pid + " is in state " + state(pid) + ", expected " + wanted);
    }

    @Test
    void pausesResumesKillsAndRestartsWithItsEnvironmentAndLog(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("n1.log");
        MemberProcess member = new MemberProcess("n1", 1234, 5678, log,
                shell("echo life $MARK $1; exec sleep 600"), Map.of("MARK", "marked"));
        member.start();
        try {
            assertTrue(member.alive());
            assertEquals("127.0.0.1:1234", member.clientEndpoint());
            assertEquals("http://127.0.0.1:5678", member.peerUrl());
            member.pause();
            assertTrue(member.paused());
            awaitState(member.pid(), "T");
            member.resume();
            assertFalse(member.paused());
            awaitState(member.pid(), "S");

            member.pause();
            long pid = member.pid();
            member.kill();
            assertFalse(member.alive());
            assertFalse(member.paused());
            assertEquals(Optional.empty(), state(pid).filter(s -> !s.equals("Z")));

            member.start();
            assertTrue(member.alive());
            assertThrows(IllegalStateException.class, member::start);
            assertTrue(Waits.poll(5_000, 10, () -> member.logTail(5).lines().count() == 2
                    ? Optional.of(true) : Optional.empty()).isPresent(), member.logTail(5));
            assertEquals("n1 | life marked\nn1 | life marked\n", member.logTail(5), "both lives append");
            member.stop(5_000);
            assertFalse(member.alive());
            assertThrows(IllegalStateException.class, member::pause);
        } finally {
            member.kill();
        }
    }

    @Test
    void aClusterWhoseMemberExitsFailsToStartWithItsLogTail(@TempDir Path dir) {
        List<String> lines = new CopyOnWriteArrayList<>();
        ClusterOptions options = new ClusterOptions(2, dir, shell("echo refusing $2; exit 3"), List.of(), false,
                lines::add);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TortureCluster.start(options));
        assertTrue(e.getMessage().contains("exited while the cluster started"), e.getMessage());
        assertTrue(e.getMessage().contains("n1 | refusing n1") || e.getMessage().contains("n2 | refusing n2"),
                e.getMessage());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("cluster closed")), lines.toString());
    }

    @Test
    void badOptionsAreRefused(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> TortureCluster.start(
                new ClusterOptions(8, dir, shell("true"), List.of(), false, line -> { })));
        assertThrows(IllegalArgumentException.class, () -> TortureCluster.start(
                new ClusterOptions(3, dir, List.of(), List.of(), false, line -> { })));
    }
}
