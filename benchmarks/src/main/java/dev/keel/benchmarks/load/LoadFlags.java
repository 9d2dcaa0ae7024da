package dev.keel.benchmarks.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Parses {@code bin/keel-bench}'s command line into {@link LoadOptions}; every mistake is one clear line. */
public final class LoadFlags {
    /** The usage text. */
    public static final String USAGE = """
            usage: keel-bench WORKLOAD [flags]     WORKLOAD: put | range | txn-cas | watch | lease-keepalive | mixed
              --endpoints H:P,...   members to send to (default 127.0.0.1:2379)    --to-leader  only the leader
              --clients N           requests in flight (default 1)    --conns N  HTTP/2 connections (default 1)
              --key-size B  --key-space N  --val-size B    (defaults 8, 1000, 256)
              --duration S | --total N   measured length (default 10 s)    --warmup S (default 5)
              --rate R              open loop: R requests/s, latency from each one's intended send time
              --watchers N          watch streams on the key range (watch; default 10)
              --consistency l|s     linearizable or serializable ranges (default l)    --read-ratio F (mixed; 0.5)
              --hlog FILE           HdrHistogram interval log (HistogramLogAnalyzer, HistogramLogProcessor)
              --format text|json    --progress S (seconds between progress lines; 0 for none; default 5)
              --timeout-ms N        a request's deadline (default 10000)""";

    private LoadFlags() {
    }

    /** @throws IllegalArgumentException for an unknown flag or a bad value, saying which */
    public static LoadOptions parse(String[] argv) {
        List<String> args = new java.util.ArrayList<>(split(argv));
        // The workload is the one bare word, before or after the flags (etcd's benchmark puts flags first).
        String name = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                name = args.remove(i);
                break;
            }
            if (!a.equals("--to-leader")) {
                i++; // the flag's value
            }
        }
        if (name == null) {
            throw new IllegalArgumentException("name a workload: " + Workload.names());
        }
        args.add(0, name);
        LoadOptions d = LoadOptions.defaults(Workload.parse(name));
        List<String> endpoints = d.endpoints();
        int clients = d.clients();
        int conns = d.conns();
        int keySize = d.keySize();
        int keySpace = d.keySpace();
        int valSize = d.valSize();
        Duration duration = null;
        long total = 0;
        Duration warmup = d.warmup();
        double rate = 0;
        int watchers = d.watchers();
        Path hlog = null;
        boolean toLeader = false;
        boolean json = false;
        boolean serializable = false;
        double readRatio = d.readRatio();
        int progress = d.progressSeconds();
        long timeout = d.timeoutMillis();
        for (int i = 1; i < args.size(); i++) {
            String flag = args.get(i);
            if (flag.equals("--to-leader")) {
                toLeader = true;
                continue;
            }
            if (!flag.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + flag + "'");
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = args.get(++i);
            switch (flag) {
                case "--endpoints" -> endpoints = endpoints(v);
                case "--clients" -> clients = (int) whole(flag, v);
                case "--conns" -> conns = (int) whole(flag, v);
                case "--key-size" -> keySize = (int) whole(flag, v);
                case "--key-space" -> keySpace = (int) whole(flag, v);
                case "--val-size" -> valSize = (int) whole(flag, v);
                case "--duration" -> duration = seconds(flag, v);
                case "--total" -> total = whole(flag, v);
                case "--warmup" -> warmup = seconds(flag, v);
                case "--rate" -> rate = decimal(flag, v);
                case "--watchers" -> watchers = (int) whole(flag, v);
                case "--hlog" -> hlog = Path.of(v);
                case "--format" -> json = choice(flag, v, "text", "json");
                case "--consistency" -> serializable = choice(flag, v, "l", "s");
                case "--read-ratio" -> readRatio = decimal(flag, v);
                case "--progress" -> progress = (int) whole(flag, v);
                case "--timeout-ms" -> timeout = whole(flag, v);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (duration == null && total == 0) {
            duration = d.duration();
        }
        return new LoadOptions(d.workload(), endpoints, clients, conns, keySize, keySpace, valSize, duration, total,
                warmup, rate, watchers, hlog, toLeader, json, serializable, readRatio, progress, timeout);
    }

    /** Splits {@code --flag=value} into two arguments. */
    private static List<String> split(String[] argv) {
        return Arrays.stream(argv).flatMap(a -> a.startsWith("--") && a.contains("=")
                ? java.util.stream.Stream.of(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1))
                : java.util.stream.Stream.of(a)).toList();
    }

    private static List<String> endpoints(String v) {
        List<String> eps = Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.replaceFirst("^https?://", "")).toList();
        for (String e : eps) {
            int colon = e.lastIndexOf(':');
            if (colon <= 0 || !e.substring(colon + 1).matches("\\d{1,5}")) {
                throw new IllegalArgumentException("--endpoints takes host:port,...: '" + e + "'");
            }
        }
        return eps;
    }

    private static long whole(String flag, String v) {
        try {
            long n = Long.parseLong(v.replace("_", ""));
            if (n < 0) {
                throw new IllegalArgumentException(flag + " must not be negative: " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes a whole number: '" + v + "'");
        }
    }

    private static double decimal(String flag, String v) {
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes a number: '" + v + "'");
        }
    }

    /** Accepts {@code 10}, {@code 10s}, {@code 1.5s}, {@code 500ms}, {@code 2m}. */
    private static Duration seconds(String flag, String v) {
        String s = v.trim();
        double factor = 1000;
        if (s.endsWith("ms")) {
            factor = 1;
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            factor = 60_000;
            s = s.substring(0, s.length() - 1);
        }
        try {
            double millis = Double.parseDouble(s) * factor;
            if (millis < 0 || !Double.isFinite(millis)) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(Math.round(millis));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes seconds (10, 1.5s, 500ms, 2m): '" + v + "'");
        }
    }

    private static boolean choice(String flag, String v, String no, String yes) {
        if (v.equals(no)) {
            return false;
        }
        if (v.equals(yes)) {
            return true;
        }
        throw new IllegalArgumentException(flag + " is " + no + " or " + yes + ": '" + v + "'");
    }
}
