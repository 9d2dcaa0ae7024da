package dev.keel.simulator;

import dev.keel.kernel.util.SplitMix64;

/**
 * A client that watches the workload prefix: it opens a stream on a random node from a revision near the
 * last one it saw (or further back, so catch-up from history is exercised), keeps it for a while, and opens
 * another when it ends or is closed. Every stream is registered with the {@link WatchMonitor} for checking.
 */
final class WatchClient {
    private final Simulation sim;
    private final SplitMix64 random;
    private long lastSeen;

    WatchClient(Simulation sim, SplitMix64 random) {
        this.sim = sim;
        this.random = random;
    }

    void start() {
        sim.schedule(sim.now() + random.nextInt(500_000), this::open);
    }

    private void open() {
        if (sim.stopIssuing) {
            return;
        }
        long start = Math.max(1, lastSeen + 1 - (random.nextInt(3) == 0 ? random.nextInt(300) : 0));
        SimNode node = sim.node(sim.randomNodeId(random));
        WatchStream stream = new WatchStream(node.id, start);
        stream.prevKv = random.nextInt(2) == 0;
        stream.reference = sim.reference;
        sim.watchMonitor.register(stream);
        sim.schedule(sim.now() + sim.network.latency(), () -> node.watches.open(stream));
        long lifetime = 200_000 + random.nextInt(8_000_000);
        sim.schedule(sim.now() + lifetime, () -> close(node, stream));
        watchForEnd(stream);
    }

    private void watchForEnd(WatchStream stream) {
        sim.schedule(sim.now() + 100_000, () -> {
            if (stream.ended) {
                lastSeen = Math.max(lastSeen, stream.lastRevision());
                open();
            } else {
                watchForEnd(stream);
            }
        });
    }

    private void close(SimNode node, WatchStream stream) {
        if (!stream.ended) {
            node.watches.close(stream);
        }
    }
}
