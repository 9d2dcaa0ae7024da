package dev.keel.simulator;

import dev.keel.kernel.util.SplitMix64;

import java.util.Arrays;

/**
 * A simulated client process: one operation at a time against the node it believes leads, retrying elsewhere
 * after a refusal. A timeout leaves the operation indeterminate (info) and, as in Jepsen, the process is
 * replaced by a fresh one. Every operation is recorded in the history.
 */
final class Client {
    private final Simulation sim;
    private final SplitMix64 random;
    private final boolean probe;
    private long process;
    private long believedLeader;
    private ClientRequest outstanding;
    private HistoryRecorder.Op op;

    /** @param probe a liveness probe: only writes to its own key, until one succeeds */
    Client(Simulation sim, SplitMix64 random, long process, boolean probe) {
        this.sim = sim;
        this.random = random;
        this.process = process;
        this.probe = probe;
        this.believedLeader = 1 + random.nextInt(sim.nodeCount());
    }

    void start() {
        scheduleNext(probe ? 0 : random.nextInt((int) Math.max(1, sim.plan.thinkMicros) + 1));
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
        op = sim.history.invoke(process, request.f(), request.key, inputOf(request), sim.now());
        SimNode target = sim.node(believedLeader);
        sim.schedule(sim.now() + sim.network.latency(), () -> target.submit(request));
        sim.schedule(sim.now() + sim.plan.timeoutMicros, () -> timeout(request));
    }

    private ClientRequest randomRequest() {
        int key = random.nextInt(sim.plan.keys);
        long id = sim.nextRequestId();
        int roll = random.nextInt(100);
        if (roll < 40) {
            return new ClientRequest(this, id, ClientRequest.GET, key, 0, 0);
        }
        if (roll < 70) {
            return new ClientRequest(this, id, KvCommand.PUT, key, sim.nextValue(key), 0);
        }
        if (roll < 80) {
            return new ClientRequest(this, id, KvCommand.DELETE, key, 0, 0);
        }
        long expected = random.nextInt(4) == 0 ? 0 : sim.recentValue(key, random);
        return new ClientRequest(this, id, KvCommand.CAS, key, sim.nextValue(key), expected);
    }

    private ClientRequest probeRequest() {
        return new ClientRequest(this, sim.nextRequestId(), KvCommand.PUT, Simulation.PROBE_KEY,
                sim.nextValue(Simulation.PROBE_KEY), 0);
    }

    /** A node answered (it may be an answer to a request this client gave up on: then it is ignored). */
    void onResponse(ClientRequest request, boolean ok, long result, long leaderHint) {
        if (request != outstanding) {
            return;
        }
        outstanding = null;
        sim.history.complete(op, ok ? "ok" : "fail", ok ? outputOf(request, result) : inputOf(request), sim.now());
        if (ok && probe) {
            sim.probeSucceeded();
            return;
        }
        if (!ok) {
            believedLeader = leaderHint != 0 ? leaderHint : 1 + random.nextInt(sim.nodeCount());
        }
        scheduleNext(probe ? 50_000 : random.nextInt((int) Math.max(1, sim.plan.thinkMicros) + 1));
    }

    private void timeout(ClientRequest request) {
        if (request != outstanding) {
            return;
        }
        outstanding = null;
        op = null; // stays info: it may or may not have happened
        process = sim.nextProcess();
        believedLeader = 1 + random.nextInt(sim.nodeCount());
        scheduleNext(probe ? 0 : random.nextInt((int) Math.max(1, sim.plan.thinkMicros) + 1));
    }

    private static Object inputOf(ClientRequest r) {
        switch (r.op) {
            case ClientRequest.GET:
            case KvCommand.DELETE:
                return null;
            case KvCommand.PUT:
                return r.value;
            default:
                return Arrays.asList(r.expected == 0 ? null : r.expected, r.value);
        }
    }

    private static Object outputOf(ClientRequest r, long result) {
        switch (r.op) {
            case ClientRequest.GET:
                return result == 0 ? null : result;
            case KvCommand.DELETE:
                return result;
            case KvCommand.PUT:
                return r.value;
            default:
                return inputOf(r);
        }
    }
}
