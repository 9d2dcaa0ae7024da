package dev.keel.kernel.mvcc;

/**
 * Limits and time settings of the MVCC state machine, with etcd 3.4's defaults. Every replica must use the
 * same values for the replicated ones (quota, max request bytes, max txn ops, minimum lease TTL): they
 * decide what an applied entry does.
 */
public final class MvccConfig {
    /** etcd's {@code --quota-backend-bytes} default: 2 GiB. */
    public static final long DEFAULT_QUOTA_BYTES = 2L * 1024 * 1024 * 1024;
    /** etcd's {@code --max-request-bytes} default: 1.5 MiB. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1536 * 1024;
    /** etcd's {@code --max-txn-ops} default. */
    public static final int DEFAULT_MAX_TXN_OPS = 128;
    /** etcd's minimum lease TTL at the default 1 s election timeout: ceil(1.5 × 1 s). */
    public static final long DEFAULT_MIN_LEASE_TTL_SECONDS = 2;

    long quotaBytes = DEFAULT_QUOTA_BYTES;
    int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    int maxTxnOps = DEFAULT_MAX_TXN_OPS;
    long minLeaseTtlSeconds = DEFAULT_MIN_LEASE_TTL_SECONDS;
    long ticksPerSecond = 10;
    int compactionStepBudget = 1000;
    int leaseRevokesPerSecond = 1000;
    dev.keel.kernel.auth.AuthListener authListener = dev.keel.kernel.auth.AuthListener.NONE;

    /** Quota of stored history (keys + values + per-revision overhead); 0 means the 2 GiB default. */
    public MvccConfig quotaBytes(long bytes) {
        this.quotaBytes = bytes <= 0 ? DEFAULT_QUOTA_BYTES : bytes;
        return this;
    }

    /** etcd's {@code --max-request-bytes}: larger encoded requests are refused. */
    public MvccConfig maxRequestBytes(int bytes) {
        this.maxRequestBytes = bytes;
        return this;
    }

    /** etcd's {@code --max-txn-ops}. */
    public MvccConfig maxTxnOps(int ops) {
        this.maxTxnOps = ops;
        return this;
    }

    /** etcd derives it as ceil(1.5 × election timeout) in seconds. */
    public MvccConfig minLeaseTtlSeconds(long seconds) {
        this.minLeaseTtlSeconds = seconds;
        return this;
    }

    /** How many {@code tick()} calls make one second of lease time. */
    public MvccConfig ticksPerSecond(long ticks) {
        this.ticksPerSecond = ticks;
        return this;
    }

    /** Records physically removed per compaction step (one step per applied entry and per tick). */
    public MvccConfig compactionStepBudget(int records) {
        this.compactionStepBudget = records;
        return this;
    }

    /** etcd's leaseRevokeRate: expired leases reported per second at most. */
    public MvccConfig leaseRevokesPerSecond(int leases) {
        this.leaseRevokesPerSecond = leases;
        return this;
    }

    /** Who hears applied auth changes (tokens, invalidated users, auth state); not replicated. */
    public MvccConfig authListener(dev.keel.kernel.auth.AuthListener listener) {
        this.authListener = listener == null ? dev.keel.kernel.auth.AuthListener.NONE : listener;
        return this;
    }

    /** @return who hears applied auth changes */
    public dev.keel.kernel.auth.AuthListener authListener() {
        return authListener;
    }

    /** @return the space quota in bytes */
    public long quotaBytes() {
        return quotaBytes;
    }

    /** @return the request size limit in bytes */
    public int maxRequestBytes() {
        return maxRequestBytes;
    }

    /** @return the txn op limit */
    public int maxTxnOps() {
        return maxTxnOps;
    }

    /** @return the minimum lease TTL in seconds */
    public long minLeaseTtlSeconds() {
        return minLeaseTtlSeconds;
    }

    /** @return ticks per second of lease time */
    public long ticksPerSecond() {
        return ticksPerSecond;
    }

    /** @return rows removed per compaction step */
    public int compactionStepBudget() {
        return compactionStepBudget;
    }

    /** @return expired leases reported per second at most */
    public int leaseRevokesPerSecond() {
        return leaseRevokesPerSecond;
    }
}
