package dev.keel.harness.cluster;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One direction of a proxied peer connection: a reader thread takes whole frames off one socket and asks the
 * rules for a verdict (drop, or pass after a delay); a writer thread writes the passed frames to the other
 * socket in order, each at its release time. The first frame (the handshake) always passes, so a connection
 * opened during a cut still establishes and only the messages are lost. A stream that turns out not to be
 * framed is passed on byte for byte. When the source ends, the writer drains what was passed and then calls
 * {@code onEnd}.
 */
final class FramePump {
    /** Passed bytes waiting to be written, at most: beyond that the reader waits (a paused member's backpressure). */
    private static final int MAX_QUEUED_BYTES = 32 << 20;
    private static final int RAW_CHUNK_BYTES = 64 * 1024;
    private static final Pending END = new Pending(new byte[0], 0);

    private record Pending(byte[] bytes, long releaseNanos) {
    }

    private final InputStream source;
    private final OutputStream sink;
    private final Function<byte[], Optional<LinkRules.Verdict>> verdicts;
    private final Consumer<byte[]> firstFrame;
    private final Runnable onEnd;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Semaphore queuedBytes = new Semaphore(MAX_QUEUED_BYTES);
    private final Thread reader;
    private final Thread writer;

    /**
     * @param verdicts   the verdict for a frame after the first; empty while the link is unidentified (pass)
     * @param firstFrame sees the first frame before it is passed on (to identify the dialer)
     * @param onEnd      called once, by the writer, when the source ended or either socket failed
     */
    FramePump(String label, InputStream source, OutputStream sink,
              Function<byte[], Optional<LinkRules.Verdict>> verdicts, Consumer<byte[]> firstFrame, Runnable onEnd) {
        this.source = new BufferedInputStream(source, RAW_CHUNK_BYTES);
        this.sink = sink;
        this.verdicts = verdicts;
        this.firstFrame = firstFrame;
        this.onEnd = onEnd;
        this.reader = new Thread(this::readLoop, label + " read");
        this.writer = new Thread(this::writeLoop, label + " write");
        reader.setDaemon(true);
        writer.setDaemon(true);
    }

    void start() {
        reader.start();
        writer.start();
    }

    private void readLoop() {
        try {
            boolean first = true;
            for (byte[] frame = PeerFrames.read(source); frame != null; frame = PeerFrames.read(source)) {
                if (first) {
                    firstFrame.accept(frame);
                    first = false;
                    enqueue(frame, 0);
                    continue;
                }
                LinkRules.Verdict verdict = verdicts.apply(frame).orElse(LinkRules.Verdict.PASS);
                if (!verdict.drop()) {
                    enqueue(frame, verdict.delayMillis());
                }
            }
        } catch (PeerFrames.NotFramedException e) {
            passRaw(e.prefix());
        } catch (IOException e) {
            // The source closed or broke: the connection ends after what was passed is written.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.add(END);
    }

    /** Passes everything from here on unchanged: the proxy cannot tell frames apart in it. */
    private void passRaw(byte[] prefix) {
        try {
            enqueue(prefix, 0);
            byte[] chunk = new byte[RAW_CHUNK_BYTES];
            for (int n = source.read(chunk); n >= 0; n = source.read(chunk)) {
                if (n > 0) {
                    enqueue(java.util.Arrays.copyOf(chunk, n), 0);
                }
            }
        } catch (IOException e) {
            // Ends like a framed stream.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void enqueue(byte[] bytes, long delayMillis) throws InterruptedException {
        queuedBytes.acquire(permits(bytes));
        queue.add(new Pending(bytes, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis)));
    }

    private static int permits(byte[] bytes) {
        return Math.min(bytes.length, MAX_QUEUED_BYTES);
    }

    private void writeLoop() {
        try {
            for (Pending next = queue.take(); next != END; next = queue.take()) {
                long wait = next.releaseNanos - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                sink.write(next.bytes);
                if (queue.isEmpty()) {
                    sink.flush();
                }
                queuedBytes.release(permits(next.bytes));
            }
            sink.flush();
        } catch (IOException e) {
            // The destination closed or broke: the whole connection goes.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        onEnd.run();
    }

    /** Stops both threads (the sockets are closed by the owner, which unblocks them). */
    void stop() {
        reader.interrupt();
        writer.interrupt();
    }
}
