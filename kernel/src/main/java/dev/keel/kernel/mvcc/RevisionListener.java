package dev.keel.kernel.mvcc;

/** Told after every write transaction that created a revision; its changes are in the keyspace's change list. */
@FunctionalInterface
interface RevisionListener {
    void written(long revision);
}
