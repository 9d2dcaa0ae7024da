package dev.keel.kernel.mvcc.watch;

import dev.keel.kernel.mvcc.store.Keyspace;
import dev.keel.kernel.mvcc.store.KvWriter;
import dev.keel.kernel.mvcc.store.RevisionLog;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * etcd's watchable store, single-threaded. A synced watcher gets each write revision's events at apply
 * time ({@link #notify}); a new watcher with a past start revision, or one whose sink refused a response,
 * is unsynced and catches up from the store's history in bounded batches ({@link #sync}), then rejoins the
 * synced set. Every watcher therefore sees each event of its range exactly once, in revision order. A
 * watcher whose next revision has been compacted is canceled with {@code compact_revision}.
 *
 * <p>Watchers are visited in ID order, so delivery order is deterministic.
 */
public final class WatchRegistry {
    /** Option: send the previous kv with each event. */
    public static final int PREV_KV = 1;
    /** Option (etcd filter NOPUT): drop PUT events. */
    public static final int NO_PUT = 2;
    /** Option (etcd filter NODELETE): drop DELETE events. */
    public static final int NO_DELETE = 4;
    /** Option: send empty progress responses when {@link #progressNotify()} is called. */
    public static final int PROGRESS_NOTIFY = 8;

    /** etcd's watchBatchMaxRevs: at most this many revisions with events in one catch-up response. */
    static final int MAX_REVISIONS_PER_BATCH = 1000;

    private final Keyspace keyspace;
    private final WatchEventWriter writer;
    private final Long2ObjectHashMap<Watcher> byId = new Long2ObjectHashMap<>();
    private final List<Watcher> inIdOrder = new ArrayList<>();
    private final WatcherIndex index = new WatcherIndex();
    private final IntArrayList matches = new IntArrayList();
    private final IntArrayList encodedMatches = new IntArrayList();
    private boolean encodedPrevKv;
    private long nextId;

    public WatchRegistry(Keyspace keyspace, KvWriter kvWriter) {
        this.keyspace = keyspace;
        this.writer = new WatchEventWriter(keyspace, kvWriter);
    }

    /**
     * Creates a watcher over etcd's key/range_end forms (empty end: one key; {@code "\0"}: every key from
     * {@code key} on). {@code startRevision} 0 means "from the next write"; a past revision replays history
     * first; one below the compaction revision gets a canceled response with {@code compact_revision} on the
     * next {@link #sync}.
     *
     * @param requestedId a client-chosen ID, or -1 to have one assigned
     * @param options     combination of {@link #PREV_KV}, {@link #NO_PUT}, {@link #NO_DELETE},
     *                    {@link #PROGRESS_NOTIFY}
     * @return the watch ID, or -1 if {@code requestedId} is already in use
     */
    public long create(long requestedId, DirectBuffer buffer, int keyOffset, int keyLength, int endOffset,
                       int endLength, long startRevision, int options, WatchSink sink) {
        long id = requestedId;
        if (id < 0) {
            while (byId.containsKey(nextId)) {
                nextId++;
            }
            id = nextId++;
        } else if (byId.containsKey(id)) {
            return -1;
        }
        Watcher watcher = new Watcher(id, buffer, keyOffset, keyLength, endOffset, endLength, options, sink);
        long current = keyspace.currentRevision();
        watcher.synced = startRevision == 0 || startRevision > current;
        watcher.nextRevision = startRevision == 0 ? current + 1 : startRevision;
        byId.put(id, watcher);
        int at = inIdOrder.size();
        while (at > 0 && inIdOrder.get(at - 1).id > id) {
            at--;
        }
        inIdOrder.add(at, watcher);
        index.add(watcher);
        return id;
    }

    /** @return whether a watcher was canceled */
    public boolean cancel(long watchId) {
        Watcher watcher = byId.remove(watchId);
        if (watcher == null) {
            return false;
        }
        inIdOrder.remove(watcher);
        index.remove(watcher);
        return true;
    }

    /** @return number of watchers */
    public int size() {
        return inIdOrder.size();
    }

    /** @return number of watchers still catching up */
    public int unsyncedCount() {
        int n = 0;
        for (int i = 0; i < inIdOrder.size(); i++) {
            n += inIdOrder.get(i).synced ? 0 : 1;
        }
        return n;
    }

    /** Delivers the records written at {@code revision} to the synced watchers (called once per write). */
    public void notify(long revision, IntArrayList changes) {
        List<Watcher> candidates = index.candidates(changes, keyspace.keys(), keyspace.records());
        boolean encoded = false;
        for (int w = 0; w < candidates.size(); w++) {
            Watcher watcher = candidates.get(w);
            if (!watcher.synced || revision < watcher.nextRevision) {
                continue;
            }
            matches.clear();
            for (int i = 0; i < changes.size(); i++) {
                if (writer.wants(watcher, changes.getInt(i))) {
                    matches.addInt(changes.getInt(i));
                }
            }
            if (matches.isEmpty()) {
                watcher.nextRevision = revision + 1;
                continue;
            }
            // Fan-out: watchers with the same events and the same prev_kv choice get the same bytes.
            if (encoded && sameEncoding(watcher)) {
                writer.watchId(watcher.id);
            } else {
                writer.begin(watcher.id, 0, false);
                for (int i = 0; i < matches.size(); i++) {
                    writer.add(watcher, matches.getInt(i));
                }
                encoded = true;
                encodedPrevKv = watcher.has(PREV_KV);
                encodedMatches.clear();
                encodedMatches.addAll(matches);
            }
            if (!offer(watcher)) {
                // A synced watcher has everything before this revision, whether or not it was a candidate before.
                watcher.nextRevision = revision;
                watcher.synced = false;
                continue;
            }
            watcher.nextRevision = revision + 1;
        }
    }

    /**
     * Lets unsynced watchers catch up from history, visiting at most about {@code budget} history entries.
     *
     * @return whether watchers remain unsynced
     */
    public boolean sync(int budget) {
        int remaining = budget;
        for (int w = 0; w < inIdOrder.size() && remaining > 0; w++) {
            Watcher watcher = inIdOrder.get(w);
            if (watcher.synced) {
                continue;
            }
            // etcd lets a watcher start at the compaction revision even when a delete there is gone; Keel cancels
            // it with the next revision as compact_revision instead of silently skipping the delete.
            long complete = keyspace.log().completeFrom(keyspace.compactRevision());
            if (watcher.nextRevision < complete) {
                writer.begin(watcher.id, complete, true);
                if (offer(watcher)) {
                    cancel(watcher.id);
                    w--;
                }
                continue;
            }
            remaining -= catchUp(watcher, remaining);
        }
        return unsyncedCount() > 0;
    }

    /** Sends one batch of history to {@code watcher}; returns the history entries visited. */
    private int catchUp(Watcher watcher, int budget) {
        RevisionLog log = keyspace.log();
        int end = log.end();
        int position = log.firstAtOrAfter(watcher.nextRevision);
        long lastRevision = watcher.nextRevision - 1;
        int visited = 0;
        int revisionsWithEvents = 0;
        writer.begin(watcher.id, 0, false);
        while (position < end && visited < budget && revisionsWithEvents < watcher.batchRevisions) {
            long revision = log.mainAt(position);
            int before = writer.events();
            // A revision's events always travel together.
            for (; position < end && log.mainAt(position) == revision; position++, visited++) {
                int record = log.recordAt(position);
                if (record >= 0 && writer.wants(watcher, record)) {
                    writer.add(watcher, record);
                }
            }
            lastRevision = revision;
            revisionsWithEvents += writer.events() > before ? 1 : 0;
        }
        if (writer.events() > 0 && !offer(watcher)) {
            watcher.batchRevisions = Math.max(1, watcher.batchRevisions / 2);
            return visited;
        }
        watcher.batchRevisions = Math.min(MAX_REVISIONS_PER_BATCH, watcher.batchRevisions * 2);
        if (position >= end) {
            // Caught up; a watcher that asked for a future start revision keeps waiting for it.
            watcher.nextRevision = Math.max(watcher.nextRevision, keyspace.currentRevision() + 1);
            watcher.synced = true;
        } else {
            watcher.nextRevision = lastRevision + 1;
        }
        return Math.max(visited, 1);
    }

    /** Sends an empty progress response to every synced watcher created with {@link #PROGRESS_NOTIFY}. */
    public void progressNotify() {
        for (int w = 0; w < inIdOrder.size(); w++) {
            Watcher watcher = inIdOrder.get(w);
            if (watcher.synced && watcher.has(PROGRESS_NOTIFY)) {
                writer.begin(watcher.id, 0, false);
                offer(watcher);
            }
        }
    }

    /**
     * etcd's RequestProgress for one stream: if every watcher of {@code sink} is synced, offers it one
     * progress response (watch ID -1, header revision = current revision).
     *
     * @return whether the progress response was delivered; if not, ask again after {@link #sync}
     */
    public boolean requestProgress(WatchSink sink) {
        for (int w = 0; w < inIdOrder.size(); w++) {
            Watcher watcher = inIdOrder.get(w);
            if (watcher.sink == sink && !watcher.synced) {
                return false;
            }
        }
        writer.begin(-1, 0, false);
        int length = writer.end();
        return sink.offer(-1, writer.buffer(), 0, length);
    }

    private boolean sameEncoding(Watcher watcher) {
        if (watcher.has(PREV_KV) != encodedPrevKv || matches.size() != encodedMatches.size()) {
            return false;
        }
        for (int i = 0; i < matches.size(); i++) {
            if (matches.getInt(i) != encodedMatches.getInt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean offer(Watcher watcher) {
        int length = writer.end();
        return watcher.sink.offer(watcher.id, writer.buffer(), 0, length);
    }

    /**
     * Takes over every watcher of {@code previous} (after a snapshot restore replaced the store): each one
     * catches up from its next revision against the restored history, as etcd's restore does.
     */
    public void adopt(WatchRegistry previous) {
        long previousNext = previous.keyspace.currentRevision() + 1;
        for (int w = 0; w < previous.inIdOrder.size(); w++) {
            Watcher watcher = previous.inIdOrder.get(w);
            if (watcher.synced) {
                // Synced watchers only advance when they receive events; they had everything up to here.
                watcher.nextRevision = Math.max(watcher.nextRevision, previousNext);
            }
            watcher.synced = false;
            byId.put(watcher.id, watcher);
            inIdOrder.add(watcher);
            index.add(watcher);
        }
        nextId = Math.max(nextId, previous.nextId);
    }
}
