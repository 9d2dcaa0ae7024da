package dev.keel.harness.workload;

import com.google.protobuf.ByteString;
import dev.keel.harness.client.EtcdClients;
import dev.keel.harness.client.Failures;
import dev.keel.harness.client.Recorder;
import dev.keel.harness.workload.lease.KeepAlive;
import dev.keel.harness.workload.lock.FencedWrite;
import dev.keel.harness.workload.lock.LockChecker;
import dev.keel.harness.workload.lock.LockChecker.RegisterVersion;
import dev.keel.harness.workload.support.Endpoints;
import dev.keel.harness.workload.support.Revisions;
import dev.keel.harness.workload.support.Verdict;
import dev.keel.harness.workload.watch.PrefixWatcher;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.etcd.jetcd.api.lock.LockRequest;
import io.etcd.jetcd.api.lock.LockResponse;
import io.etcd.jetcd.api.lock.UnlockRequest;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * etcd's v3lock with fencing. Clients take {@code /torture/lock/mutex} with a lease a keeper thread keeps alive,
 * learn their fencing token (the create revision of the owner key Lock returned), write the guarded register
 * {@code /torture/lock/register} one to three times with {@code If create_revision(ownerKey) == token Then Put},
 * and unlock; now and then a holder loses its lease first (revokes it, or stops keeping it alive and sleeps
 * past its TTL, as a paused client would) and writes anyway, which fencing must refuse. At the end the register's
 * every version is read with a watch from the start revision, and {@link LockChecker} judges them. Operations go
 * to {@code lock.edn} as {@code :acquire}, {@code :write} and {@code :release}.
 *
 * <p>The mutex model is not checked: a hold ends when the lease does, which no client observes, so holds are
 * not definite.
 */
public final class LockWorkload extends PooledWorkload {
    /** The lock's name. */
    public static final String MUTEX = "/torture/lock/mutex";
    /** The register the lock guards. */
    public static final String REGISTER = "/torture/lock/register";
    static final long TTL_SECONDS = 3;
    private static final long KEEP_EVERY_MILLIS = 800;
    private static final long FINISH_MILLIS = 20_000;

    private final Set<Long> kept = ConcurrentHashMap.newKeySet();
    private final List<FencedWrite> acked = new CopyOnWriteArrayList<>();
    private final List<FencedWrite> refused = new CopyOnWriteArrayList<>();
    private EtcdClients clients;
    private SplittableRandom random;
    private long startRevision;
    private PrefixWatcher history;
    private boolean historyComplete;

    @Override
    public String name() {
        return "lock";
    }

    @Override
    public void start(WorkloadContext context) {
        int total = Math.max(2, context.clients());
        begin(context, total);
        this.clients = new EtcdClients(context.opTimeoutMillis());
        this.random = pool.random();
        startRevision = Revisions.current(clients, context.endpoints(), random, REGISTER, FINISH_MILLIS) + 1;
        pool.start("client", total, session -> clientLoop(session, recorder.process(session.thread())));
        pool.start("keeper", 1, this::keepLoop);
    }

    /** Keeps every lease in {@link #kept} alive; a holder that "pauses" takes its lease out. */
    private void keepLoop(ClientSession session) {
        while (session.pause(KEEP_EVERY_MILLIS)) {
            for (long lease : kept) {
                String endpoint = session.stopping() ? null : session.newEndpoint();
                if (endpoint == null) {
                    return;
                }
                try {
                    KeepAlive.once(clients, endpoint, lease, context.opTimeoutMillis());
                } catch (RuntimeException e) {
                    // the next round tries another member; a lease that lapses meanwhile is what fencing is for
                }
            }
        }
    }

