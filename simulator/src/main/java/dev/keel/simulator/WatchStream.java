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
    /** The watched range: the workload prefix, or the cold keys' prefix. */
    byte[] from = WorkloadCodec.PREFIX;
    byte[] to = WorkloadCodec.PREFIX_END;
    /** Whether the watch asks for each event's previous kv. */
    boolean prevKv;
    /** Checks every event's kv (and prev kv) when the client receives it; null: no check. */
    ReferenceStore reference;

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
        if (reference != null) {
            checkEvents(view);
        }
    }

    /** Each event's kv must be the committed version at its revision, and its prev kv the one before. */
    private void checkEvents(ResponseView view) {
        DirectBuffer buffer = view.buffer();
        int at = view.eventsAt();
        KeyValueView kv = new KeyValueView();
        for (int i = 0; i < view.eventCount(); i++) {
            int type = buffer.getByte(at);
            boolean hasPrev = buffer.getByte(at + 1) != 0;
            ReferenceStore.Kv event = reference.kv(buffer, at + 2);
            at = kv.wrap(buffer, at + 2).end();
            ReferenceStore.Kv prev = null;
            if (hasPrev) {
                prev = reference.kv(buffer, at);
                at = kv.wrap(buffer, at).end();
            }
            reference.checkWatchEvent(node, type, event, prev, prevKv);
        }
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
        return "watch" + (prevKv ? " with prev_kv" : "") + " on " + new String(from, StandardCharsets.US_ASCII)
                + " on node " + node + " from revision " + startRevision + " (" + events.size() + " events"
                + (ended ? ", ended" : "") + ")";
    }

    static String describe(long[] e) {
        return e[0] + ":" + new String(WorkloadCodec.keyBytes((int) e[1]), StandardCharsets.US_ASCII)
                + (e[2] == ResponseLayout.EVENT_PUT ? "=" + e[3] : " deleted");
    }
}
