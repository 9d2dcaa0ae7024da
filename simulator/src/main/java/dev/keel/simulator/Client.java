package dev.keel.simulator;

import dev.keel.kernel.util.SplitMix64;
import dev.keel.linearizability.edn.Keyword;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulated client process: one operation at a time against the node it believes leads, retrying elsewhere
 * after a refusal. A timeout leaves the operation indeterminate (info) and, as in Jepsen, the process is
 * replaced by a fresh one. Every operation is recorded in the history in the {@code kv} model's terms.
 */
final class Client implements Requester {
    private static final Keyword COMPARE = Keyword.of("compare");
    private static final Keyword THEN = Keyword.of("then");
    private static final Keyword ELSE = Keyword.of("else");
    private static final Keyword SUCCEEDED = Keyword.of("succeeded");
    private static final Keyword VALUE = Keyword.of("value");

    private final Simulation sim;
    private final SplitMix64 random;
    private final boolean probe;
    /** Last (mod revision, value) this client saw per key, for mod-revision transactions. */
    private final long[] seenModRevision;
    private final long[] seenValue;
    /** Revisions this client saw in answers (a ring), for reads at a past revision. */
    private final long[] seenRevisions = new long[8];
    private int seenCount;
    private long maxSeenRevision;
    private long process;
    private long believedLeader;
    private ClientRequest outstanding;
    private List<HistoryRecorder.Op> ops;

    /** @param probe a liveness probe: only writes to its own key, until one succeeds */
    Client(Simulation sim, SplitMix64 random, long process, boolean probe) {
        this.sim = sim;
        this.random = random;
        this.process = process;
        this.probe = probe;
        this.believedLeader = sim.randomNodeId(random);
        this.seenModRevision = new long[sim.plan.keys];
        this.seenValue = new long[sim.plan.keys];
    }

    void start() {
        scheduleNext(probe ? 0 : think());
    }

    private long think() {
        return random.nextInt((int) Math.max(1, sim.plan.thinkMicros) + 1);
    }

    private void scheduleNext(long delay) {
        if (!probe && sim.stopIssuing) {
            return;
        }
        sim.schedule(sim.now() + delay, this::invoke);
    }

    private void invoke() {
        ClientRequest request = probe ? probeRequest() : randomRequest();
        outstanding = request;
        ops = record(request);
        // Most requests go to the believed leader; some to any member, which forwards writes and serves reads
        // by ReadIndex — the paths a client that does not track the leader takes.
        SimNode target = sim.node(random.nextInt(5) == 0 ? sim.randomNodeId(random) : believedLeader);
        sim.schedule(sim.now() + sim.network.latency(), () -> target.submit(request));
        sim.schedule(sim.now() + sim.plan.timeoutMicros, () -> timeout(request));
    }

    private ClientRequest randomRequest() {
        int key = random.nextInt(sim.plan.keys);
        long id = sim.nextRequestId();
        int roll = random.nextInt(100);
        int keys = sim.plan.keys;
        int extra = random.nextInt(100);
        if (extra < 10) {
            return rangeWithOptions(this, id, ClientRequest.SPACE_WORKLOAD, keys, pastRevision(), random);
        }
        if (extra < 13) {
            // a delete of a key nobody writes: deleted = 0, the revision stays
            ClientRequest r = new ClientRequest(this, id, ClientRequest.DELETE, random.nextInt(100), 0, 0, 0, keys);
            r.space = ClientRequest.SPACE_ABSENT;
            r.flags = random.nextInt(2) == 0 ? dev.keel.kernel.mvcc.codec.DeleteRangeRequest.PREV_KV : 0;
            return r;
        }
        if (roll < 30) {
            return new ClientRequest(this, id, ClientRequest.GET, key, 0, 0, 0, keys);
        }
        if (roll < 40) {
            return new ClientRequest(this, id, ClientRequest.RANGE, 0, 0, 0, 0, keys);
        }
        if (roll < 65) {
            ClientRequest r = new ClientRequest(this, id, ClientRequest.PUT, key, sim.nextValue(key), 0, 0, keys);
            r.flags = random.nextInt(2) == 0 ? dev.keel.kernel.mvcc.codec.PutRequest.PREV_KV : 0;
            return r;
        }
        if (roll < 73) {
            ClientRequest r = new ClientRequest(this, id, ClientRequest.DELETE, key, 0, 0, 0, keys);
            r.flags = random.nextInt(2) == 0 ? dev.keel.kernel.mvcc.codec.DeleteRangeRequest.PREV_KV : 0;
            return r;
        }
        if (roll < 88 || seenModRevision[key] == 0) {
            long expected = random.nextInt(4) == 0 ? 0 : sim.recentValue(key, random);
            return new ClientRequest(this, id, ClientRequest.CAS, key, sim.nextValue(key), expected, 0, keys);
        }
        return new ClientRequest(this, id, ClientRequest.TXN_MOD, key, sim.nextValue(key), seenModRevision[key],
                seenValue[key], keys);
    }

