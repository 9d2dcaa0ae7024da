package dev.keel.benchmarks.compare;

import dev.keel.benchmarks.node.LocalCluster.Kind;
import dev.keel.node.disk.FsyncProbe;

import java.util.ArrayList;
import java.util.List;

/** The goals Keel is measured against (reported, never asserted), each judged met or not from one run. */
final class Targets {
    /** A target's outcome. */
    enum Verdict {
        MET("met"), NOT_MET("not met"), NOT_MEASURED("not measured");

        final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    /**
     * One target.
     *
     * @param goal     what is asked
     * @param measured what was found
     * @param verdict  met or not
     */
    record Target(String goal, String measured, Verdict verdict) {
    }

    private Targets() {
    }

    static List<Target> judge(Results r, FsyncProbe.Result fsync) {
        List<Target> out = new ArrayList<>();
        out.add(putThroughput(r));
        out.add(throughput(r, Scenario.RANGE_L_64));
        out.add(throughput(r, Scenario.RANGE_S_64));
        out.add(singlePut(r, fsync));
        out.add(watch(r));
        out.add(memory(r));
        return out;
    }

    private static Target putThroughput(Results r) {
        String goal = "3 members, put at 64 clients: throughput ≥ 2× etcd's and p99 ≤ 0.5× etcd's";
        Results.Measured k = r.get(Scenario.PUT_64, Kind.KEEL);
        Results.Measured e = r.get(Scenario.PUT_64, Kind.ETCD);
        if (k == null || e == null) {
            return new Target(goal, "—", Verdict.NOT_MEASURED);
        }
        double t = k.load().opsPerSecond() / e.load().opsPerSecond();
        double p = k.load().micros(99) / e.load().micros(99);
        return new Target(goal, String.format("throughput %.2f×, p99 %.2f×", t, p), verdict(t >= 2 && p <= 0.5));
    }

    private static Target throughput(Results r, Scenario s) {
        String goal = "3 members, " + s.label + ": throughput ≥ 2× etcd's";
        Results.Measured k = r.get(s, Kind.KEEL);
        Results.Measured e = r.get(s, Kind.ETCD);
        if (k == null || e == null) {
            return new Target(goal, "—", Verdict.NOT_MEASURED);
        }
        double t = k.load().opsPerSecond() / e.load().opsPerSecond();
        return new Target(goal, String.format("%.2f×", t), verdict(t >= 2));
    }

    private static Target singlePut(Results r, FsyncProbe.Result fsync) {
        String goal = "3 members, put at 1 client: p50 ≤ 2 × one fsync (p50 " + fsync.p50Micros() + " µs)";
        Results.Measured k = r.get(Scenario.PUT_1, Kind.KEEL);
        if (k == null || fsync.p50Micros() == 0) {
            return new Target(goal, "—", Verdict.NOT_MEASURED);
        }
        double f = k.load().micros(50) / fsync.p50Micros();
        Results.Measured e = r.get(Scenario.PUT_1, Kind.ETCD);
        String etcd = e == null ? "" : String.format(" (etcd %.1f×)", e.load().micros(50) / fsync.p50Micros());
        return new Target(goal, String.format("%,.0f µs = %.1f× fsync%s", k.load().micros(50), f, etcd),
                verdict(f <= 2));
    }

    private static Target watch(Results r) {
        String goal = "watch delivery p99, 64 writers and 100 watchers: ≤ etcd's";
        Results.Measured k = r.get(Scenario.WATCH, Kind.KEEL);
        Results.Measured e = r.get(Scenario.WATCH, Kind.ETCD);
        if (k == null || e == null || k.load().ops() == 0 || e.load().ops() == 0) {
            return new Target(goal, "—", Verdict.NOT_MEASURED);
        }
        double p = k.load().micros(99) / e.load().micros(99);
        return new Target(goal, String.format("%,.0f vs %,.0f µs = %.2f×", k.load().micros(99), e.load().micros(99),
                p), verdict(p <= 1));
    }

    private static Target memory(Results r) {
        MemoryProbe.Result k = r.memory(Kind.KEEL);
        MemoryProbe.Result e = r.memory(Kind.ETCD);
        String goal = "resident set of a member holding the keys (largest member): ≤ etcd's";
        if (k == null || e == null || e.maxRssKib() == 0) {
            return new Target(goal, "—", Verdict.NOT_MEASURED);
        }
        double m = (double) k.maxRssKib() / e.maxRssKib();
        return new Target(goal, String.format("%,d keys: %,d vs %,d MiB = %.2f×", k.keys(), k.maxRssKib() / 1024,
                e.maxRssKib() / 1024, m), verdict(m <= 1));
    }

    private static Verdict verdict(boolean met) {
        return met ? Verdict.MET : Verdict.NOT_MET;
    }
}
