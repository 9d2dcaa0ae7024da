package dev.keel.replica;

import java.util.Locale;

/**
 * etcd's auto-compaction setting ({@code --auto-compaction-mode periodic|revision},
 * {@code --auto-compaction-retention}), in ticks and revisions. etcd's default is periodic with retention 0,
 * which is off.
 *
 * @param mode           periodic, revision, or off
 * @param retention      periodic: how many ticks of history to keep; revision: how many revisions to keep
 * @param checkTicks     revision mode: how often to compact (etcd: every 5 minutes); unused otherwise
 */
public record AutoCompaction(Mode mode, long retention, long checkTicks) {
    /** How the retention is counted. */
    public enum Mode { OFF, PERIODIC, REVISION }

    public AutoCompaction {
        if (retention < 0 || checkTicks < 1) {
            throw new IllegalArgumentException("auto-compaction retention must be >= 0 and its interval >= 1 tick");
        }
        if (retention == 0) {
            mode = Mode.OFF;
        }
    }

    public static AutoCompaction off() {
        return new AutoCompaction(Mode.OFF, 0, 1);
    }

    /** Keeps {@code retentionTicks} of history; compacts every min(retention, 1 h), as etcd 3.4. */
    public static AutoCompaction periodic(long retentionTicks) {
        return new AutoCompaction(Mode.PERIODIC, retentionTicks, 1);
    }

    /** Keeps the last {@code revisions} revisions, compacting every {@code checkTicks}. */
    public static AutoCompaction revision(long revisions, long checkTicks) {
        return new AutoCompaction(Mode.REVISION, revisions, checkTicks);
    }

    /**
     * Parses etcd's flags: mode {@code periodic} takes a duration ({@code 90m}, {@code 1h30m}, {@code 30s}) or a
     * bare number of hours; mode {@code revision} takes a number of revisions, checked every 5 minutes.
     *
     * @throws IllegalArgumentException with etcd-like wording when either value is not understood
     */
    public static AutoCompaction parse(String mode, String retention, long ticksPerSecond) {
        String m = mode.toLowerCase(Locale.ROOT);
        if (m.equals("revision")) {
            return revision(parseCount(retention), 300 * ticksPerSecond);
        }
        if (!m.equals("periodic")) {
            throw new IllegalArgumentException("unknown auto-compaction mode \"" + mode
                    + "\" (use periodic or revision)");
        }
        if (retention.chars().allMatch(Character::isDigit) && !retention.isEmpty()) {
            return periodic(parseCount(retention) * 3600 * ticksPerSecond);
        }
        return periodic(parseDurationSeconds(retention) * ticksPerSecond);
    }

    private static long parseCount(String s) {
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid auto-compaction retention \"" + s + "\"");
        }
    }

    private static long parseDurationSeconds(String s) {
        long total = 0;
        long number = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isDigit(c)) {
                number = (number < 0 ? 0 : number * 10) + (c - '0');
            } else if (number >= 0 && (c == 'h' || c == 'm' || c == 's')) {
                total += number * (c == 'h' ? 3600 : c == 'm' ? 60 : 1);
                number = -1;
            } else {
                throw new IllegalArgumentException("invalid auto-compaction retention \"" + s + "\"");
            }
        }
        if (number >= 0 || s.isEmpty()) {
            throw new IllegalArgumentException("invalid auto-compaction retention \"" + s + "\"");
        }
        return total;
    }
}
