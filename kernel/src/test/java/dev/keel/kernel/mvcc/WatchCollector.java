package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.codec.KeyValueView;
import dev.keel.kernel.mvcc.codec.ResponseLayout;
import dev.keel.kernel.mvcc.codec.ResponseView;
import dev.keel.kernel.mvcc.watch.WatchSink;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/** A sink that decodes every watch response it takes; it can play a slow consumer by refusing offers. */
final class WatchCollector implements WatchSink {
    record Event(long watchId, boolean delete, Response.Kv kv, Response.Kv prev) {
        public String toString() {
            return (delete ? "DELETE " : "PUT ") + kv + (prev != null ? " prev=" + prev : "");
        }
    }

    final List<Event> events = new ArrayList<>();
    final List<long[]> canceled = new ArrayList<>();
    final List<Long> progress = new ArrayList<>();
    /** When positive, this many upcoming offers are refused. */
    int refuseNext;
    int responses;

    @Override
    public boolean offer(long watchId, DirectBuffer response, int offset, int length) {
        if (refuseNext > 0) {
            refuseNext--;
            return false;
        }
        responses++;
        ResponseView view = new ResponseView().wrap(response, offset, length);
        if (view.flag(ResponseLayout.FLAG_CANCELED)) {
            canceled.add(new long[]{watchId, view.bodyLong(1)});
            return true;
        }
        if (view.eventCount() == 0) {
            progress.add(view.revision());
        }
        KeyValueView kv = new KeyValueView();
        int p = view.eventsAt();
        for (int i = 0; i < view.eventCount(); i++) {
            boolean delete = response.getByte(p) == ResponseLayout.EVENT_DELETE;
            boolean hasPrev = response.getByte(p + 1) == 1;
            Response.Kv current = Response.kv(response, p + 2);
            p = kv.wrap(response, p + 2).end();
            Response.Kv prev = null;
            if (hasPrev) {
                prev = Response.kv(response, p);
                p = kv.wrap(response, p).end();
            }
            events.add(new Event(watchId, delete, current, prev));
        }
        return true;
    }
}
