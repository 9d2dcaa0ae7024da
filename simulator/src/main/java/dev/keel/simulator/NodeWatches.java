package dev.keel.simulator;

import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.codec.ResponseView;
import dev.keel.kernel.mvcc.watch.WatchRegistry;
import dev.keel.kernel.util.SplitMix64;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The watches a simulated process serves: one reference watcher on the whole workload prefix (its events
 * become the cluster-wide record every stream is checked against, and replicas are checked against each
 * other), and client streams whose responses travel to the client in order. A client's sink sometimes
 * refuses a response, as a slow consumer would, so the store must catch it up from history.
 */
final class NodeWatches {
    private final SimNode node;
    private final Simulation sim;
    private final SplitMix64 random;
    private final List<WatchStream> streams = new ArrayList<>();
    private final ResponseView view = new ResponseView();
    private final List<long[]> scratch = new ArrayList<>();

    NodeWatches(SimNode node, Simulation sim, SplitMix64 random) {
        this.node = node;
        this.sim = sim;
        this.random = random;
    }

    /** A (re)started process: the reference watcher starts from the store's current revision. */
    void processStarted() {
        streams.clear();
        registerReference();
    }

    /** The process died: every client stream breaks (the client learns it one latency later). */
    void processStopped() {
        for (WatchStream stream : streams) {
            sim.schedule(sim.now() + sim.network.latency(), () -> stream.ended = true);
        }
        streams.clear();
    }

    /** Opens a client stream on this process, or ends it at once if the process is down. */
    void open(WatchStream stream) {
        if (!node.up) {
            stream.ended = true;
            return;
        }
        UnsafeBuffer range = rangeBuffer(stream.from, stream.to);
        stream.watchId = node.replica.mvcc().watch(-1, range, 0, stream.from.length, stream.from.length,
                stream.to.length, stream.startRevision, stream.prevKv ? WatchRegistry.PREV_KV : 0,
                (id, bytes, offset, length) -> {
                    if (random.nextInt(100) < 10) {
                        return false; // a slow client: the store must replay this from history later
                    }
                    byte[] copy = new byte[length];
                    bytes.getBytes(offset, copy);
                    long at = Math.max(sim.now() + sim.network.latency(), stream.lastDelivery + 1);
                    stream.lastDelivery = at;
                    sim.schedule(at, () -> stream.onResponse(copy));
                    return true;
                });
        streams.add(stream);
    }

    void close(WatchStream stream) {
        if (streams.remove(stream) && node.up) {
            node.replica.mvcc().cancelWatch(stream.watchId);
        }
        stream.ended = true;
    }

    private void registerReference() {
        UnsafeBuffer range = rangeBuffer(WorkloadCodec.PREFIX, WorkloadCodec.PREFIX_END);
        node.replica.mvcc().watch(-1, range, 0, WorkloadCodec.PREFIX.length, WorkloadCodec.PREFIX.length,
                WorkloadCodec.PREFIX_END.length, node.replica.mvcc().revision() + 1, 0, (id, bytes, offset, length) -> {
                    view.wrap(bytes, offset, length);
                    if (view.flag(ResponseLayout.FLAG_CANCELED)) {
                        sim.schedule(sim.now(), this::registerReferenceIfUp);
                        return true;
                    }
                    scratch.clear();
                    WatchStream.parseEvents(view, scratch);
                    // The header carries the store's revision at sending; events carry their own (a catch-up
                    // response may hold several revisions).
                    int from = 0;
                    for (int i = 1; i <= scratch.size(); i++) {
                        if (i == scratch.size() || scratch.get(i)[0] != scratch.get(from)[0]) {
                            sim.watchMonitor.onReference(node.id, scratch.get(from)[0], scratch.subList(from, i));
                            from = i;
                        }
                    }
                    return true;
                });
    }

    private void registerReferenceIfUp() {
        if (node.up) {
            registerReference();
        }
    }

    private static UnsafeBuffer rangeBuffer(byte[] from, byte[] to) {
        byte[] both = new byte[from.length + to.length];
        System.arraycopy(from, 0, both, 0, from.length);
        System.arraycopy(to, 0, both, from.length, to.length);
        return new UnsafeBuffer(both);
    }
}
