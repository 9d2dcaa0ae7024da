package dev.keel.simulator;

import dev.keel.kernel.util.SplitMix64;
import dev.keel.transport.Router;
import org.agrona.DirectBuffer;

import java.util.HashSet;
import java.util.Set;

/**
 * The simulated network between members: every message gets a latency (with spikes), may be lost,
 * duplicated or held back so it overtakes others, and is subject to partitions (symmetric or one-way) and
 * clogged links (held until released). Delivery is an event on the simulation's clock.
 */
final class SimNetwork implements Router {
    private final Simulation sim;
    private final SplitMix64 random;
    private final FaultPlan plan;
    private final Set<Long> cut = new HashSet<>();
    private long clogFrom;
    private long clogTo;
    private long clogUntil;
    /** Set for the liveness phase: the network is healthy again (no loss, duplication, spikes or reordering). */
    boolean calm;

    SimNetwork(Simulation sim, SplitMix64 random, FaultPlan plan) {
        this.sim = sim;
        this.random = random;
        this.plan = plan;
    }

    @Override
    public boolean route(long from, long to, DirectBuffer buffer, int offset, int length) {
        if (isCut(from, to) || (!calm && random.nextInt(100) < plan.lossPercent)) {
            return true; // lost on the wire: the sender cannot tell
        }
        byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        schedule(from, to, bytes, 0);
        if (!calm && random.nextInt(100) < plan.duplicatePercent) {
            schedule(from, to, bytes, plan.lateDuplicateMicros > 0 ? random.nextInt(plan.lateDuplicateMicros) : 0);
        }
        return true;
    }

    /** @return a one-way latency drawn from this run's distribution */
    long latency() {
        long latency = plan.baseLatencyMicros + random.nextInt((int) plan.jitterMicros);
        if (calm) {
            return latency;
        }
        if (random.nextInt(100) < plan.spikePercent) {
            latency += 10_000 + random.nextInt(plan.maxSpikeMicros);
        }
        if (random.nextInt(100) < plan.reorderPercent) {
            latency += random.nextInt(plan.maxReorderMicros);
        }
        return latency;
    }

    private void schedule(long from, long to, byte[] bytes, long extraDelay) {
        long at = sim.now() + latency() + extraDelay;
        if (from == clogFrom && to == clogTo && clogUntil > at) {
            at = clogUntil + random.nextInt(1000);
        }
        sim.schedule(at, () -> {
            sim.trace.add(sim.now());
            sim.trace.add(from * 31 + to);
            sim.trace.addBytes(bytes);
            sim.node(to).receive(from, bytes);
        });
    }

    boolean isCut(long from, long to) {
        return cut.contains(from * 1_000_003L + to);
    }

    void cut(long from, long to) {
        cut.add(from * 1_000_003L + to);
    }

    void heal() {
        cut.clear();
        clogUntil = 0;
    }

    void clog(long from, long to, long until) {
        clogFrom = from;
        clogTo = to;
        clogUntil = until;
    }
}
