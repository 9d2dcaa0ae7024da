package dev.keel.node.api;

/**
 * How long a follower keeps trying to reach the leader for a request only the leader serves (keepalive,
 * time-to-live) while there is no leader or the one it knew has gone: etcd's follower waits for an election and
 * retries until its request timeout, then answers "no leader" or "request timed out". Attempts back off from
 * 50 ms to 500 ms, about 8 s in all (etcd's request timeout is 5 s plus two election timeouts).
 */
final class LeaderWait {
    static final int MAX_ATTEMPTS = 20;

    private LeaderWait() {
    }

    /** @return whether a request that failed {@code attempts} times may be tried again */
    static boolean mayRetry(int attempts) {
        return attempts < MAX_ATTEMPTS;
    }

    /** @return milliseconds to wait before attempt {@code attempts + 1} */
    static long delayMillis(int attempts) {
        return Math.min(500L, 50L * Math.max(1, attempts));
    }
}
