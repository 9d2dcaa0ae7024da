package dev.keel.harness.run;

import dev.keel.harness.cluster.ClusterControl;
import dev.keel.harness.cluster.ClusterOptions;
import dev.keel.harness.cluster.Member;
import dev.keel.harness.cluster.TortureCluster;
import dev.keel.harness.nemesis.FaultSchedule;
import dev.keel.harness.nemesis.Nemesis;
import dev.keel.harness.workload.Workload;
import dev.keel.harness.workload.WorkloadContext;
import dev.keel.harness.workload.WorkloadResult;
import dev.keel.harness.workload.WorkloadResult.Outcome;
import dev.keel.harness.workload.Workloads;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One run: start the cluster, start every workload, run the fault schedule, heal, let the workloads finish
 * (final reads), check each, write the folder and print the summary. Faults and verdicts go to the terminal;
 * everything else to {@code harness.log}.
 */
public final class TortureRun {
    /** Healed traffic after the last fault, before the clients stop: lets the cluster show it recovered. */
    private static final long HEALED_MILLIS = 3_000;
    private static final long PROGRESS_EVERY_MILLIS = 5_000;
    private static final long LEADER_AFTER_HEAL_MILLIS = 30_000;

    private final TortureOptions options;
    private final PrintStream out;
    private final RunClock clock = new RunClock();

