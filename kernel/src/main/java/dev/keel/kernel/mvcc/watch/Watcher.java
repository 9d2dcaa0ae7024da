package dev.keel.kernel.mvcc.watch;

import dev.keel.kernel.mvcc.store.KeyIndex;
import dev.keel.kernel.mvcc.store.RangeScan;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** One watcher: its key range, options, sink, and the next revision it must receive. */
final class Watcher {
    final long id;
    final UnsafeBuffer key;
    final UnsafeBuffer rangeEnd;
    final boolean unboundedEnd;
    final int options;
    final WatchSink sink;
    /** Hash of {@link #key} in the key index's hash, for single-key watchers' lookup. */
    final int keyHash;
    /** Marks the watcher as already collected for the revision being notified. */
    long stamp;
    /** The next revision this watcher has not been sent yet; events below it were delivered or skipped. */
    long nextRevision;
    /**
     * Receiving events at apply time; otherwise catching up from history. While synced, {@link #nextRevision}
     * advances only when the watcher is offered events, and the registry brings it up to date on leaving.
     */
    boolean synced;
    /** Revisions with events per catch-up response; halved when the sink refuses one, so big batches shrink to fit. */
    int batchRevisions = WatchRegistry.MAX_REVISIONS_PER_BATCH;

    Watcher(long id, DirectBuffer buffer, int keyOffset, int keyLength, int endOffset, int endLength,
            int options, WatchSink sink) {
        this.id = id;
        this.key = copy(buffer, keyOffset, keyLength);
        this.rangeEnd = copy(buffer, endOffset, endLength);
        this.unboundedEnd = RangeScan.unbounded(buffer, endOffset, endLength);
        this.options = options;
        this.sink = sink;
        this.keyHash = KeyIndex.hash(this.key, 0, keyLength);
    }

    boolean has(int option) {
        return (options & option) != 0;
    }

    private static UnsafeBuffer copy(DirectBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new UnsafeBuffer(bytes);
    }
}
