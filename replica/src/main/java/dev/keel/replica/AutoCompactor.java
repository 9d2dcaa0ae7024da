package dev.keel.replica;

import org.agrona.collections.LongArrayList;

/**
 * Decides, tick by tick on the leader, when to propose a compaction and to which revision — etcd 3.4's
 * compactors. Periodic: sample the revision every min(retention, 1 h) / 10, keep the samples that cover the
 * retention, and every min(retention, 1 h) (the first time after a whole retention) compact to the oldest,
 * the revision as of one retention ago. Revision: every check interval, compact to current − retention if
 * that moved.
 */
final class AutoCompactor {
    private static final long TICKS_PER_HOUR_FLOOR = 1;
    private final AutoCompaction setting;
    private final long hourTicks;
    private final LongArrayList samples = new LongArrayList();
    private long ticks;
    private long sinceSuccess;
    private long lastTarget;
    private boolean firstCycle = true;

    AutoCompactor(AutoCompaction setting, long ticksPerSecond) {
        this.setting = setting;
        this.hourTicks = Math.max(TICKS_PER_HOUR_FLOOR, 3600 * ticksPerSecond);
    }

    /** This member started leading: start over, as etcd's compactor resumes on a new leader. */
    void reset() {
        samples.clear();
        ticks = 0;
        sinceSuccess = 0;
        firstCycle = true;
    }

    /** @return the revision to compact to now, or 0 */
    long onTick(long currentRevision, long compactedRevision) {
        switch (setting.mode()) {
            case PERIODIC:
                return periodic(currentRevision, compactedRevision);
            case REVISION:
                return revision(currentRevision, compactedRevision);
            default:
                return 0;
        }
    }

    private long periodic(long currentRevision, long compactedRevision) {
        long interval = Math.min(setting.retention(), hourTicks);
        long retry = Math.max(1, interval / 10);
        long keep = setting.retention() / retry + 1;
        if (ticks++ % retry == 0) {
            samples.addLong(currentRevision);
            if (samples.size() > keep) {
                samples.removeAt(0);
            }
        }
        sinceSuccess++;
        long base = firstCycle ? setting.retention() : interval;
        if (sinceSuccess < base || samples.isEmpty()) {
            return 0;
        }
        firstCycle = false;
        sinceSuccess = 0;
        long target = samples.getLong(0);
        return target > compactedRevision && target > 1 ? target : 0;
    }

    private long revision(long currentRevision, long compactedRevision) {
        if (++ticks % setting.checkTicks() != 0) {
            return 0;
        }
        long target = currentRevision - setting.retention();
        if (target <= 1 || target <= compactedRevision || target == lastTarget) {
            return 0;
        }
        lastTarget = target;
        return target;
    }
}