    /** @param out the terminal: progress lines, fault lines, the summary */
    public TortureRun(TortureOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * Runs it.
     *
     * @return what every checker found
     * @throws IllegalStateException when the cluster could not start or recover (the message says where the logs
     *                               are)
     */
    public RunSummary run() {
        RunFolder folder = RunFolder.create(options.dir());
        FaultSchedule schedule = options.schedule().orElseGet(() -> FaultSchedule.drawKinds(options.seed(),
                options.faults(), options.faultMillis(), options.members()));
        folder.write("schedule.txt", "seed " + options.seedText() + "\n" + schedule.describe());
        folder.write("run.txt", describeRun());
        out.println("keel-torture: " + options.members() + " members, " + options.faultMillis() / 1000
                + " s of faults from seed " + options.seedText() + ", workloads " + options.workloads()
                + ", folder " + options.dir());
        out.print(schedule.describe());
        List<Workload> workloads = options.workloads().stream().map(Workloads::byName).toList();
        try (RunLog log = new RunLog(clock, options.dir().resolve("harness.log"), out);
             ClusterControl cluster = TortureCluster.start(clusterOptions(log))) {
            log.shown("run", "cluster up: " + cluster.members().size() + " members, leader "
                    + cluster.leader().map(Member::name).orElse("not agreed yet"));
            List<WorkloadContext> contexts = contexts(cluster, log);
            for (int i = 0; i < workloads.size(); i++) {
                workloads.get(i).start(contexts.get(i));
            }
            Nemesis nemesis = new Nemesis(cluster, schedule, clock, options.dir().resolve("nemesis.edn"),
                    line -> log.shown("nemesis", line));
            nemesis.start();
            waitWithProgress(workloads, nemesis, options.faultMillis(), log);
            nemesis.stopAndHeal();
            log.shown("run", "faults over and healed; leader " + awaitLeader(cluster, log));
            waitWithProgress(workloads, nemesis, HEALED_MILLIS, log);
            for (Workload w : workloads) {
                w.stop();
            }
            for (int i = 0; i < workloads.size(); i++) {
                log.line("run", "finishing " + workloads.get(i).name());
                workloads.get(i).finish(contexts.get(i));
            }
            List<WorkloadResult> results = check(workloads, log);
            RunSummary summary = new RunSummary(options.seedText(), options.dir(), results,
                    nemesis.faultsStarted(), clock.millis() / 1000.0);
            folder.write("summary.txt", summary.table());
            RunReport.write(summary, schedule.describe());
            if (summary.outcome() == Outcome.PASS && !options.keepData()) {
                folder.deleteDataDirs();
            }
            return summary;
        }
    }

    private ClusterOptions clusterOptions(RunLog log) {
        boolean clocks = options.faults().stream()
                .anyMatch(k -> k.family() == dev.keel.harness.nemesis.FaultFamily.CLOCK);
        return new ClusterOptions(options.members(), options.dir(), options.launcher(), options.memberFlags(),
                clocks, line -> log.line("cluster", line));
    }

    /** One context per workload, each with its own seed split from the run's. */
    private List<WorkloadContext> contexts(ClusterControl cluster, RunLog log) {
        SplittableRandom seeds = new SplittableRandom(options.seed());
        List<WorkloadContext> contexts = new ArrayList<>();
        for (String name : options.workloads()) {
            contexts.add(new WorkloadContext(cluster::clientEndpoints, seeds.nextLong(), options.clients(),
                    options.opTimeoutMillis(), clock, line -> log.line(name, line)));
        }
        return contexts;
    }

    private void waitWithProgress(List<Workload> workloads, Nemesis nemesis, long millis, RunLog log) {
        long end = clock.millis() + millis;
        long nextProgress = clock.millis() + PROGRESS_EVERY_MILLIS;
        while (clock.millis() < end) {
            try {
                Thread.sleep(Math.max(1, Math.min(end, nextProgress) - clock.millis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (clock.millis() >= nextProgress) {
                nextProgress += PROGRESS_EVERY_MILLIS;
                log.shown("progress", progressLine(workloads, nemesis));
            }
        }
    }

    private static String progressLine(List<Workload> workloads, Nemesis nemesis) {
        StringBuilder line = new StringBuilder();
        for (Workload w : workloads) {
            line.append(w.name()).append(' ').append(w.progress()).append(" | ");
        }
        return line.append("faults ").append(nemesis.faultsStarted()).toString();
    }

    private String awaitLeader(ClusterControl cluster, RunLog log) {
        long deadline = clock.millis() + LEADER_AFTER_HEAL_MILLIS;
        while (clock.millis() < deadline) {
            Optional<Member> leader = cluster.leader();
            if (leader.isPresent()) {
                return leader.get().name();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log.shown("run", "no agreed leader " + LEADER_AFTER_HEAL_MILLIS / 1000
                + " s after healing: the final reads may fail (see the members' logs)");
        return "none";
    }

    private List<WorkloadResult> check(List<Workload> workloads, RunLog log) {
        List<WorkloadResult> results = new ArrayList<>();
        for (Workload w : workloads) {
            WorkloadResult r;
            try {
                r = w.check(options.dir());
            } catch (RuntimeException e) {
                log.line("run", "checking " + w.name() + " failed: " + e);
                r = new WorkloadResult(w.name(), Outcome.UNKNOWN, "the checker failed: " + e, 0, 0, 0, List.of());
            }
            log.shown("verdict", w.name() + " " + r.outcome() + ": " + r.headline());
            results.add(r);
        }
        return results;
    }

    private String describeRun() {
        return "seed " + options.seedText() + "\nmembers " + options.members() + "\nfault time "
                + options.faultMillis() + " ms\nfaults " + options.faults() + "\nworkloads "
                + options.workloads() + "\nclients per workload " + options.clients() + "\nop timeout "
                + options.opTimeoutMillis() + " ms\nlauncher " + String.join(" ", options.launcher())
                + "\nmember flags " + String.join(" ", options.memberFlags()) + "\n";
    }

    /** The run's folder. */
    private record RunFolder(Path dir) {
        static RunFolder create(Path dir) {
            try {
                if (Files.isDirectory(dir)) {
                    try (var entries = Files.list(dir)) {
                        if (entries.findAny().isPresent()) {
                            throw new IllegalArgumentException(dir + " already holds files; give a new --out folder");
                        }
                    }
                }
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("could not create the run's folder " + dir, e);
            }
            return new RunFolder(dir);
        }

        void write(String name, String text) {
            try {
                Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write " + dir.resolve(name), e);
            }
        }

        /** A passing run's member data is of no further use and can be large; the logs stay. */
        void deleteDataDirs() {
            try (var entries = Files.list(dir)) {
                for (Path p : entries.filter(p -> p.getFileName().toString().endsWith(".keel")).toList()) {
                    try (var all = Files.walk(p)) {
                        for (Path q : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(q);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete the data directories in " + dir, e);
            }
        }
    }
}
