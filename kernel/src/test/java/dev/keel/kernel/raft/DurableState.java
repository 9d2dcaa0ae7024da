package dev.keel.kernel.raft;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test host has made durable for one node: hard state, the latest snapshot and the log entries after
 * it. A crash keeps exactly this; restart rebuilds a node from it.
 */
final class DurableState {
    record Entry(long index, long term, byte type, byte[] data) {
    }

    long term;
    long vote;
    long commit;
    long snapshotIndex;
    long snapshotTerm;
    ConfState snapshotConf = new ConfState();
    byte[] snapshotData = new byte[0];
    final List<Entry> entries = new ArrayList<>();

    DurableState(ConfState initial) {
        snapshotConf.copyFrom(initial);
    }

    /** A commit-only hard state written without a sync ({@link Ready#mustSync()} false): a crash loses it. */
    long unsyncedCommit;

    /**
     * Persists what a Ready asks for, in the order the contract gives. A batch that need not be synced only
     * writes its commit index; the next synced batch makes it durable, a crash before that forgets it.
     */
    void persist(Ready ready, EntryView view) {
        if (!ready.mustSync()) {
            if (ready.hasHardState()) {
                unsyncedCommit = ready.commit();
            }
            return;
        }
        commit = Math.max(commit, unsyncedCommit); // written earlier in the same log, synced now
        unsyncedCommit = 0;
        if (ready.hasHardState()) {
            term = ready.term();
            vote = ready.vote();
            commit = ready.commit();
        }
        if (ready.hasSnapshot()) {
            saveSnapshot(ready.snapshotIndex(), ready.snapshotTerm(), ready.snapshotConf(),
                    copy(ready.snapshotData(), ready.snapshotLength()));
            entries.clear();
        }
        if (ready.hasEntries()) {
            truncateFrom(ready.persistFrom());
            for (long i = ready.persistFrom(); i <= ready.persistTo(); i++) {
                ready.entry(i, view);
                entries.add(new Entry(i, view.term(), view.type(), view.copyData()));
            }
        }
    }

    /** @return the last durable log index */
    long lastIndex() {
        return entries.isEmpty() ? snapshotIndex : entries.get(entries.size() - 1).index();
    }

    void saveSnapshot(long index, long term, ConfState conf, byte[] data) {
        snapshotIndex = index;
        snapshotTerm = term;
        snapshotConf = new ConfState();
        snapshotConf.copyFrom(conf);
        snapshotData = data;
    }

    void compact(long index) {
        entries.removeIf(e -> e.index() <= index);
    }

    /** @return an in-memory storage holding exactly the durable state, as a restarted host would load it */
    InMemoryLogStorage load() {
        InMemoryLogStorage storage = new InMemoryLogStorage(snapshotConf);
        if (snapshotIndex > 0) {
            storage.installSnapshot(snapshotIndex, snapshotTerm, snapshotConf, new UnsafeBuffer(snapshotData), 0,
                    snapshotData.length);
        }
        for (Entry e : entries) {
            if (e.index() > storage.lastIndex()) {
                storage.append(e.term(), e.type(), new UnsafeBuffer(e.data()), 0, e.data().length);
            }
        }
        return storage;
    }

    private void truncateFrom(long index) {
        entries.removeIf(e -> e.index() >= index);
    }

    static byte[] copy(org.agrona.DirectBuffer buffer, int length) {
        byte[] out = new byte[length];
        buffer.getBytes(0, out);
        return out;
    }
}
