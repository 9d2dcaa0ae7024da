package dev.keel.kernel.mvcc.watch;

import dev.keel.kernel.mvcc.store.KeyIndex;
import dev.keel.kernel.mvcc.store.RevisionRecords;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the watchers a revision's changes may concern without visiting every watcher: single-key watchers
 * are found through their key's hash, range watchers are always candidates (etcd keeps those in an interval
 * tree; a list is enough until there are thousands of them). Candidates come back in ID order, each once, so
 * delivery order stays deterministic.
 */
final class WatcherIndex {
    private final Int2ObjectHashMap<List<Watcher>> singleKey = new Int2ObjectHashMap<>();
    private final List<Watcher> ranges = new ArrayList<>();
    private final List<Watcher> candidates = new ArrayList<>();
    private long stamp;

    void add(Watcher watcher) {
        List<Watcher> list = watcher.rangeEnd.capacity() == 0
                ? singleKey.computeIfAbsent(watcher.keyHash, h -> new ArrayList<>()) : ranges;
        int at = list.size();
        while (at > 0 && list.get(at - 1).id > watcher.id) {
            at--;
        }
        list.add(at, watcher);
    }

    void remove(Watcher watcher) {
        if (watcher.rangeEnd.capacity() != 0) {
            ranges.remove(watcher);
            return;
        }
        List<Watcher> list = singleKey.get(watcher.keyHash);
        list.remove(watcher);
        if (list.isEmpty()) {
            singleKey.remove(watcher.keyHash);
        }
    }

    /** @return the watchers that may want one of {@code changes}, in ID order (valid until the next call) */
    List<Watcher> candidates(IntArrayList changes, KeyIndex keys, RevisionRecords records) {
        if (singleKey.isEmpty()) {
            return ranges;
        }
        candidates.clear();
        stamp++;
        for (int i = 0; i < changes.size(); i++) {
            List<Watcher> list = singleKey.get(keys.hash(records.keySlot(changes.getInt(i))));
            for (int w = 0; list != null && w < list.size(); w++) {
                collect(list.get(w));
            }
        }
        if (candidates.isEmpty()) {
            return ranges;
        }
        for (int w = 0; w < ranges.size(); w++) {
            collect(ranges.get(w));
        }
        // Insertion sort: the list is short and mostly sorted already.
        for (int i = 1; i < candidates.size(); i++) {
            Watcher watcher = candidates.get(i);
            int j = i - 1;
            while (j >= 0 && candidates.get(j).id > watcher.id) {
                candidates.set(j + 1, candidates.get(j));
                j--;
            }
            candidates.set(j + 1, watcher);
        }
        return candidates;
    }

    private void collect(Watcher watcher) {
        if (watcher.stamp != stamp) {
            watcher.stamp = stamp;
            candidates.add(watcher);
        }
    }
}
