package dev.keel.node.compat;

import dev.keel.node.Awaits;

import java.io.IOException;
import java.io.UncheckedIOException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * etcdctl 3.4's {@code watch} against one cluster, as a person uses it: the watch runs as its own process; when
 * it watches live, the session waits until the server has registered it (Keel's {@code WatchStats}, etcd's
 * {@code etcd_debugging_mvcc_watcher_total} metric) before writing, then waits for the events it must print
 * and stops it. Each step renders as the command, its masked stdout and stderr.
 */
final class EtcdctlWatch {
    private final ClusterFacts facts;
    private final OutputMasks masks;
    private final LongSupplier watchers;
    private final String endpoint;
    private final StringBuilder out = new StringBuilder();
    private int sentinels;
    /** The last value put to each key: a replaying watch has printed its history once that value shows. */
    private final Map<String, String> lastValue = new java.util.HashMap<>();

    /** @param isEtcd whether the cluster is the real etcd (its watcher count comes from its metrics) */
    EtcdctlWatch(ClusterFacts facts, long baseIndex, boolean isEtcd, LongSupplier keelWatchers) {
        this.facts = facts;
        this.masks = new OutputMasks(facts, baseIndex);
        this.endpoint = facts.endpoint("m1");
        this.watchers = isEtcd ? () -> etcdWatchers(endpoint) : keelWatchers;
    }

    String run() {
        command("put", "/cron/jobs/seed", "0");
        long seed = revisionOf("/cron/jobs/seed");
        watch(List.of("watch", "/cron/jobs/", "--prefix"), "/cron/jobs/~", () -> {
            command("put", "/cron/jobs/backup", "0 3 * * *");
            command("put", "/cron/jobs/report", "0 8 * * 1");
            command("del", "/cron/jobs/backup");
        });
        command("put", "foo", "bar");
        long foo = revisionOf("foo");
        command("put", "foo", "baz");
        watch(List.of("watch", "--rev=" + foo, "foo"), "foo", null);
        watch(List.of("watch", "--prefix", "/cron/jobs/", "--rev=" + seed), "/cron/jobs/~", null);
        watch(List.of("watch", "foo", "--prev-kv"), "foo", () -> command("put", "foo", "qux"));
        watch(List.of("watch", "foo", "--prev-kv", "-w", "json"), "foo", () -> command("put", "foo", "quux"));
        watch(List.of("watch", "foo", "-w", "json", "--rev=" + foo), "foo", null);
        watch(List.of("watch", "/cron/jobs/", "--prefix", "--rev=" + seed, "-w", "fields"), "/cron/jobs/~", null);
        command("put", "foo", "5");
        long last = revisionOf("foo");
        command("compact", Long.toString(last - 1));
        command("get", "--rev=" + (last - 2), "foo");
        command("get", "--rev=" + (last - 1), "foo");
        watch(List.of("watch", "--rev=" + (last - 2), "foo"), null, null);
        return out.toString();
    }

    private long revisionOf(String key) {
        Etcdctl.Outcome o = Etcdctl.run(endpoint, List.of("get", key, "-w", "json"), null);
        int at = o.stdout().indexOf("\"mod_revision\":");
        if (at < 0) {
            throw new AssertionError("no mod_revision for " + key + ": " + o.stdout() + o.stderr());
        }
        String rest = o.stdout().substring(at + "\"mod_revision\":".length());
        return Long.parseLong(rest.replaceAll("^(\\d+).*", "$1").lines().findFirst().orElseThrow());
    }

    private void command(String... args) {
        List<String> list = List.of(args);
        if (args[0].equals("put")) {
            lastValue.put(args[1], args[2]);
        }
        Etcdctl.Outcome o = Etcdctl.run(endpoint, list, null);
        render(list, o.stdout(), o.stderr(), "exit " + o.exitCode());
    }

    /**
     * Runs {@code etcdctl watch ...}: once the server has registered it, runs {@code writes}, then puts a last
     * value ("stop-N") to {@code sentinelKey} in the watched range and stops the watch when it printed that; with
     * no sentinel key, waits for etcdctl to exit by itself.
     */
    private void watch(List<String> args, String sentinelKey, Runnable writes) {
        long before = watchers.getAsLong();
        try (EtcdctlProcess p = new EtcdctlProcess(endpoint, args)) {
            String exit;
            if (sentinelKey != null) {
                Awaits.until("the server registered " + args, 30_000,
                        () -> watchers.getAsLong() > before || !p.isAlive());
                if (writes != null) {
                    writes.run();
                } else if (lastValue.containsKey(sentinelKey)) {
                    // History first, so the sentinel never joins the replayed response (keeps the grouping fixed).
                    String last = lastValue.get(sentinelKey);
                    Awaits.until(args + " replayed up to " + last, 30_000, () -> !p.isAlive() || printed(p, last));
                }
                String stop = "stop-" + (++sentinels);
                command("put", sentinelKey, stop);
                Awaits.until(args + " printed " + stop, 30_000, () -> !p.isAlive() || printed(p, stop));
                exit = p.isAlive() ? "stopped" : "exit " + p.exitValue();
            } else {
                Awaits.until(args + " exited", 30_000, () -> !p.isAlive());
                exit = "exit " + p.exitValue();
            }
            render(args, p.stdout(), p.stderr(), exit);
        }
        Awaits.until("the server dropped the watch of " + args, 30_000, () -> watchers.getAsLong() <= before);
    }

    private void render(List<String> args, String stdout, String stderr, String end) {
        out.append("$ etcdctl ").append(String.join(" ", args)).append('\n');
        for (String line : masks.mask(args, stdout).lines().toList()) {
            out.append(line).append('\n');
        }
        for (String line : masks.mask(args, stderr).lines().toList()) {
            out.append("stderr: ").append(line).append('\n');
        }
        out.append('[').append(end).append("]\n");
    }

    private static long etcdWatchers(String endpoint) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://" + endpoint + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body().lines().filter(l -> l.startsWith("etcd_debugging_mvcc_watcher_total "))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim()))
                    .findFirst().orElseThrow(() -> new AssertionError("etcd has no watcher metric"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** @return whether etcdctl printed {@code value}, as text or (with -w json) in base64 */
    private static boolean printed(EtcdctlProcess p, String value) {
        String text = p.stdout();
        return text.contains(value)
                || text.contains(java.util.Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }
}
