package dev.keel.node.process;

import com.google.protobuf.ByteString;
import dev.keel.replica.wal.WalRecord;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A one-member {@code bin/keel} process killed with SIGKILL, and restarted on a WAL a crash or a disk damaged. */
class SingleMemberCrashIT {
    private static final long START_MILLIS = 40_000;

    @RegisterExtension
    final LogsOnFailure logs = new LogsOnFailure();
    private ProcessCluster cluster;

    @AfterEach
    void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private KeelProcess startMember() {
        cluster = logs.watch(ProcessCluster.builder().members(1).start());
        cluster.awaitLeader(START_MILLIS);
        return cluster.member(0);
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkillDuringAStreamOfWrites() {
        KeelProcess member = startMember();
        Map<String, String> acked;
        try (AckedWriters writers = AckedWriters.start("crash/", 4, () -> List.of(member.endpoint()),
                Long.MAX_VALUE)) {
            writers.awaitAcked(400, 30_000);
            Waits.until("puts are in flight", 5_000, () -> writers.inFlight() > 0);
            member.kill();
            acked = writers.stop();
            System.out.printf("single member: SIGKILL after %d acknowledged puts (%d failed)%n", acked.size(),
                    writers.failures());
        }
        member.start();
        cluster.awaitLeader(START_MILLIS);
        Map<String, String> found = EtcdStubs.read(member.endpoint(), "crash/", false);
        assertHoldsAll(acked, found, member + " after restart (linearizable read)");
        assertTrue(found.size() >= acked.size());
        System.out.printf("single member: all %d acknowledged puts found after restart (%d keys in all)%n",
                acked.size(), found.size());

        // SIGTERM is an operator's stop: the shutdown hook closes the member, which says so.
        int exit = member.terminate(20_000);
        assertTrue(exit == 0 || exit == 128 + 15, "SIGTERM exit code " + exit);
        assertTrue(member.logOfThisLife().contains(" stopped"), member.logTail(5));
        System.out.println("single member: SIGTERM -> exit " + exit);
    }

    @Test
    void aTornWalTailIsCutWithAWarningAndTheMemberServes() {
        KeelProcess member = startMember();
        Map<String, String> acked = writeAndKill(member, "torn/");
        Path last = lastSegment(member);
        List<WalFiles.Record> records = WalFiles.records(last);
        WalFiles.Record cut = records.get(records.size() - 1);
        // A crash mid-write: only part of the last record reached the disk, the rest of the file is gone.
        WalFiles.truncate(last, cut.offset() + WalRecord.HEADER + cut.payloadLength() / 2);

        member.start();
        cluster.awaitLeader(START_MILLIS);
        String warning = member.logOfThisLife().lines().filter(l -> l.contains("torn"))
                .reduce((a, b) -> a + "\n" + b).orElse("");
        assertEquals(1, warning.lines().count(), "one warning about the torn tail: " + warning);
        assertTrue(warning.contains("WARN") && warning.contains("segment " + WalFiles.sequence(last))
                        && warning.contains("at offset " + cut.offset()) && warning.contains(last.getFileName().toString()),
                "a warning names the torn tail's segment file and offset: " + warning);
        System.out.println("torn tail: " + warning);

        Map<String, String> found = EtcdStubs.read(member.endpoint(), "torn/", false);
        String cutBytes = new String(cut.payload(), StandardCharsets.ISO_8859_1);
        Map<String, String> expected = new HashMap<>(acked);
        // The cut record's own put (if it holds one) is what this "crash" lost.
        expected.entrySet().removeIf(e -> cutBytes.contains(e.getKey()) && cutBytes.contains(e.getValue()));
        assertHoldsAll(expected, found, member + " after cutting the torn tail");
        member.kv().put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("after-torn"))
                .setValue(ByteString.copyFromUtf8("served")).build());
        assertEquals("served", member.kv().range(RangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("after-torn")).build()).getKvs(0).getValue().toStringUtf8());
    }

    @Test
    void aCorruptedEarlyRecordKeepsTheMemberDownNamingTheSegmentFileAndOffset() {
        KeelProcess member = startMember();
        writeAndKill(member, "rot/");
        Path first = WalFiles.segments(member.walDir()).get(0);
        List<WalFiles.Record> records = WalFiles.records(first);
        assertTrue(records.size() > 10, "the first segment holds the early records: " + records.size());
        WalFiles.Record early = records.get(2);
        WalFiles.flipByte(first, early.offset() + WalRecord.HEADER + early.payloadLength() / 2);

        member.start();
        int exit = member.awaitExit(START_MILLIS);
        String log = member.logOfThisLife();
        assertNotEquals(0, exit, "exit code; log:\n" + log);
        assertTrue(log.contains(first.getFileName().toString()) && log.contains("offset " + early.offset()),
                "stderr names the segment file and the offset " + early.offset() + ":\n" + log);
        System.out.println("corrupted record: exit " + exit + ": " + log.strip());
    }

    /** Writes a few hundred keys, waits for every writer to finish, then SIGKILLs the member. */
    private static Map<String, String> writeAndKill(KeelProcess member, String prefix) {
        try (AckedWriters writers = AckedWriters.start(prefix, 4, () -> List.of(member.endpoint()), 300)) {
            writers.awaitDone(30_000);
            Map<String, String> acked = writers.stop();
            member.kill();
            return acked;
        }
    }

    private static Path lastSegment(KeelProcess member) {
        List<Path> segments = WalFiles.segments(member.walDir());
        return segments.get(segments.size() - 1);
    }

    static void assertHoldsAll(Map<String, String> acked, Map<String, String> found, String where) {
        int missing = 0;
        StringBuilder sample = new StringBuilder();
        for (Map.Entry<String, String> e : acked.entrySet()) {
            if (!e.getValue().equals(found.get(e.getKey()))) {
                if (missing++ < 5) {
                    sample.append(' ').append(e.getKey()).append('=').append(found.get(e.getKey()));
                }
            }
        }
        assertEquals(0, missing, missing + " of " + acked.size() + " acknowledged puts lost or changed on " + where
                + ", e.g." + sample);
    }
}
