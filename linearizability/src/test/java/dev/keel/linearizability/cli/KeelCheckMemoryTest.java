package dev.keel.linearizability.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keel-check in its own small JVM, on a history bigger than the heap: running out of memory is the verdict
 * unknown (exit 2) with a one-line reason, never an OutOfMemoryError trace and exit 1 ("not linearizable").
 */
class KeelCheckMemoryTest {
    /** Small enough that the history below cannot fit, big enough for the JVM itself. */
    private static final String HEAP = "-Xmx32m";
    private static final int OPERATIONS = 200_000;

    @TempDir
    Path temp;

    @Test
    void runningOutOfMemoryIsUnknownWithOneLineOfReason() throws IOException, InterruptedException {
        Path history = temp.resolve("huge.edn");
        writeHistory(history);
        Path output = temp.resolve("output.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, HEAP, "-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), KeelCheck.class.getName(), "--timeout", "0",
                history.toString()))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keel-check did not finish within 60 s");
        String printed = Files.readString(output);
        assertEquals(2, process.exitValue(), printed);
        assertFalse(printed.contains("OutOfMemoryError") || printed.contains("\tat "), printed);
        List<String> lines = printed.strip().lines().toList();
        assertEquals("unknown", lines.get(lines.size() - 1), printed);
        String reason = lines.get(lines.size() - 2);
        assertTrue(reason.startsWith("stopped: out of memory while") || reason.startsWith("stopped: memory budget"),
                printed);
    }

    /** Concurrent writes of unique values with reads, as a real register test writes them: about 40 MB. */
    private static void writeHistory(Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("[");
            for (int i = 0; i < OPERATIONS; i++) {
                int process = i % 8;
                String f = i % 2 == 0 ? ":write" : ":read";
                out.write("{:process " + process + ", :type :invoke, :f " + f + ", :value " + (i % 2 == 0 ? i : "nil")
                        + ", :time " + (1_000_000_000L + i) + "}\n");
                out.write("{:process " + process + ", :type :ok, :f " + f + ", :value " + (i % 2 == 0 ? i : i - 1)
                        + ", :time " + (1_000_000_001L + i) + "}\n");
            }
            out.write("]\n");
        }
    }
}
