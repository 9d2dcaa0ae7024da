package dev.keel.harness.workload;

import com.google.protobuf.ByteString;
import dev.keel.harness.client.EtcdClients;
import dev.keel.harness.client.Failures;
import dev.keel.harness.client.Recorder;
import dev.keel.harness.workload.lease.FinalLeaseRead;
import dev.keel.harness.workload.lease.KeepAlive;
import dev.keel.harness.workload.lease.LeaseChecker;
import dev.keel.harness.workload.lease.LeaseOp;
import dev.keel.harness.workload.lease.LeaseOp.Kind;
import dev.keel.harness.workload.support.Endpoints;
import dev.keel.harness.workload.support.Revisions;
import dev.keel.harness.workload.support.Verdict;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.Status;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Leases under faults. Lease clients grant short leases (TTL 2–3 s), put {@code /torture/lease/<id>} on each,
 * then keep it alive for a while and revoke it, keep it alive and let it lapse (a client paused or cut off),
 * let it lapse at once, or revoke it at once; later they ask TimeToLive about lapsed ones. Readers read the
 * prefix linearizably. Every operation goes to {@code lease.edn}; {@link LeaseChecker} judges them.
 *
 * <p>Expiry of lapsed leases is checked only at the end ({@link #ALLOWANCE_MILLIS}): under faults a lease
 * legitimately outlives its TTL, since a new leader extends every lease by its election timeout, and a
 * fault-heavy run elects leaders often.
 */
public final class LeaseWorkload extends PooledWorkload {
    /** The prefix only this workload writes. */
    public static final String PREFIX = "/torture/lease/";
    /**
     * How long after TTL the healed cluster may take to expire a lease: a leader change (the heal may cause one)
     * extends leases by the election timeout; 3 × the default 1 s election timeout plus 2 s for the revoke to
     * commit and apply.
     */
    public static final long ALLOWANCE_MILLIS = 5_000;
    static final int MAX_TTL_SECONDS = 3;
    private static final long FINISH_MILLIS = 20_000;

    private final List<LeaseOp> ops = new CopyOnWriteArrayList<>();
    private final AtomicLong lastKeptNanos = new AtomicLong();
    private EtcdClients clients;
    private FinalLeaseRead finalRead;

    @Override
    public String name() {
        return "lease";
    }

    @Override
    public void start(WorkloadContext context) {
        int total = Math.max(2, context.clients());
        int readers = Math.max(1, total / 3);
        begin(context, total);
        this.clients = new EtcdClients(context.opTimeoutMillis());
        pool.start("client", total, session -> {
            if (session.thread() < readers) {
                readLoop(recorder.process(session.thread()), session);
            } else {
                leaseLoop(recorder.process(session.thread()), session);
            }
        });
    }

    private void readLoop(Recorder.Process process, ClientSession session) {
        String endpoint = session.endpoint();
        while (endpoint != null && !session.stopping()) {
            if (read(process, endpoint) == null) {
                endpoint = session.newEndpoint();
            }
            session.think(20, 50);
        }
    }

    /** @return the leases whose keys a linearizable read returned, or null if it failed */
    private Set<Long> read(Recorder.Process process, String endpoint) {
        Timed<Set<Long>> r = record(process, "read", null, true, () -> present(endpoint), s -> List.copyOf(s));
        if (r != null) {
            observe(LeaseOp.read(process.id(), r.invoke, r.complete, r.result));
        }
        return r == null ? null : r.result;
    }

    private Set<Long> present(String endpoint) {
        Set<Long> leases = new TreeSet<>();
        for (KeyValue kv : clients.kv(endpoint).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(PREFIX))
                .setRangeEnd(Revisions.prefixEnd(PREFIX)).setKeysOnly(true).build()).getKvsList()) {
            leases.add(Long.parseLong(kv.getKey().toStringUtf8().substring(PREFIX.length())));
        }
        return leases;
    }

    /** One lease after another: grant, put, then one of four fates; now and then ask about a lapsed one. */
    private void leaseLoop(Recorder.Process process, ClientSession session) {
        SplittableRandom rnd = session.random();
        Deque<long[]> lapsed = new ArrayDeque<>(); // {lease, nanos it lapsed at, ttl}
        while (!session.stopping()) {
            String endpoint = session.newEndpoint();
            if (endpoint == null) {
                return;
            }
            long ttl = 2 + rnd.nextInt(MAX_TTL_SECONDS - 1);
            Timed<Long> grant = record(process, "grant", List.of(ttl), false, () -> clients.lease(endpoint)
                    .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).build()).getID(), id -> List.of(id, ttl));
            if (grant == null) {
                session.pause(50);
                continue;
            }
            long lease = grant.result;
            observe(LeaseOp.of(Kind.GRANT, process.id(), grant.invoke, grant.complete, lease, ttl));
            lastKeptNanos.accumulateAndGet(grant.complete, Math::max);
            Timed<Long> put = record(process, "put", lease, false, () -> clients.kv(endpoint).put(PutRequest
                    .newBuilder().setKey(ByteString.copyFromUtf8(PREFIX + lease)).setValue(ByteString.copyFromUtf8(
                            "x")).setLease(lease).build()).getHeader().getRevision(), rev -> lease);
            if (put != null) {
                observe(LeaseOp.of(Kind.PUT, process.id(), put.invoke, put.complete, lease, ttl));
            }
            int fate = rnd.nextInt(100);
            if (fate < 65) {
                keepAliveFor(session, process, endpoint, lease, ttl, 1_500 + rnd.nextInt(2_500));
            }
            if (fate < 35 || fate >= 80) {
                revoke(process, endpoint, lease);
            } else {
                lapsed.add(new long[] {lease, context.clock().nanos(), ttl});
            }
            askAboutLapsed(process, endpoint, lapsed);
            session.think(10, 30);
        }
    }

    private void keepAliveFor(ClientSession session, Recorder.Process process, String endpoint, long lease, long ttl,
                              long millis) {
        long until = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < until && !session.stopping()) {
            Timed<Long> ack = record(process, "keepalive", lease, false,
                    () -> KeepAlive.once(clients, endpoint, lease, context.opTimeoutMillis()), t -> List.of(lease, t));
            if (ack != null) {
                observe(LeaseOp.of(Kind.KEEPALIVE, process.id(), ack.invoke, ack.complete, lease, ack.result));
                if (ack.result <= 0) {
                    return;
                }
                lastKeptNanos.accumulateAndGet(ack.complete, Math::max);
            }
            session.pause(ttl * 1000 / 3);
        }
    }

    private void revoke(Recorder.Process process, String endpoint, long lease) {
        Timed<Long> r = record(process, "revoke", lease, false, () -> {
            clients.lease(endpoint).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(lease).build());
            return lease;
        }, x -> lease);
        if (r != null) {
            observe(LeaseOp.of(Kind.REVOKE, process.id(), r.invoke, r.complete, lease, 0));
        }
    }

    /** Asks TimeToLive about the oldest lapsed lease once it should be gone (its answer may prove it gone). */
    private void askAboutLapsed(Recorder.Process process, String endpoint, Deque<long[]> lapsed) {
        long[] oldest = lapsed.peekFirst();
        if (oldest == null || context.clock().nanos() - oldest[1] < (oldest[2] * 1000 + ALLOWANCE_MILLIS) * 1_000_000) {
            return;
        }
        lapsed.removeFirst();
        long lease = oldest[0];
        Timed<Long> t = record(process, "ttl", lease, true, () -> timeToLive(endpoint, lease), ttl -> List.of(lease, ttl));
        if (t != null) {
            observe(LeaseOp.of(Kind.TTL, process.id(), t.invoke, t.complete, lease, t.result));
        }
    }

    /** @return the lease's remaining TTL, -1 when etcd says it does not exist */
    private long timeToLive(String endpoint, long lease) {
        try {
            return clients.lease(endpoint).leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(lease).build())
                    .getTTL();
        } catch (RuntimeException e) {
            if (Status.fromThrowable(e).getCode() == Status.Code.NOT_FOUND) {
                return -1;
            }
            throw e;
        }
    }

    /** Notes an operation that completed {@code :ok}, for the checker. */
    void observe(LeaseOp op) {
        ops.add(op);
    }

    /** @return the {@code :ok} operations noted so far */
    List<LeaseOp> operations() {
        return List.copyOf(ops);
    }

    private <T> Timed<T> record(Recorder.Process process, String f, Object value, boolean isRead, Supplier<T> call,
                                Function<T, Object> shown) {
        long invoke = context.clock().nanos();
        Recorder.Op op = recorder.invoke(process, f, value);
        try {
            T result = call.get();
            recorder.ok(op, shown.apply(result));
            return new Timed<>(result, invoke, context.clock().nanos());
        } catch (RuntimeException e) {
            if (isRead) {
                recorder.fail(op, value, Failures.describe(e)); // a failed read changed nothing
            } else {
                recorder.failedWrite(op, value, e);
            }
            return null;
        }
    }

    /**
     * Reads the prefix until it is empty or, at the latest, once every lease had its TTL plus the allowance
     * since the last keepalive; that read is the final one.
     */
    @Override
    public void finish(WorkloadContext context) {
        long expireBy = lastKeptNanos.get() + (MAX_TTL_SECONDS * 1000L + ALLOWANCE_MILLIS) * 1_000_000;
        long giveUp = System.nanoTime() + (FINISH_MILLIS + MAX_TTL_SECONDS * 1000L + ALLOWANCE_MILLIS) * 1_000_000;
        Recorder.Process process = recorder.process(0);
        SplittableRandom rnd = pool.random().split();
        while (System.nanoTime() < giveUp && !Thread.currentThread().isInterrupted()) {
            long invoke = context.clock().nanos();
            Set<Long> present = read(process, Endpoints.pick(context.endpoints(), rnd));
            if (present != null && (present.isEmpty() || invoke > expireBy)) {
                finalRead = new FinalLeaseRead(invoke, present, lastKeptNanos.get(),
                        (invoke - lastKeptNanos.get()) / 1_000_000);
                return;
            }
            Revisions.sleepQuietly(250);
        }
        context.log().accept("lease: no member answered the final read");
    }

    @Override
    public WorkloadResult check(Path dir) {
        Path history = dir.resolve("lease.edn");
        recorder.write(history);
        Verdict verdict = LeaseChecker.check(List.copyOf(ops), finalRead, PREFIX);
        return WorkloadResult.of(name(), verdict.outcome(), verdict.headline(), recorder, List.of(history));
    }

    private record Timed<T>(T result, long invoke, long complete) {
    }
}
