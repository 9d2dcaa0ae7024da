package dev.keel.kernel.mvcc.watch;

import org.agrona.DirectBuffer;

/**
 * Where a watcher's responses go (one per client watch stream, typically). The registry offers each
 * encoded watch response once; a sink whose bounded buffer is full returns false, and the registry then
 * takes the watcher out of sync and replays the refused events from history later, so nothing is lost
 * and nothing is delivered twice.
 */
@FunctionalInterface
public interface WatchSink {
    /**
     * @param watchId  the watcher the response belongs to (-1 for a stream-wide progress response)
     * @param response an encoded watch response ({@link dev.keel.kernel.mvcc.codec.ResponseLayout#WATCH}); copy
     *                 it before returning, the bytes are reused
     * @return whether the response was taken
     */
    boolean offer(long watchId, DirectBuffer response, int offset, int length);
}
