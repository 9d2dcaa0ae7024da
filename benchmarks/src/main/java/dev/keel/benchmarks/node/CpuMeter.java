package dev.keel.benchmarks.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The CPU time a cluster's member processes use during a load's measured phase, read from Linux's
 * {@code /proc/<pid>/stat} (user + system time, every thread: JIT and GC included, which is what a put costs a
 * JVM). On a shared machine latency depends on what else runs; CPU time per put does much less, so it says
 * where the two systems differ even when the wall-clock figures are noisy.
 */
public final class CpuMeter {
    /** Linux reports times in clock ticks of 1/100 s ({@code getconf CLK_TCK}) on every usual kernel. */
    private static final double MILLIS_PER_TICK = 10.0;

    private final List<Long> pids;
    private final Thread sampler;
    private volatile double millis = -1;

    /** Starts sampling: at {@code warmup} from now, then {@code warmup + measure} from now. */
    private CpuMeter(List<Long> pids, Duration warmup, Duration measure) {
        this.pids = pids;
        long start = System.nanoTime();
        this.sampler = new Thread(() -> {
            sleepUntil(start + warmup.toNanos());
            double from = ticks();
            sleepUntil(start + warmup.toNanos() + measure.toNanos());
            millis = (ticks() - from) * MILLIS_PER_TICK;
        }, "keel-node-bench-cpu");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts measuring the members of {@code cluster} over a load that begins now. */
    public static CpuMeter start(LocalCluster cluster, Duration warmup, Duration measure) {
        return new CpuMeter(cluster.memberPids(), warmup, measure);
    }

    /** @return the members' CPU milliseconds in the measured phase, waiting for its end; 0 if unreadable */
    public double awaitMillis() throws InterruptedException {
        sampler.join(TimeUnit.MINUTES.toMillis(30));
        return Math.max(0, millis);
    }

    private double ticks() {
        double sum = 0;
        for (long pid : pids) {
            sum += ticksOf(pid);
        }
        return sum;
    }

    /** @return utime + stime of the process, or 0 if it is gone or this is not Linux */
    static double ticksOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its end.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Double.parseDouble(f[11]) + Double.parseDouble(f[12]); // fields 14 and 15: utime, stime
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static void sleepUntil(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
