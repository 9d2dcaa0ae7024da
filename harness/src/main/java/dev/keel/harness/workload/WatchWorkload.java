package dev.keel.harness.workload;

import com.google.protobuf.ByteString;
import dev.keel.harness.client.EtcdClients;
import dev.keel.harness.client.Recorder;
import dev.keel.harness.workload.support.Endpoints;
import dev.keel.harness.workload.support.Revisions;
import dev.keel.harness.workload.support.Verdict;
import dev.keel.harness.workload.watch.AckedChange;
import dev.keel.harness.workload.watch.PrefixWatcher;
import dev.keel.harness.workload.watch.WatchChecker;
import dev.keel.harness.workload.watch.WatchEvent;
import dev.keel.harness.workload.watch.WatchObservation;
import dev.keel.linearizability.edn.EdnWriter;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.PutRequest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watch streams that survive faults. One or two writers put (and now and then delete) keys under
 * {@code /torture/watch/}; {@link #WATCHERS} watchers watch the prefix from the revision the workload started at
 * and, whenever their stream fails or falls silent, watch again on another member from the revision after the
 * last one they know they have. At the end each watcher must hold exactly the changes a fresh watcher on the
 * healed cluster sees, and every acknowledged write must be among them. The writers' operations go to
 * {@code watch.edn}, every received event to {@code watch-events.edn}.
 */
public final class WatchWorkload extends PooledWorkload {
    /** The prefix only this workload writes. */
    public static final String PREFIX = "/torture/watch/";
    static final int WATCHERS = 3;
    static final int KEYS = 8;
    private static final long FINISH_MILLIS = 20_000;

    private final List<AckedChange> acked = new CopyOnWriteArrayList<>();
    private final List<PrefixWatcher> watchers = new ArrayList<>();
    private EtcdClients clients;
    private SplittableRandom random;
    private long startRevision;
    private long finalRevision = -1;
    private PrefixWatcher reference;
    private boolean referenceComplete;
    private final Set<String> reachedFinal = new HashSet<>();

    @Override
    public String name() {
        return "watch";
    }

    @Override
    public void start(WorkloadContext context) {
        int writers = Math.max(1, Math.min(2, context.clients() / 2));
        begin(context, writers);
        this.clients = new EtcdClients(context.opTimeoutMillis());
        this.random = pool.random();
        startRevision = Revisions.current(clients, context.endpoints(), random, PREFIX, FINISH_MILLIS) + 1;
        for (int i = 0; i < WATCHERS; i++) {
            watchers.add(new PrefixWatcher(String.valueOf(i), PREFIX, startRevision, clients, context.clock(),
                    context.log()));
        }
        pool.start("client", writers, this::write);
        // Endpoints.pick, not the session's endpoint: the watcher retries by itself when no member is listed.
        pool.start("watcher", WATCHERS, session -> watchers.get(session.thread()).run(
                () -> Endpoints.pick(context.endpoints(), session.random()), session::stopping,
                Long.MAX_VALUE, Long.MAX_VALUE));
    }

    /** A writer's loop: puts with unique values, one delete in ten. */
    private void write(ClientSession session) {
        int thread = session.thread();
        SplittableRandom rnd = session.random();
        Recorder.Process process = recorder.process(thread);
        String endpoint = session.endpoint();
        for (long n = 0; endpoint != null && !session.stopping(); n++) {
            String key = PREFIX + rnd.nextInt(KEYS);
            boolean ok = rnd.nextInt(10) == 0 ? delete(process, endpoint, key) : put(process, endpoint, key,
                    "w" + thread + "-" + n);
            if (!ok) {
                endpoint = session.newEndpoint();
            }
            session.think(5, 20);
        }
    }

    private boolean put(Recorder.Process process, String endpoint, String key, String value) {
        Recorder.Op op = recorder.invoke(process, "put", List.of(key, value));
        try {
            long revision = clients.kv(endpoint).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                    .setValue(ByteString.copyFromUtf8(value)).build()).getHeader().getRevision();
            recorder.ok(op, List.of(key, value, revision));
            acknowledge(new AckedChange(key, "PUT", value, revision, context.clock().nanos()));
            return true;
        } catch (RuntimeException e) {
            recorder.failedWrite(op, List.of(key, value), e);
            return false;
        }
    }

    private boolean delete(Recorder.Process process, String endpoint, String key) {
        Recorder.Op op = recorder.invoke(process, "delete", List.of(key));
        try {
            DeleteRangeResponse r = clients.kv(endpoint).deleteRange(DeleteRangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(key)).build());
            recorder.ok(op, List.of(key, r.getHeader().getRevision(), r.getDeleted()));
            if (r.getDeleted() > 0) {
                acknowledge(new AckedChange(key, "DELETE", null, r.getHeader().getRevision(), context.clock().nanos()));
            }
            return true;
        } catch (RuntimeException e) {
            recorder.failedWrite(op, List.of(key), e);
            return false;
        }
    }

    /** Notes a write the cluster acknowledged; the checker requires it in every watcher's sequence. */
    void acknowledge(AckedChange change) {
        acked.add(change);
    }

    @Override
    public void finish(WorkloadContext context) {
        try {
            finalRevision = Revisions.current(clients, context.endpoints(), random, PREFIX, FINISH_MILLIS);
        } catch (IllegalStateException e) {
            context.log().accept("watch: " + e.getMessage());
            return;
        }
        long deadline = System.nanoTime() + FINISH_MILLIS * 1_000_000;
        ClientPool catchUp = new ClientPool(name(), context, random);
        catchUp.start("catch-up", WATCHERS, session -> {
            PrefixWatcher watcher = watchers.get(session.thread());
            if (watcher.run(() -> Endpoints.pick(context.endpoints(), session.random()), session::stopping,
                    finalRevision, deadline)) {
                synchronized (reachedFinal) {
                    reachedFinal.add(watcher.name());
                }
            }
        });
        if (!catchUp.await(FINISH_MILLIS + 2_000)) { // each ends at its goal or its deadline
            catchUp.stop();
        }
        SplittableRandom pick = random.split();
        reference = new PrefixWatcher("reference", PREFIX, startRevision, clients, context.clock(), context.log());
        referenceComplete = reference.run(() -> Endpoints.pick(context.endpoints(), pick), () -> false,
                finalRevision, System.nanoTime() + FINISH_MILLIS * 1_000_000);
    }

    @Override
    public WorkloadResult check(Path dir) {
        Path history = dir.resolve("watch.edn");
        Path events = dir.resolve("watch-events.edn");
        recorder.write(history);
        writeEvents(events);
        Verdict verdict = finalRevision < 0
                ? Verdict.unknown("No member answered a linearizable read after the writers stopped, so the final "
                + "revision, and with it the watchers' sequences, could not be judged.")
                : WatchChecker.check(observation());
        return WorkloadResult.of(name(), verdict.outcome(), verdict.headline(), recorder, List.of(history, events));
    }

    private WatchObservation observation() {
        Map<String, List<WatchEvent>> seen = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (PrefixWatcher w : watchers) {
            seen.put(w.name(), w.events());
            problems.addAll(w.problems());
        }
        problems.addAll(reference.problems());
        synchronized (reachedFinal) {
            return new WatchObservation(startRevision, finalRevision, reference.events(), referenceComplete, seen,
                    Set.copyOf(reachedFinal), List.copyOf(acked), problems);
        }
    }

    private void writeEvents(Path file) {
        StringBuilder out = new StringBuilder("[");
        List<PrefixWatcher> all = new ArrayList<>(watchers);
        if (reference != null) {
            all.add(reference);
        }
        for (PrefixWatcher w : all) {
            for (WatchEvent e : w.events()) {
                out.append(out.length() == 1 ? "" : "\n ");
                EdnWriter.write(e.edn(), out);
            }
        }
        ResultFiles.write(file, out.append("]\n").toString());
    }
}
