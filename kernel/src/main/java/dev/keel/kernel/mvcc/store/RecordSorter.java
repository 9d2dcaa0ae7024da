package dev.keel.kernel.mvcc.store;

import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;

import java.util.Arrays;

/**
 * Stable merge sort of record ids by a Range sort target. Stability keeps ties in the order they came in
 * (key order), which is also what etcd's insertion sort gives for small results, and keeps the output
 * deterministic where etcd's unstable sort is not.
 */
public final class RecordSorter {
    /** Sort targets, as etcd numbers them. */
    public static final int KEY = 0;
    public static final int VERSION = 1;
    public static final int CREATE = 2;
    public static final int MOD = 3;
    public static final int VALUE = 4;

    private final KeyIndex keys;
    private final RevisionRecords records;
    private int[] work = new int[16];
    private int[] scratch = new int[16];
    private int target;
    private boolean descending;

    public RecordSorter(Keyspace keyspace) {
        this.keys = keyspace.keys();
        this.records = keyspace.records();
    }

    /** Sorts the records in {@code ids} by {@code sortTarget}, descending if asked. */
    public void sort(IntArrayList ids, int sortTarget, boolean descend) {
        this.target = sortTarget;
        this.descending = descend;
        int n = ids.size();
        if (work.length < n) {
            work = new int[Math.max(n, work.length * 2)];
            scratch = new int[work.length];
        }
        for (int i = 0; i < n; i++) {
            work[i] = ids.getInt(i);
        }
        mergeSort(work, 0, n);
        for (int i = 0; i < n; i++) {
            ids.setInt(i, work[i]);
        }
    }

    private void mergeSort(int[] a, int from, int to) {
        if (to - from < 2) {
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, from, mid);
        mergeSort(a, mid, to);
        if (compare(a[mid - 1], a[mid]) <= 0) {
            return;
        }
        System.arraycopy(a, from, scratch, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || (i < mid && compare(scratch[i], scratch[j]) <= 0)) {
                a[k] = scratch[i++];
            } else {
                a[k] = scratch[j++];
            }
        }
    }

    private int compare(int x, int y) {
        int c = ascending(x, y);
        return descending ? -c : c;
    }

    private int ascending(int x, int y) {
        switch (target) {
            case VERSION:
                return Long.compare(records.version(x), records.version(y));
            case CREATE:
                return Long.compare(records.createRevision(x), records.createRevision(y));
            case MOD:
                return Long.compare(records.main(x), records.main(y));
            case VALUE:
                DirectBuffer vx = records.valueBuffer(x);
                return ByteCompare.compare(vx, records.valueOffset(x), records.valueLength(x),
                        records.valueBuffer(y), records.valueOffset(y), records.valueLength(y));
            case KEY:
            default:
                return keys.compareSlots(records.keySlot(x), records.keySlot(y));
        }
    }

    /** Sorts record ids by revision (main, sub); used once per restore, so boxing is acceptable there. */
    public static void sortByRevision(RevisionRecords records, int[] ids, int count) {
        Integer[] boxed = new Integer[count];
        for (int i = 0; i < count; i++) {
            boxed[i] = ids[i];
        }
        Arrays.sort(boxed, (x, y) -> {
            int c = Long.compare(records.main(x), records.main(y));
            return c != 0 ? c : Integer.compare(records.sub(x), records.sub(y));
        });
        for (int i = 0; i < count; i++) {
            ids[i] = boxed[i];
        }
    }
}