    /** @return 0 (current) half the time, else a revision this client saw, or one at random below the newest */
    private long pastRevision() {
        int roll = random.nextInt(4);
        if (roll < 2 || maxSeenRevision == 0) {
            return 0;
        }
        if (roll == 2 && seenCount > 0) {
            return seenRevisions[random.nextInt(Math.min(seenCount, seenRevisions.length))];
        }
        return 1 + random.nextInt((int) Math.min(Integer.MAX_VALUE - 1, maxSeenRevision));
    }

    /**
     * A range with random options over one key or the whole prefix of {@code space}: limit, count only, keys
     * only, sort order and target, at {@code revision} (0: current). Judged by the reference model only.
     */
    static ClientRequest rangeWithOptions(Requester client, long id, byte space, int keys, long revision,
                                          SplitMix64 random) {
        ClientRequest r = new ClientRequest(client, id, ClientRequest.RANGE_OPTS, random.nextInt(Math.max(1, keys)),
                0, 0, 0, keys);
        r.space = space;
        r.prefix = random.nextInt(4) != 0;
        r.revision = revision;
        r.limit = random.nextInt(2) == 0 ? 0 : 1 + random.nextInt(Math.max(1, keys));
        int f = random.nextInt(10);
        r.flags = f == 0 ? dev.keel.kernel.mvcc.codec.RangeRequest.COUNT_ONLY
                : f == 1 ? dev.keel.kernel.mvcc.codec.RangeRequest.KEYS_ONLY : 0;
        r.sortOrder = random.nextInt(3);
        r.sortTarget = random.nextInt(5);
        return r;
    }

    private void sawRevision(long revision) {
        if (revision > 0) {
            seenRevisions[seenCount++ % seenRevisions.length] = revision;
            maxSeenRevision = Math.max(maxSeenRevision, revision);
        }
    }

    private ClientRequest probeRequest() {
        int key = sim.plan.keys; // a key of its own, outside the workload's
        return new ClientRequest(this, sim.nextRequestId(), ClientRequest.PUT, key, sim.nextValue(key), 0, 0,
                sim.plan.keys);
    }

    /**
     * A node answered ({@code outcome} null: refused — certainly not done, or with {@code indeterminate} a
     * write whose fate the node could not tell). Late answers are ignored.
     */
    @Override
    public void onResponse(ClientRequest request, WorkloadCodec.Outcome outcome, long leaderHint,
                           boolean indeterminate) {
        if (request != outstanding) {
            return;
        }
        if (indeterminate) {
            timeout(request);
            return;
        }
        outstanding = null;
        if (outcome != null && outcome.ok) {
            sawRevision(outcome.revision);
            if (outcome.modRevision > 0) {
                sawRevision(outcome.modRevision);
            }
        }
        boolean ok = outcome != null && outcome.ok
                && (request.op != ClientRequest.CAS || outcome.succeeded);
        complete(request, outcome, ok);
        if (ok && probe) {
            sim.probeSucceeded();
            return;
        }
        if (outcome == null) {
            believedLeader = leaderHint != 0 ? leaderHint : sim.randomNodeId(random);
        }
        scheduleNext(probe ? 50_000 : think());
    }

