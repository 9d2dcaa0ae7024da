package dev.keel.harness.workload;

import dev.keel.harness.client.EtcdClients;
import dev.keel.harness.client.Recorder;
import dev.keel.harness.workload.set.SetChecker;
import dev.keel.harness.workload.set.SetClient;
import dev.keel.harness.workload.set.SetVerdict;
import dev.keel.harness.workload.support.Revisions;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Jepsen's set workload: clients add unique integers (client t adds t, t + clients, t + 2 clients, ...), each a
 * Put of {@code /torture/set/<n>}; with the cluster healed, one linearizable prefix read gives the final set,
 * retried until it succeeds. Every acknowledged add must be in it, and nothing never added may be
 * ({@link SetChecker}). Files: {@code set.edn} (the history, final read included) and {@code set-check.edn}.
 */
public final class SetWorkload extends PooledWorkload {
    /** How long {@link #finish} keeps retrying the final read. */
    public static final long FINAL_READ_MILLIS = 20_000;
    private static final int THINK_MIN_MILLIS = 5;
    private static final int THINK_MAX_MILLIS = 20;
    private static final int RETRY_PAUSE_MILLIS = 100;

    private SetClient client;
    private int clients;

    @Override
    public String name() {
        return "set";
    }

    @Override
    public void start(WorkloadContext context) {
        clients = context.clients();
        // One process more than there are clients: the final read's, so it never collides with a client's.
        begin(context, clients + 1);
        client = new SetClient(new EtcdClients(context.opTimeoutMillis()), recorder);
        pool.start(session -> {
            Recorder.Process process = recorder.process(session.thread());
            for (long i = 0; session.think(THINK_MIN_MILLIS, THINK_MAX_MILLIS); i++) {
                String endpoint = session.endpoint();
                if (endpoint == null) {
                    return;
                }
                if (!client.add(process, endpoint, session.thread() + (long) clients * i)) {
                    session.dropEndpoint();
                }
            }
        });
    }

    /** The final read: retried on random members for up to {@link #FINAL_READ_MILLIS} until one succeeds. */
    @Override
    public void finish(WorkloadContext context) {
        requireStarted();
        Recorder.Process process = recorder.process(clients);
        SplittableRandom random = new SplittableRandom(context.seed() ^ 0x5e7L);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FINAL_READ_MILLIS);
        int attempts = 0;
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            List<String> endpoints = context.endpoints().get();
            if (!endpoints.isEmpty()) {
                attempts++;
                if (client.read(process, endpoints.get(random.nextInt(endpoints.size())))) {
                    return;
                }
            }
            Revisions.sleepQuietly(RETRY_PAUSE_MILLIS); // a pause between retries of a failed read
        }
        context.log().accept("set: no final read succeeded in " + attempts + " attempts over "
                + FINAL_READ_MILLIS / 1000 + " s");
    }

    @Override
    public WorkloadResult check(Path dir) {
        requireStarted();
        return check(recorder, dir);
    }

    /** Judges {@code history} (the workload's own, or a test's) and writes its files into {@code dir}. */
    WorkloadResult check(Recorder history, Path dir) {
        String edn = history.edn();
        Path historyFile = ResultFiles.write(dir.resolve("set.edn"), edn);
        SetVerdict verdict = SetChecker.check(edn);
        Path summary = ResultFiles.write(dir.resolve("set-check.edn"), verdict.edn());
        return WorkloadResult.of(name(), verdict.outcome(), verdict.headline(), history,
                List.of(historyFile, summary));
    }
}
