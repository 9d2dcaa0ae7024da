package dev.keel.node.api;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchResponse;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** etcd's rule for periodic progress notifications: only to a watch that got no events since the last one. */
class WatchProgressDueTest {
    private static final WatchResponse EMPTY = WatchResponse.newBuilder().setWatchId(3).build();
    private static final WatchResponse EVENTS = WatchResponse.newBuilder().setWatchId(3)
            .addEvents(Event.getDefaultInstance()).build();

    @Test
    void aNotificationIsSkippedOnceAfterEventsAndSentWhenTheWatchWasQuiet() {
        WatchStream.Watch w = new WatchStream.Watch(3, false);
        assertTrue(WatchStream.progressDue(w, EMPTY), "quiet since creation: sent");
        assertTrue(WatchStream.progressDue(w, EMPTY), "still quiet: sent");
        assertTrue(WatchStream.progressDue(w, EVENTS), "events are always sent");
        assertTrue(WatchStream.progressDue(w, EVENTS));
        assertFalse(WatchStream.progressDue(w, EMPTY), "events since the last tick: skipped");
        assertTrue(WatchStream.progressDue(w, EMPTY), "quiet for a whole interval: sent");
        assertEquals(3, w.id);
    }
}
