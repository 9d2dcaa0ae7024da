package dev.keel.simulator;

import dev.keel.kernel.util.SplitMix64;

/**
 * A client that lives on leases, as etcd's users do for service registration: it grants a short lease (2–5 s),
 * attaches one to three keys of its own ({@code l/..}, outside the checked history), keeps the lease alive at
 * the leader for a while, reads its keys back, and then either revokes the lease or stops keeping it alive and
 * lets the leader expire it — under every fault of the run. Checks: once a revoke was acknowledged, none of its
 * keys may be read back still attached to it (and the read-safety monitor checks every read's revision); replicas must agree on
 * every lease-driven delete (state hashes per applied entry, HashKV at snapshots).
 */
final class LeaseClient implements Requester {
    private static final long OP_TIMEOUT_MICROS = 3_000_000;
    private final Simulation sim;
    private final SplitMix64 random;
    private final int firstKey;
    private long believedLeader;
    private ClientRequest outstanding;
    private long leaseId;
    private long ttlSeconds;
    private int keys;
    private int keysPut;
    private long keepAliveUntil;
    /** Virtual time at which a revoke of the current lease was acknowledged (0: not revoked). */
    private long revokedAt;
    private long lastValue;

    LeaseClient(Simulation sim, SplitMix64 random, int index) {
        this.sim = sim;
        this.random = random;
        this.firstKey = index * 3;
        this.believedLeader = sim.randomNodeId(random);
    }

    void start() {
        sim.schedule(sim.now() + random.nextInt(1_000_000), this::grant);
    }

    private void grant() {
        leaseId = 0;
        revokedAt = 0;
        keysPut = 0;
        ttlSeconds = 2 + random.nextInt(4);
        keys = 1 + random.nextInt(3);
        send(ClientRequest.LEASE_GRANT, 0, ttlSeconds, 0);
    }

    private void send(byte op, int key, long value, long lease) {
        if (sim.stopIssuing) {
            return;
        }
        ClientRequest r = new ClientRequest(this, sim.nextRequestId(), op, key, value, lease, 0, 0);
        outstanding = r;
        SimNode target = sim.node(believedLeader);
        sim.schedule(sim.now() + sim.network.latency(), () -> target.submit(r));
        sim.schedule(sim.now() + OP_TIMEOUT_MICROS, () -> {
            if (outstanding == r) {
                outstanding = null;
                believedLeader = sim.randomNodeId(random);
                next(r, false);
            }
        });
    }

    @Override
    public void onResponse(ClientRequest r, WorkloadCodec.Outcome outcome, long leaderHint, boolean indeterminate) {
        if (r != outstanding) {
            return;
        }
        outstanding = null;
        boolean ok = outcome != null && outcome.ok && !indeterminate;
        if (!ok) {
            believedLeader = leaderHint != 0 ? leaderHint : sim.randomNodeId(random);
        }
        // Only a key still attached to the revoked lease is wrong: a put of an earlier cycle that timed out may
        // have been applied late, with a lease that is still alive (its expiry is the leader's to decide).
        if (ok && r.op == ClientRequest.LEASE_GET && revokedAt != 0 && outcome.value != 0
                && outcome.lease == leaseId) {
            throw new SimulationFailure("lease", "lease key " + r.key + " was read back (value " + outcome.value
                    + ", at revision " + outcome.revision + ") after its lease " + leaseId + " was revoked at "
                    + revokedAt + " us");
        }
        next(r, ok ? outcome : null);
    }

    private void next(ClientRequest r, boolean ok) {
        next(r, ok ? new WorkloadCodec.Outcome() : null);
    }

    /** What to do after {@code r} finished ({@code outcome} null: it failed or timed out). */
    private void next(ClientRequest r, WorkloadCodec.Outcome outcome) {
        long pause = 50_000 + random.nextInt(300_000);
        switch (r.op) {
            case ClientRequest.LEASE_GRANT:
                if (outcome == null) {
                    later(pause, this::grant);
                    return;
                }
                leaseId = outcome.value;
                sim.leasesGranted++;
                keepAliveUntil = sim.now() + random.nextInt((int) (2 * ttlSeconds * 1_000_000));
                later(0, this::putNext);
                return;
            case ClientRequest.LEASE_PUT:
                keysPut++;
                later(0, keysPut < keys ? this::putNext : this::live);
                return;
            case ClientRequest.LEASE_REVOKE:
                if (outcome != null) {
                    revokedAt = sim.now();
                    sim.leasesRevoked++;
                    later(pause, this::readBack);
                } else {
                    later(pause, this::grant);
                }
                return;
            case ClientRequest.LEASE_GET:
                if (outcome != null) {
                    sim.leaseKeysRead++;
                }
                if (revokedAt != 0) {
                    later(pause, this::grant); // the read-back after the revoke is done
                    return;
                }
                later(ttlSeconds * 1_000_000 / 3, this::live);
                return;
            default:
                later(ttlSeconds * 1_000_000 / 3, this::live);
        }
    }

    private void putNext() {
        send(ClientRequest.LEASE_PUT, firstKey + keysPut, ++lastValue, leaseId);
    }

    /** Keep the lease alive until its time is up, reading keys back now and then; then revoke or let it lapse. */
    private void live() {
        if (sim.now() < keepAliveUntil) {
            if (random.nextInt(3) == 0) {
                send(ClientRequest.LEASE_GET, firstKey + random.nextInt(keys), 0, 0);
            } else {
                send(ClientRequest.LEASE_KEEPALIVE, 0, 0, leaseId);
            }
            return;
        }
        if (random.nextInt(2) == 0) {
            send(ClientRequest.LEASE_REVOKE, 0, 0, leaseId);
        } else {
            later((ttlSeconds + 3) * 1_000_000, this::grant); // let it expire on the leader
        }
    }

    private void readBack() {
        send(ClientRequest.LEASE_GET, firstKey + random.nextInt(keys), 0, 0);
    }

    private void later(long delay, Runnable action) {
        if (!sim.stopIssuing) {
            sim.schedule(sim.now() + delay, action);
        }
    }
}
