package dev.keel.kernel.mvcc;

import dev.keel.kernel.mvcc.store.SpaceLedger;

/**
 * etcd's space quota and NOSPACE alarm, decided at apply time so every replica agrees: a write that would
 * take the stored history past the quota raises the alarm and fails; while the alarm is raised every write
 * that adds data (put, txn with a put, lease grant) fails with NOSPACE, and reads, deletes, revokes and
 * compaction keep working. The alarm is cleared by an applied AlarmDisarm entry (etcd's
 * {@code Alarm(DEACTIVATE, NOSPACE)}).
 */
final class QuotaGuard {
    private final long quotaBytes;
    private final SpaceLedger space;
    private boolean alarm;

    QuotaGuard(long quotaBytes, SpaceLedger space) {
        this.quotaBytes = quotaBytes;
        this.space = space;
    }

    /** @return OK, or NO_SPACE (raising the alarm) for a write adding {@code cost} bytes */
    MvccError admit(long cost) {
        if (cost <= 0) {
            return MvccError.OK;
        }
        if (!alarm && space.used() + cost > quotaBytes) {
            alarm = true;
        }
        return alarm ? MvccError.NO_SPACE : MvccError.OK;
    }

    /** @return OK, or NO_SPACE while the alarm is raised (lease grants) */
    MvccError admitGrant() {
        return alarm ? MvccError.NO_SPACE : MvccError.OK;
    }

    boolean alarmed() {
        return alarm;
    }

    void alarm(boolean raised) {
        this.alarm = raised;
    }
}
