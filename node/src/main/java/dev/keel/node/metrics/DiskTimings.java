package dev.keel.node.metrics;

/** What the file disk reports about its own durations (called on the thread that did the I/O). */
public interface DiskTimings {
    /** Timings nobody reads. */
    DiskTimings NONE = new DiskTimings() {
        @Override
        public void walFsync(long nanos) {
        }

        @Override
        public void snapshotSave(long nanos) {
        }
    };

    /** One {@code fdatasync} of the WAL took {@code nanos}. */
    void walFsync(long nanos);

    /** Writing one snapshot file durably (write, fsync, rename, directory fsync) took {@code nanos}. */
    void snapshotSave(long nanos);
}
