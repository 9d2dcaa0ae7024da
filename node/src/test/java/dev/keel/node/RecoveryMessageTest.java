package dev.keel.node;

import dev.keel.node.disk.FileDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Recovery messages name the WAL segment's file, which is what an operator inspects or restores. */
class RecoveryMessageTest {
    @TempDir
    Path dataDir;

    @Test
    void eachSegmentMentionGetsItsFile() {
        try (FileDisk disk = FileDisk.open(dataDir, 1 << 20)) {
            String wal = dataDir.resolve("member").resolve("wal").toAbsolutePath().toString();
            assertEquals("record checksum mismatch in WAL segment 26 (file " + wal + "/000000000000001a.wal)"
                            + " at offset 87",
                    KeelNode.withSegmentFiles("record checksum mismatch in WAL segment 26 at offset 87", disk));
            assertEquals("cut a torn WAL tail in segment 0 (file " + wal + "/0000000000000000.wal) at offset 9",
                    KeelNode.withSegmentFiles("cut a torn WAL tail in segment 0 at offset 9", disk));
            assertEquals("WAL entry 5 follows 3: a gap in the log",
                    KeelNode.withSegmentFiles("WAL entry 5 follows 3: a gap in the log", disk));
        }
    }
}
