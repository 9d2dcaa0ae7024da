package dev.keel.node.gateway;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A plain HTTP/1.1 client for one streamed gateway answer (chunked, one JSON object per line) that reads only
 * when asked: between calls it does not touch its socket, whose receive buffer is small, so a server writing to
 * it meets a client that does not read. Closing closes the socket.
 */
final class ChunkedLineClient implements AutoCloseable {
    private static final int RECEIVE_BUFFER_BYTES = 8 * 1024;
    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long chunkLeft;
    private boolean ended;

    /** Connects to {@code hostPort} ("host:port"), POSTs {@code body} to {@code path} and reads the headers. */
    ChunkedLineClient(String hostPort, String path, String body) {
        try {
            int colon = hostPort.lastIndexOf(':');
            socket = new Socket();
            socket.setReceiveBufferSize(RECEIVE_BUFFER_BYTES); // before connecting, so the window stays small
            socket.setSoTimeout(60_000);
            socket.connect(new InetSocketAddress(hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1))), 10_000);
            byte[] payload = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + hostPort + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + payload.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            in = new BufferedInputStream(socket.getInputStream(), 4096);
            String status = rawLine();
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IllegalStateException("answer: " + status);
            }
            boolean chunked = false;
            for (String h = rawLine(); !h.isEmpty(); h = rawLine()) {
                chunked |= h.toLowerCase(Locale.ROOT).equals("transfer-encoding: chunked");
            }
            if (!chunked) {
                throw new IllegalStateException("a streamed answer is chunked");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the next line of the body (without its newline), or null once the answer ended */
    String nextLine() {
        try {
            line.reset();
            while (!ended) {
                if (chunkLeft == 0) {
                    String size = rawLine();
                    if (size.isEmpty()) {
                        size = rawLine(); // the CRLF that closed the previous chunk
                    }
                    chunkLeft = Long.parseLong(size.split(";")[0].trim(), 16);
                    if (chunkLeft == 0) {
                        ended = true;
                        break;
                    }
                }
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the connection closed inside a chunk");
                }
                chunkLeft--;
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String rawLine() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed; read " + s);
            }
            if (b != '\r') {
                s.append((char) b);
            }
        }
        return s.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
