package dev.keel.harness.workload;

import com.google.protobuf.ByteString;
import dev.keel.harness.client.EtcdClients;
import dev.keel.harness.run.RunClock;
import dev.keel.node.KeelCluster;
import io.etcd.jetcd.api.PutRequest;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Runs one workload against a real embedded 3-member cluster without faults: start, run, stop, finish, check. */
final class RealClusterRun {
    private RealClusterRun() {
    }

    /** @return the workload's verdict after running for {@code runMillis} */
    static WorkloadResult run(Workload workload, long runMillis, Path dir) throws InterruptedException {
        return run(workload, runMillis, dir, () -> { });
    }

    /** As {@link #run(Workload, long, Path)}; {@code afterFinish} runs after finish, before the cluster stops. */
    static WorkloadResult run(Workload workload, long runMillis, Path dir, Runnable afterFinish)
            throws InterruptedException {
        try (KeelCluster cluster = KeelCluster.builder().members(3).start()) {
            List<String> endpoints = Arrays.asList(cluster.endpoints().split(","));
            awaitLeader(endpoints.get(0));
            WorkloadContext context = new WorkloadContext(() -> endpoints, 42, 4, 2_000, new RunClock(),
                    line -> System.out.println("[" + workload.name() + "] " + line));
            workload.start(context);
            Thread.sleep(runMillis); // the run's length itself, not a wait for a state
            long stopAt = System.nanoTime();
            workload.stop();
            long stopMillis = (System.nanoTime() - stopAt) / 1_000_000;
            if (stopMillis > context.opTimeoutMillis() + 1_500) {
                throw new AssertionError("stop() took " + stopMillis + " ms");
            }
            workload.finish(context);
            WorkloadResult result = workload.check(dir);
            System.out.println(result);
            afterFinish.run();
            return result;
        }
    }

    private static void awaitLeader(String endpoint) throws InterruptedException {
        EtcdClients clients = new EtcdClients(1_000);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            try {
                clients.kv(endpoint).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("/probe"))
                        .setValue(ByteString.copyFromUtf8("x")).build());
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the cluster never took a write", e);
                }
                Thread.sleep(100);
            }
        }
    }
}
