package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.lease.LeaseClock;
import dev.keel.kernel.mvcc.lease.LeaseTable;
import dev.keel.kernel.mvcc.store.Compactor;
import dev.keel.kernel.mvcc.store.Keyspace;
import dev.keel.kernel.mvcc.store.KvWriter;
import dev.keel.kernel.mvcc.store.RangeReader;
import dev.keel.kernel.mvcc.store.TxnApplier;
import dev.keel.kernel.mvcc.store.WriteOps;
import dev.keel.kernel.mvcc.watch.WatchRegistry;

/**
 * The wired parts of one MVCC state: keyspace, lease table and clock, quota, readers and appliers, and the
 * watch registry. A restore builds a fresh core and swaps it in, so no part needs a "clear" of its own.
 */
final class MvccCore {
    final Keyspace keyspace = new Keyspace();
    final KvWriter kvWriter = new KvWriter(keyspace);
    final RangeReader reader = new RangeReader(keyspace, kvWriter);
    final WriteOps writes = new WriteOps(keyspace, kvWriter);
    final TxnApplier txns = new TxnApplier(keyspace, reader, writes);
    final Compactor compactor = new Compactor(keyspace);
    final LeaseTable leases;
    final LeaseClock clock;
    final QuotaGuard quota;
    final WatchRegistry watches = new WatchRegistry(keyspace, kvWriter);
    final EntryApplier applier;
    long appliedIndex;

    MvccCore(MvccConfig config, RequestValidator validator, AuthGate auth) {
        leases = new LeaseTable(config.minLeaseTtlSeconds());
        clock = new LeaseClock(leases, config.ticksPerSecond());
        quota = new QuotaGuard(config.quotaBytes(), keyspace.space());
        keyspace.leases(leases);
        writes.leases(leases);
        RevisionListener listener = revision -> watches.notify(revision, keyspace.changes());
        LeaseOps leaseOps = new LeaseOps(keyspace, leases, clock, quota, listener);
        applier = new EntryApplier(keyspace, validator, reader, writes, txns, compactor, quota, leaseOps, listener,
                auth, leases);
    }
}
