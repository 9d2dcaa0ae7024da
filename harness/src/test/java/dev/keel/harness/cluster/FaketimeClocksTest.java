package dev.keel.harness.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class FaketimeClocksTest {
    private static final Member MEMBER = new StubMember("n1", "127.0.0.1:1");

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null) {
            child.destroyForcibly();
            child.waitFor();
        }
    }

    @Test
    void aJumpAndARateChangeReachTheChildsWallAndMonotonicClocks() throws Exception {
        FaketimeClocks clocks = new FaketimeClocks(dir);
        requireLibfaketime(clocks);
        List<Sample> samples = startPrinter(clocks);
        Sample first = awaitSample(samples, s -> true, "the child to print under libfaketime");
        assertTrue(Math.abs(first.wallSkewMillis()) < 1_000, "unfaked start skewed by " + first.wallSkewMillis());

        clocks.jump(MEMBER, 5_000);
        Sample jumped = awaitSample(samples, s -> s.wallSkewMillis() > 4_000, "the +5 s jump");
        assertEquals(5_000, jumped.monotonicSkewMillis(first), 1_000, "nanoTime did not jump with the wall clock");

        clocks.rate(MEMBER, 2.0);
        Sample fast = awaitSample(samples, s -> s.childNanos - jumped.childNanos > 0
                && s.harnessNanos - jumped.harnessNanos > 2_500_000_000L, "2.5 s at rate 2");
        Sample before = samples.get(samples.indexOf(fast) - 10);
        double rate = (double) (fast.childNanos - before.childNanos) / (fast.harnessNanos - before.harnessNanos);
        assertEquals(2.0, rate, 0.3, "nanoTime's rate over the last second");
        // rebased: no leap of the whole process life when the rate changed, only the drift since (1 s per s at
        // rate 2) plus up to 1 s for libfaketime's reread of the file (the old spec ran on meanwhile)
        long driftedMillis = (fast.harnessNanos - jumped.harnessNanos) / 1_000_000;
        assertTrue(fast.wallSkewMillis() < 5_000 + driftedMillis + 1_500, "skew " + fast.wallSkewMillis());

        clocks.reset(MEMBER);
        Sample reset = awaitSample(samples, s -> Math.abs(s.wallSkewMillis()) < 300
                && s.harnessNanos > fast.harnessNanos, "the reset to real time");
        System.out.printf("libfaketime: start skew %d ms; after +5 s jump wall %d ms, nanoTime %d ms; rate %.2f; "
                        + "skew %d ms after %d ms at rate 2; after reset %d ms%n", first.wallSkewMillis(),
                jumped.wallSkewMillis(), jumped.monotonicSkewMillis(first), rate, fast.wallSkewMillis(),
                driftedMillis, reset.wallSkewMillis());
    }

    @Test
    void aRateChangeRebasesTheOffsetSoTheClockStaysContinuous() throws Exception {
        FaketimeClocks clocks = new FaketimeClocks(dir, Optional.of(Path.of("/nonexistent/libfaketime.so.1")));
        clocks.environment("n1");
        assertEquals("+0.000 x1.000000", clocks.spec("n1"));
        clocks.jump(MEMBER, -3_250);
        assertEquals("-3.250 x1.000000", clocks.spec("n1"));
        assertEquals("-3.250 x1.000000\n", Files.readString(dir.resolve("n1.faketime")));
        Thread.sleep(200);
        clocks.rate(MEMBER, 1.5);
        // offset + rate * elapsed must not change at the switch: the offset drops by 0.5 * elapsed (>= 0.2 s)
        String[] spec = clocks.spec("n1").split(" ");
        double offset = Double.parseDouble(spec[0]);
        assertTrue(offset < -3.3 && offset > -3.25 - 2, clocks.spec("n1"));
        assertEquals("x1.500000", spec[1]);
        clocks.reset(MEMBER);
        assertEquals("+0.000 x1.000000", clocks.spec("n1"));
    }

    @Test
    void withoutTheLibrarySaysWhatToInstall() {
        FaketimeClocks clocks = new FaketimeClocks(dir, Optional.empty());
        assertFalse(clocks.supported());
        assertTrue(clocks.unsupportedReason().contains("apt-get install -y libfaketime"), clocks.unsupportedReason());
        assertEquals(java.util.Map.of(), clocks.environment("n1"));
        assertThrows(IllegalStateException.class, () -> clocks.jump(MEMBER, 1_000));
    }

    @Test
    void aMemberNotStartedUnderItCannotBeChanged() {
        FaketimeClocks clocks = new FaketimeClocks(dir, Optional.of(Path.of("/nonexistent/libfaketime.so.1")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> clocks.rate(MEMBER, 1.5));
        assertTrue(e.getMessage().contains("n1"), e.getMessage());
        clocks.environment("n1");
        assertThrows(IllegalArgumentException.class, () -> clocks.rate(MEMBER, 0));
    }

    /** Under CI the machine must have libfaketime (.ci/run installs it); elsewhere the test is skipped, loudly. */
    private static void requireLibfaketime(FaketimeClocks clocks) {
        if (clocks.supported()) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true but " + clocks.unsupportedReason());
        }
        Assumptions.abort("skipped: " + clocks.unsupportedReason());
    }

    private List<Sample> startPrinter(FaketimeClocks clocks) throws Exception {
        String classes = Path.of(ClockPrinter.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx32m", "-XX:+UseSerialGC", "-cp", classes,
                ClockPrinter.class.getName());
        builder.environment().putAll(clocks.environment(MEMBER.name()));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        child = builder.start();
        List<Sample> samples = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String[] parts = line.split(" ");
                    samples.add(new Sample(Long.parseLong(parts[0]), Long.parseLong(parts[1]),
                            System.currentTimeMillis(), System.nanoTime()));
                }
            } catch (java.io.IOException e) {
                // the child was killed at the end of the test
            }
        }, "clock-printer-reader");
        reader.setDaemon(true);
        reader.start();
        return samples;
    }

    private Sample awaitSample(List<Sample> samples, java.util.function.Predicate<Sample> wanted, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        int seen = 0;
        while (System.nanoTime() < deadline) {
            List<Sample> now = new ArrayList<>(samples);
            for (int i = seen; i < now.size(); i++) {
                if (wanted.test(now.get(i))) {
                    return now.get(i);
                }
            }
            seen = now.size();
            if (!child.isAlive()) {
                fail("the child exited with " + child.exitValue() + " before " + what);
            }
            Thread.sleep(20);
        }
        fail("no sample showed " + what + " within 20 s; last: "
                + (samples.isEmpty() ? "none" : samples.get(samples.size() - 1)));
        return null;
    }

    /** One line of the child's, with the harness's clocks when it arrived. */
    private record Sample(long childWallMillis, long childNanos, long harnessWallMillis, long harnessNanos) {
        long wallSkewMillis() {
            return childWallMillis - harnessWallMillis;
        }

        long monotonicSkewMillis(Sample base) {
            return ((childNanos - base.childNanos) - (harnessNanos - base.harnessNanos)) / 1_000_000;
        }
    }
}
