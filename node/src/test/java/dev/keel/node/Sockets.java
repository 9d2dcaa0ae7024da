package dev.keel.node;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/** Raw-socket checks shared by the hostile-input tests. */
public final class Sockets {
    private Sockets() {
    }

    /**
     * Reads (and drops) until end of stream or a reset; the stream's socket needs a short read timeout, so the
     * deadline is checked between reads.
     *
     * @return true once the other side closed or reset the connection, false if {@code millis} passed first
     */
    public static boolean closedByPeer(InputStream in, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        byte[] sink = new byte[4096];
        while (System.nanoTime() < deadline) {
            try {
                if (in.read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException notYet) {
                // poll again
            } catch (IOException reset) {
                return true;
            }
        }
        return false;
    }
}
