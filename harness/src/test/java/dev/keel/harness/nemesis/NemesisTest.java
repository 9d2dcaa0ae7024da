package dev.keel.harness.nemesis;

import dev.keel.harness.run.RunClock;
import dev.keel.linearizability.edn.EdnReader;
import dev.keel.linearizability.edn.Keyword;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class NemesisTest {
    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();

    @Test
    void runsEveryFaultInOrderAndHealsEach() throws Exception {
        FakeCluster cluster = new FakeCluster(3, true);
        FaultSchedule schedule = FaultSchedule.of(List.of(
                step(10, 60, FaultKind.ISOLATE_LEADER, List.of(), 0),
                step(90, 60, FaultKind.KILL_RANDOM, List.of(2), 0),
                step(170, 60, FaultKind.PAUSE_LEADER, List.of(), 0),
                step(250, 60, FaultKind.CLOCK_JUMP, List.of(1), -3_000),
                step(330, 90, FaultKind.TRANSFER_LEADER, List.of(0, 1, 0), 3)));
        Nemesis nemesis = run(cluster, schedule);
        awaitCondition(() -> nemesis.faultsStarted() == 5 && records().size() == 10);
        nemesis.stopAndHeal();

        assertEquals(List.of(
                "block n1->n2", "block n2->n1", "block n1->n3", "block n3->n1", "heal network",
                "kill n3", "restart n3",
                "pause n1", "resume n1",
                "jump n2 -3000", "reset clock n2",
                "moveLeader n2", "moveLeader n3", "moveLeader n1",
                "healAll"), cluster.calls());
        List<Map<Keyword, Object>> events = records();
        assertEquals(List.of("start-partition", "stop-partition", "start-kill", "stop-kill", "start-pause",
                "stop-pause", "start-clock", "stop-clock", "start-transfer", "stop-transfer"),
                events.stream().map(e -> ((Keyword) e.get(Keyword.of("f"))).name()).toList());
        assertEquals("isolate-leader n1 cut from n2,n3", events.get(0).get(Keyword.of("value")));
        for (Map<Keyword, Object> event : events) {
            assertEquals(Keyword.of("info"), event.get(Keyword.of("type")));
            assertEquals(Keyword.of("nemesis"), event.get(Keyword.of("process")));
            assertNull(event.get(Keyword.of("error")), event.toString());
        }
        assertTrue(log.stream().anyMatch(line -> line.matches("\\+0\\.\\ds isolate-leader: n1 cut from n2,n3")),
                log.toString());
    }

    @Test
    void aFailedFaultIsRecordedWithItsErrorAndTheRunGoesOn() throws Exception {
        FakeCluster cluster = new FakeCluster(3, true);
        cluster.refuse("addMember");
        cluster.refuse("kill n2");
        FaultSchedule schedule = FaultSchedule.of(List.of(
                step(10, 40, FaultKind.REPLACE_MEMBER, List.of(0), 0),
                step(60, 40, FaultKind.KILL_MAJORITY, List.of(0, 1, 2), 0),
                step(110, 40, FaultKind.PAUSE_RANDOM, List.of(1), 0)));
        Nemesis nemesis = run(cluster, schedule);
        awaitCondition(() -> nemesis.faultsStarted() == 3 && records().size() == 6);
        nemesis.stopAndHeal();

        List<Map<Keyword, Object>> events = records();
        assertTrue(((String) events.get(0).get(Keyword.of("error"))).contains("addMember refused"), events.toString());
        assertTrue(((String) events.get(2).get(Keyword.of("error"))).contains("kill n2 refused"), events.toString());
        assertNull(events.get(4).get(Keyword.of("error")));
        // the kill of n1 went through before n2's failed: only n1 is restarted
        assertEquals(List.of("addMember refused", "kill n1", "kill n2 refused", "restart n1", "pause n2",
                "resume n2", "healAll"), cluster.calls());
    }

    @Test
    void replacingAMemberNeverLeavesFewerThanThree() throws Exception {
        FakeCluster three = new FakeCluster(3, true);
        Nemesis first = run(three, FaultSchedule.of(List.of(step(10, 40, FaultKind.REPLACE_MEMBER, List.of(1), 0))));
        awaitCondition(() -> records().size() == 2);
        first.stopAndHeal();
        assertEquals(List.of("addMember n4", "removeMember n3", "healAll"), three.calls());

        FakeCluster four = new FakeCluster(4, true);
        Files.delete(dir.resolve("nemesis.edn"));
        Nemesis second = run(four, FaultSchedule.of(List.of(step(10, 40, FaultKind.REPLACE_MEMBER, List.of(1), 0))));
        awaitCondition(() -> records().size() == 2);
        second.stopAndHeal();
        assertEquals(List.of("removeMember n3", "addMember n5", "healAll"), four.calls());
    }

    @Test
    void clockFaultsAreSkippedWithoutClockControl() throws Exception {
        FakeCluster cluster = new FakeCluster(3, false);
        Nemesis nemesis = run(cluster, FaultSchedule.of(List.of(
                step(10, 30, FaultKind.CLOCK_DRIFT, List.of(0), 1_500),
                step(50, 30, FaultKind.KILL_LEADER, List.of(), 0))));
        awaitCondition(() -> records().size() == 2);
        nemesis.stopAndHeal();
        assertEquals(1, nemesis.faultsStarted());
        assertEquals(List.of("kill n1", "restart n1", "healAll"), cluster.calls());
        assertTrue(log.stream().anyMatch(line -> line.contains("clock-drift skipped: no libfaketime in the test")),
                log.toString());
    }

    @Test
    void stopAndHealEndsALongFaultAtOnce() throws Exception {
        FakeCluster cluster = new FakeCluster(3, true);
        Nemesis nemesis = run(cluster, FaultSchedule.of(List.of(
                step(10, 600_000, FaultKind.MAJORITY_MINORITY, List.of(2, 0, 1), 0),
                step(700_000, 1_000, FaultKind.KILL_LEADER, List.of(), 0))));
        awaitCondition(() -> records().size() == 1);
        long before = System.nanoTime();
        nemesis.stopAndHeal();
        long tookMillis = (System.nanoTime() - before) / 1_000_000;
        assertTrue(tookMillis < 2_000, "stopAndHeal took " + tookMillis + " ms");
        assertEquals(List.of("block n3->n1", "block n1->n3", "block n3->n2", "block n2->n3", "heal network",
                "healAll"), cluster.calls());
        assertEquals(2, records().size());
        assertEquals("majority-minority n3 | n1,n2", records().get(0).get(Keyword.of("value")));
    }

    @Test
    void stopAndHealBeforeStartOnlyHeals() {
        FakeCluster cluster = new FakeCluster(3, true);
        Nemesis nemesis = new Nemesis(cluster, FaultSchedule.of(List.of()), new RunClock(),
                dir.resolve("nemesis.edn"), log::add);
        nemesis.stopAndHeal();
        assertEquals(List.of("healAll"), cluster.calls());
        assertEquals(List.of(), records());
    }

    private Nemesis run(FakeCluster cluster, FaultSchedule schedule) {
        Nemesis nemesis = new Nemesis(cluster, schedule, new RunClock(), dir.resolve("nemesis.edn"), log::add);
        nemesis.start();
        return nemesis;
    }

    private static FaultStep step(long start, long duration, FaultKind kind, List<Integer> picks, long amount) {
        return new FaultStep(start, duration, kind, picks, amount);
    }

    /** The record file read back with Keel's EDN reader: the test fails if it is not valid EDN. */
    @SuppressWarnings("unchecked")
    private List<Map<Keyword, Object>> records() {
        try {
            Path file = dir.resolve("nemesis.edn");
            if (!Files.exists(file)) {
                return List.of();
            }
            return (List<Map<Keyword, Object>>) EdnReader.readOne(Files.readString(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("condition not reached within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
