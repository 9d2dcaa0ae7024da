package dev.keel.node.compat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code curl -N -i} on a gateway stream that does not end by itself (watch, observe): its output is read
 * line by line as it comes, so a test can wait for a line, act, and read the next; {@link #stop} ends curl and
 * returns all it printed, for {@link GatewayCurl#normalized}.
 */
final class GatewayCurlStream implements AutoCloseable {
    private static final long LINE_TIMEOUT_SECONDS = 30;
    private final Process curl;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder printed = new StringBuilder();
    private final Thread reader;

    private GatewayCurlStream(Process curl) {
        this.curl = curl;
        this.reader = new Thread(this::readLines, "curl-stream");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code curl -N -i -X POST url -d body}. */
    static GatewayCurlStream post(String url, String body) {
        try {
            return new GatewayCurlStream(new ProcessBuilder("curl", "-s", "-N", "-i", "-m", "60", "-X", "POST", url,
                    "-d", body).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readLines() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(curl.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        } catch (IOException ended) {
            // curl was stopped
        }
    }

    /**
     * Waits for the next {@code n} body lines (JSON objects) after the status line and headers.
     *
     * @return them; the test fails if they do not come in time
     */
    List<String> bodyLines(int n) {
        List<String> out = new ArrayList<>();
        try {
            while (out.size() < n) {
                String line = lines.poll(LINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (line == null) {
                    throw new AssertionError("curl printed no more lines; so far:\n" + printed);
                }
                printed.append(line).append('\n');
                if (line.startsWith("{")) {
                    out.add(line);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Ends curl; @return what it printed in the lines read so far */
    String stop() {
        close();
        return printed.toString();
    }

    @Override
    public void close() {
        curl.destroy();
        try {
            if (!curl.waitFor(10, TimeUnit.SECONDS)) {
                curl.destroyForcibly();
            }
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
