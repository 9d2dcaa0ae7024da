package dev.keel.node.disk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FsyncProbeTest {
    @TempDir
    Path dir;

    @Test
    void measuresAndLeavesNoFile() throws IOException {
        FsyncProbe.Result r = FsyncProbe.measure(dir, 20, 512);
        assertEquals(20, r.samples());
        assertTrue(r.p50Micros() <= r.p99Micros() && r.p99Micros() <= r.maxMicros(), r.toString());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "the probe file is removed");
        }
    }

    @Test
    void refusesCountsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> FsyncProbe.measure(dir, 0, 512));
        assertThrows(IllegalArgumentException.class, () -> FsyncProbe.measure(dir, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> FsyncProbe.measure(dir, 1 << 20, 1 << 20));
    }
}
