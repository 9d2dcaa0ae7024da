package dev.keel.simulator;

import dev.keel.kernel.mvcc.codec.KeyValueView;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.codec.ResponseView;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One watch on the workload prefix, from a start revision, as its client sees it: the events received in
 * order ({@code {revision, key, type, value}}), and whether the stream ended (process gone, canceled).
 */
final class WatchStream {
    final long node;
    final long startRevision;
    final List<long[]> events = new ArrayList<>();
    long lastDelivery;
    boolean ended;
    long compactRevision;
    long watchId = -1;

    WatchStream(long node, long startRevision) {
        this.node = node;
        this.startRevision = startRevision;
    }

    long lastRevision() {
        return events.isEmpty() ? startRevision - 1 : events.get(events.size() - 1)[0];
    }

    /** Decodes one watch response (one revision's events, a cancel, or progress). */
    void onResponse(byte[] bytes) {
        ResponseView view = new ResponseView().wrap(new UnsafeBuffer(bytes), 0, bytes.length);
        if (view.flag(ResponseLayout.FLAG_CANCELED)) {
            ended = true;
            compactRevision = view.bodyLong(1);
            return;
        }
        parseEvents(view, events);
    }

    /** Adds the events of a watch response to {@code out} as {@code {revision, key, type, value}}. */
    static void parseEvents(ResponseView view, List<long[]> out) {
        DirectBuffer buffer = view.buffer();
        KeyValueView kv = new KeyValueView();
        int at = view.eventsAt();
        for (int i = 0; i < view.eventCount(); i++) {
            int type = buffer.getByte(at);
            boolean hasPrev = buffer.getByte(at + 1) != 0;
            kv.wrap(buffer, at + 2);
            byte[] key = kv.key();
            long value = WorkloadCodec.parseValue(buffer, kv.valueOffset(), kv.valueLength());
            out.add(new long[]{kv.modRevision(), WorkloadCodec.keyIndex(key), type, value});
            at = kv.end();
            if (hasPrev) {
                at = kv.wrap(buffer, at).end();
            }
        }
    }

    @Override
    public String toString() {
        return "watch on node " + node + " from revision " + startRevision + " (" + events.size() + " events"
                + (ended ? ", ended" : "") + ")";
    }

    static String describe(long[] e) {
        return e[0] + ":" + new String(WorkloadCodec.keyBytes((int) e[1]), StandardCharsets.US_ASCII)
                + (e[2] == ResponseLayout.EVENT_PUT ? "=" + e[3] : " deleted");
    }
}
