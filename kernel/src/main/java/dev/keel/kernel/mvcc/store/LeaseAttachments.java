package dev.keel.kernel.mvcc.store;

/** Told by the keyspace when a key's lease changes, so the lease table knows which keys a revoke deletes. */
public interface LeaseAttachments {
    /** The key in {@code slot} now carries {@code leaseId}. */
    void attach(long leaseId, int slot);

    /** The key in {@code slot} no longer carries {@code leaseId}. */
    void detach(long leaseId, int slot);

    /** @return whether the lease exists */
    boolean exists(long leaseId);
}
