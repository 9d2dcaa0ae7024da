package dev.keel.harness.workload;

import com.google.protobuf.ByteString;
import dev.keel.harness.client.EtcdClients;
import dev.keel.harness.run.RunClock;
import dev.keel.node.KeelCluster;
import io.etcd.jetcd.api.RangeRequest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs one workload against an embedded 3-member cluster without faults, for integration tests: waits until the
 * cluster serves linearizable reads, then start, run for a fixed time, stop (which must end within the call
 * deadline plus the pool's slack), finish and check, all before the cluster stops.
 */
final class ClusterRun {
    /** Room beyond the pool's own stop bound for the joins' and the log's own time. */
    private static final long STOP_JITTER_MILLIS = 500;

    final List<String> log = new CopyOnWriteArrayList<>();
    final int clients;
    final long opTimeoutMillis;
    long stopMillis;

    /**
     * @param clients         the context's client count
     * @param opTimeoutMillis the context's call deadline
     */
    ClusterRun(int clients, long opTimeoutMillis) {
        this.clients = clients;
        this.opTimeoutMillis = opTimeoutMillis;
    }

    /** @return the workload's verdict, its files written into {@code dir}, after running for {@code length} */
    WorkloadResult run(Workload workload, Duration length, Path dir) throws InterruptedException {
        try (KeelCluster cluster = KeelCluster.builder().members(3).start()) {
            long begin = System.nanoTime();
            List<String> endpoints = List.of(cluster.endpoints().split(","));
            awaitServing(endpoints.get(0));
            note(workload, "serving after " + (System.nanoTime() - begin) / 1_000_000 + " ms");
            WorkloadContext context = new WorkloadContext(() -> endpoints, 42, clients, opTimeoutMillis,
                    new RunClock(), line -> note(workload, line));
            workload.start(context);
            Thread.sleep(length.toMillis()); // the run's length itself, not a wait for a state
            long stopStart = System.nanoTime();
            workload.stop();
            stopMillis = (System.nanoTime() - stopStart) / 1_000_000;
            if (stopMillis > opTimeoutMillis + ClientPool.STOP_SLACK_MILLIS + STOP_JITTER_MILLIS) {
                throw new AssertionError("stop() took " + stopMillis + " ms");
            }
            long finishStart = System.nanoTime();
            workload.finish(context);
            note(workload, "stop took " + stopMillis + " ms, finish " + (System.nanoTime() - finishStart) / 1_000_000
                    + " ms");
            WorkloadResult result = workload.check(dir);
            note(workload, result.toString());
            return result;
        }
    }

    private void note(Workload workload, String line) {
        log.add(line);
        System.out.println("[" + workload.name() + "] " + line);
    }

    /** Polls until a linearizable read succeeds (a leader was elected), for at most 20 s. */
    private void awaitServing(String endpoint) throws InterruptedException {
        EtcdClients etcd = new EtcdClients(opTimeoutMillis);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                etcd.kv(endpoint).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("/")).build());
                return;
            } catch (RuntimeException e) {
                last = e;
                Thread.sleep(50); // a pause between polls
            }
        }
        throw new AssertionError("the cluster did not serve a read within 20 s", last);
    }
}