    private void clientLoop(ClientSession session, Recorder.Process process) {
        while (!session.stopping()) {
            String endpoint = session.newEndpoint();
            if (endpoint == null) {
                return;
            }
            long lease;
            try {
                lease = clients.lease(endpoint).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(TTL_SECONDS)
                        .build()).getID();
            } catch (RuntimeException e) {
                session.pause(50);
                continue;
            }
            kept.add(lease);
            Holding holding = acquire(process, endpoint, lease);
            if (holding != null) {
                hold(session, process, endpoint, lease, holding);
            }
            kept.remove(lease);
            revokeQuietly(endpoint, lease); // frees a claim left by a Lock that timed out
            session.think(5, 20);
        }
    }

    /** @return the owner key and fencing token, or null when Lock failed or the key was already gone */
    private Holding acquire(Recorder.Process process, String endpoint, long lease) {
        Recorder.Op op = recorder.invoke(process, "acquire", lease);
        ByteString key;
        try {
            LockResponse r = clients.lock(endpoint).lock(LockRequest.newBuilder()
                    .setName(ByteString.copyFromUtf8(MUTEX)).setLease(lease).build());
            key = r.getKey();
            RangeResponse owner = clients.kv(endpoint).range(RangeRequest.newBuilder().setKey(key).build());
            long token = owner.getKvsCount() == 0 ? 0 : owner.getKvs(0).getCreateRevision();
            recorder.ok(op, List.of(key.toStringUtf8(), token, r.getHeader().getRevision()));
            return token == 0 ? null : new Holding(key, token);
        } catch (RuntimeException e) {
            recorder.failedWrite(op, lease, e);
            return null;
        }
    }

    /**
     * One to three fenced writes, then unlock. One hold in twenty loses its lease first by revoking it; one in
     * forty sleeps past its TTL instead (rarer: the lock is stuck until the lease runs out).
     */
    private void hold(ClientSession session, Recorder.Process process, String endpoint, long lease,
                      Holding holding) {
        int client = session.thread();
        SplittableRandom rnd = session.random();
        int fate = rnd.nextInt(40);
        if (fate < 2) {
            revokeQuietly(endpoint, lease); // the lease is lost at once
        } else if (fate == 2) {
            kept.remove(lease); // a paused holder: its lease runs out while it sleeps
            session.pause(TTL_SECONDS * 1000 + 1_500);
        }
        int writes = 1 + rnd.nextInt(3);
        for (int seq = 1; seq <= writes && !session.stopping(); seq++) {
            if (!write(process, endpoint, new FencedWrite(client, holding.token, seq, 0), holding.key)) {
                break;
            }
        }
        Recorder.Op op = recorder.invoke(process, "release", holding.key.toStringUtf8());
        try {
            clients.lock(endpoint).unlock(UnlockRequest.newBuilder().setKey(holding.key).build());
            recorder.ok(op, holding.key.toStringUtf8());
        } catch (RuntimeException e) {
            recorder.info(op, holding.key.toStringUtf8(), Failures.describe(e));
        }
    }

    /** @return whether the holder may go on writing (the write succeeded) */
    private boolean write(Recorder.Process process, String endpoint, FencedWrite w, ByteString ownerKey) {
        List<Object> argument = List.of(w.token(), (long) w.seq(), w.value());
        Recorder.Op op = recorder.invoke(process, "write", argument);
        try {
            TxnResponse r = clients.kv(endpoint).txn(TxnRequest.newBuilder()
                    .addCompare(Compare.newBuilder().setKey(ownerKey).setTarget(Compare.CompareTarget.CREATE)
                            .setResult(Compare.CompareResult.EQUAL).setCreateRevision(w.token()))
                    .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                            .setKey(ByteString.copyFromUtf8(REGISTER)).setValue(ByteString.copyFromUtf8(w.value()))))
                    .build());
            long revision = r.getHeader().getRevision();
            recorder.ok(op, List.of(w.token(), (long) w.seq(), w.value(), r.getSucceeded(), revision));
            if (r.getSucceeded()) {
                acknowledge(new FencedWrite(w.client(), w.token(), w.seq(), revision));
            } else {
                refused.add(w);
            }
            return r.getSucceeded();
        } catch (RuntimeException e) {
            recorder.failedWrite(op, argument, e);
            return false;
        }
    }

    /** Notes a fenced write whose Txn succeeded; the checker requires it in the register's history. */
    void acknowledge(FencedWrite write) {
        acked.add(write);
    }

    private void revokeQuietly(String endpoint, long lease) {
        try {
            clients.lease(endpoint).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(lease).build());
        } catch (RuntimeException e) {
            // it lapses within its TTL anyway
        }
    }

    /** Reads every version of the register with a watch from the start revision to the final one. */
    @Override
    public void finish(WorkloadContext context) {
        long finalRevision;
        try {
            finalRevision = Revisions.current(clients, context.endpoints(), random, REGISTER, FINISH_MILLIS);
        } catch (IllegalStateException e) {
            context.log().accept("lock: " + e.getMessage());
            return;
        }
        SplittableRandom pick = random.split();
        history = new PrefixWatcher("register", REGISTER, startRevision, clients, context.clock(), context.log());
        historyComplete = history.run(() -> Endpoints.pick(context.endpoints(), pick), () -> false, finalRevision,
                System.nanoTime() + FINISH_MILLIS * 1_000_000);
        historyComplete &= history.problems().isEmpty();
    }

    @Override
    public WorkloadResult check(Path dir) {
        Path file = dir.resolve("lock.edn");
        recorder.write(file);
        List<RegisterVersion> versions = history == null ? List.of() : history.events().stream()
                .filter(e -> e.key().equals(REGISTER) && e.type().equals("PUT"))
                .map(e -> new RegisterVersion(e.value(), e.modRevision())).toList();
        Verdict verdict = LockChecker.check(versions, historyComplete, List.copyOf(acked), List.copyOf(refused));
        return WorkloadResult.of(name(), verdict.outcome(), verdict.headline(), recorder, List.of(file));
    }

    private record Holding(ByteString key, long token) {
    }
}
