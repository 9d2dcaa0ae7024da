package dev.keel.node;

/**
 * How a member serves watches.
 *
 * @param bufferBytes          per Watch stream, the most bytes of kernel watch responses held for a client that
 *                             has not read them yet; beyond it the kernel replays from history later
 *                             ({@code --watch-buffer-bytes}, default 4 MiB)
 * @param progressNotifyMillis how often watchers created with progress_notify get a progress response (etcd's
 *                             {@code --experimental-watch-progress-notify-interval}, default 10 minutes)
 */
public record WatchSettings(int bufferBytes, long progressNotifyMillis) {
    /** 4 MiB per stream, progress every 10 minutes (etcd's interval). */
    public static final WatchSettings DEFAULTS = new WatchSettings(4 << 20, 10 * 60_000L);

    public WatchSettings {
        if (bufferBytes < 64 * 1024) {
            throw new IllegalArgumentException("--watch-buffer-bytes must be at least 65536, got " + bufferBytes);
        }
        if (progressNotifyMillis < 1) {
            throw new IllegalArgumentException(
                    "--experimental-watch-progress-notify-interval must be positive, got " + progressNotifyMillis + "ms");
        }
    }
}