    private void timeout(ClientRequest request) {
        if (request != outstanding) {
            return;
        }
        outstanding = null;
        ops = null; // stays info: it may or may not have happened
        process = sim.nextProcess();
        believedLeader = sim.randomNodeId(random);
        scheduleNext(probe ? 0 : think());
    }

    // ---------------------------------------------------------------- history in the kv model's terms

    private List<HistoryRecorder.Op> record(ClientRequest r) {
        List<HistoryRecorder.Op> list = new ArrayList<>(1);
        if (!r.inHistory()) {
            return list; // checked by the reference model; the kv model cannot express it
        }
        long now = sim.now();
        switch (r.op) {
            case ClientRequest.GET:
                list.add(sim.history.invoke(process, "get", r.key, null, now));
                break;
            case ClientRequest.RANGE:
                // A range at one revision is, key by key, a read of each key within the operation's interval.
                for (int k = 0; k < r.keys; k++) {
                    list.add(sim.history.invoke(process, "get", k, null, now));
                }
                break;
            case ClientRequest.PUT:
                list.add(sim.history.invoke(process, "put", r.key, r.value, now));
                break;
            case ClientRequest.DELETE:
                list.add(sim.history.invoke(process, "delete", r.key, null, now));
                break;
            case ClientRequest.CAS:
                list.add(sim.history.invoke(process, "cas", r.key,
                        Arrays.asList(r.expected == 0 ? null : r.expected, r.value), now));
                break;
            default:
                list.add(sim.history.invoke(process, "txn", r.key, txn(r, null), now));
                break;
        }
        return list;
    }

    private void complete(ClientRequest r, WorkloadCodec.Outcome o, boolean ok) {
        long now = sim.now();
        if (ops.isEmpty()) {
            return;
        }
        if (!ok) {
            for (HistoryRecorder.Op op : ops) {
                sim.history.complete(op, "fail", op.input, now);
            }
            return;
        }
        switch (r.op) {
            case ClientRequest.GET:
                remember(r.key, o.value, o.modRevision);
                sim.history.complete(ops.get(0), "ok", observed(o.value), now);
                break;
            case ClientRequest.RANGE:
                for (int k = 0; k < r.keys; k++) {
                    remember(k, o.values[k], o.modRevisions[k]);
                    sim.history.complete(ops.get(k), "ok", observed(o.values[k]), now);
                }
                break;
            case ClientRequest.DELETE:
                sim.history.complete(ops.get(0), "ok", o.count, now);
                break;
            case ClientRequest.TXN_MOD:
                if (!o.succeeded) {
                    remember(r.key, o.value, o.modRevision);
                }
                sim.history.complete(ops.get(0), "ok", txn(r, o), now);
                break;
            default:
                sim.history.complete(ops.get(0), "ok", ops.get(0).input, now);
                break;
        }
    }

    private void remember(int key, long value, long modRevision) {
        if (key < seenValue.length) {
            seenValue[key] = value;
            seenModRevision[key] = value == 0 ? 0 : modRevision;
        }
    }

    /**
     * What a read saw: the value, or nil for an absent key. The version etcd returned is not recorded: values
     * are unique per write, so the value already names the write, and versions make every timed-out write
     * matter to the checker (the hard case of its search) without adding checking power.
     */
    private static Object observed(long value) {
        return value == 0 ? null : value;
    }

    /**
     * "mod_revision == r" is recorded as "value == v" where v is the value the client read at revision r:
     * values are unique per write, so both name the same write, and the per-key model can check it.
     */
    private static Map<Keyword, Object> txn(ClientRequest r, WorkloadCodec.Outcome o) {
        Map<Keyword, Object> m = new LinkedHashMap<>();
        m.put(COMPARE, List.of(VALUE, Keyword.of("="), r.expectedValue));
        m.put(THEN, List.of(List.of(Keyword.of("put"), r.value)));
        m.put(ELSE, List.of(o == null || o.succeeded ? List.of(Keyword.of("get"))
                : Arrays.asList(Keyword.of("get"), observed(o.value))));
        if (o != null) {
            m.put(SUCCEEDED, o.succeeded);
        }
        return m;
    }
}
