package dev.keel.simulator;

import dev.keel.kernel.mvcc.codec.PutRequest;
import dev.keel.kernel.util.SplitMix64;

import java.util.ArrayList;
import java.util.List;

/**
 * A client of cold keys ({@code c/00..}, outside the history): it writes each once at the start, then for the
 * rest of the run — across many auto-compactions (every 5 s, keeping 200 revisions) — reads them with random
 * range options at the current revision, at the revision it wrote them (compacted sooner or later: the reference
 * model decides whether "compacted" is the right answer) or at a random older one, watches them with prev_kv
 * (from a recent revision, or from the start, which a compaction cancels), and late in the run rewrites one now
 * and then with prev_kv, whose previous version is long below the compaction revision. Every answer is judged
 * by the {@link ReferenceStore}; every stream is checked against the reference model's events at the end.
 */
final class ColdKeyClient implements Requester {
    static final int KEYS = 3;
    private static final long OP_TIMEOUT_MICROS = 3_000_000;
    private static final long REWRITE_AFTER_MICROS = 25_000_000;
    private final Simulation sim;
    private final SplitMix64 random;
    private final List<WatchStream> streams = new ArrayList<>();
    private ClientRequest outstanding;
    private int written;
    private int rewrites;
    private long writtenAt;
    private long maxSeenRevision;
    private long nextValue = 1_000_000_000L;

    ColdKeyClient(Simulation sim, SplitMix64 random) {
        this.sim = sim;
        this.random = random;
    }

    void start() {
        sim.schedule(sim.now() + random.nextInt(500_000), this::step);
    }

    List<WatchStream> streams() {
        return streams;
    }

    private void step() {
        if (sim.stopIssuing) {
            return;
        }
        if (written < KEYS) {
            send(put(written, false));
            return;
        }
        int roll = random.nextInt(100);
        if (sim.now() > REWRITE_AFTER_MICROS && rewrites < KEYS && roll < 8) {
            rewrites++;
            send(put(random.nextInt(KEYS), true));
        } else if (roll < 50) {
            send(Client.rangeWithOptions(this, sim.nextRequestId(), ClientRequest.SPACE_COLD, KEYS, 0, random));
        } else if (roll < 85) {
            long revision = random.nextInt(2) == 0 || maxSeenRevision < 2 ? writtenAt
                    : 1 + random.nextInt((int) Math.min(Integer.MAX_VALUE - 1, maxSeenRevision));
            send(Client.rangeWithOptions(this, sim.nextRequestId(), ClientRequest.SPACE_COLD, KEYS, revision,
                    random));
        } else {
            watch();
            later(this::step);
        }
    }

    private ClientRequest put(int key, boolean prevKv) {
        ClientRequest r = new ClientRequest(this, sim.nextRequestId(), ClientRequest.PUT, key, nextValue++, 0, 0,
                KEYS);
        r.space = ClientRequest.SPACE_COLD;
        r.flags = prevKv ? PutRequest.PREV_KV : 0;
        return r;
    }

    private void watch() {
        long start = random.nextInt(3) == 0 || maxSeenRevision == 0 ? Math.max(1, writtenAt)
                : Math.max(1, maxSeenRevision + 1 - random.nextInt(50));
        SimNode node = sim.node(1 + random.nextInt(sim.nodeCount()));
        WatchStream stream = new WatchStream(node.id, start);
        stream.from = WorkloadCodec.COLD_PREFIX;
        stream.to = WorkloadCodec.COLD_PREFIX_END;
        stream.prevKv = true;
        stream.reference = sim.reference;
        streams.add(stream);
        sim.schedule(sim.now() + sim.network.latency(), () -> node.watches.open(stream));
        sim.schedule(sim.now() + 1_000_000 + random.nextInt(8_000_000), () -> {
            if (!stream.ended) {
                node.watches.close(stream);
            }
        });
    }

    private void send(ClientRequest r) {
        outstanding = r;
        SimNode target = sim.node(r.isRead() || sim.currentLeader() == 0 ? 1 + random.nextInt(sim.nodeCount())
                : sim.currentLeader());
        sim.schedule(sim.now() + sim.network.latency(), () -> target.submit(r));
        sim.schedule(sim.now() + OP_TIMEOUT_MICROS, () -> {
            if (outstanding == r) {
                outstanding = null;
                later(this::step);
            }
        });
    }

    @Override
    public void onResponse(ClientRequest r, WorkloadCodec.Outcome outcome, long leaderHint, boolean indeterminate) {
        if (r != outstanding) {
            return;
        }
        outstanding = null;
        if (outcome != null && outcome.ok && !indeterminate) {
            maxSeenRevision = Math.max(maxSeenRevision, outcome.revision);
            if (r.op == ClientRequest.PUT && written < KEYS && r.key == written) {
                written++;
                writtenAt = outcome.revision;
            }
        }
        later(this::step);
    }

    private void later(Runnable action) {
        if (!sim.stopIssuing) {
            sim.schedule(sim.now() + (written < KEYS ? 50_000 : 500_000 + random.nextInt(1_500_000)), action);
        }
    }
}
