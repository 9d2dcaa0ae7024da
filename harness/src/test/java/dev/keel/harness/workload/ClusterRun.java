package dev.keel.harness.workload;

import com.google.protobuf.ByteString;
import dev.keel.harness.client.EtcdClients;
import dev.keel.harness.run.RunClock;
import dev.keel.node.KeelCluster;
import io.etcd.jetcd.api.RangeRequest;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs a workload for a while against an embedded 3-member cluster without faults, for integration tests. */
final class ClusterRun {
    static final long OP_TIMEOUT_MILLIS = 1_000;
    final List<String> log = new CopyOnWriteArrayList<>();
    long stopMillis;

    /** Starts the workload once the cluster serves linearizable reads, runs it for {@code length}, stops, finishes. */
    void run(KeelCluster cluster, Workload workload, Duration length) throws InterruptedException {
        long begin = System.nanoTime();
        List<String> endpoints = List.of(cluster.endpoints().split(","));
        awaitServing(endpoints);
        log.add("serving after " + (System.nanoTime() - begin) / 1_000_000 + " ms");
        WorkloadContext context = new WorkloadContext(() -> endpoints, 42, 3, OP_TIMEOUT_MILLIS, new RunClock(),
                log::add);
        workload.start(context);
        long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(100); // the workload runs for a fixed time; nothing to wait for
        }
        long stopStart = System.nanoTime();
        workload.stop();
        stopMillis = (System.nanoTime() - stopStart) / 1_000_000;
        long finishStart = System.nanoTime();
        workload.finish(context);
        log.add("stop took " + stopMillis + " ms, finish " + (System.nanoTime() - finishStart) / 1_000_000 + " ms");
    }

    /** Polls until a linearizable read succeeds (a leader was elected), for at most 15 s. */
    static void awaitServing(List<String> endpoints) throws InterruptedException {
        EtcdClients etcd = new EtcdClients(OP_TIMEOUT_MILLIS);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                etcd.kv(endpoints.get(0)).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("/")).build());
                return;
            } catch (RuntimeException e) {
                last = e;
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the cluster did not serve a read within 15 s", last);
    }
}
