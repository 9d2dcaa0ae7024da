package dev.keel.node.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs a real {@code curl} against a client URL and normalizes what it printed (status line, the headers that
 * carry meaning, the body) so Keel's answer can be compared with etcd's: header names lowercased and sorted,
 * headers that depend on the transport (date, length, chunking, server, trailers) dropped, and the values that
 * differ between any two clusters (IDs, terms, indexes, sizes, ports, versions) masked; revisions are written
 * relative to the cluster's revision before the session ({@code r+N}).
 */
final class GatewayCurl {
    private static final List<String> KEPT_HEADERS = List.of("content-type", "grpc-metadata-content-type",
            "access-control-allow-headers", "access-control-allow-methods", "access-control-allow-origin",
            "x-content-type-options");
    private static final Pattern IDS = Pattern.compile(
            "\"(cluster_id|member_id|ID|leader|raftIndex|raftAppliedIndex|dbSize|dbSizeInUse|raft_term|raftTerm)"
                    + "\":\"\\d+\"");
    private static final Pattern VERSION = Pattern.compile("\"version\":\"3\\.4\\.\\d+\"");
    private static final Pattern REVISION = Pattern.compile(
            "\"(revision|create_revision|mod_revision|compact_revision|rev)\":\"(\\d+)\"");
    private static final Pattern PORT = Pattern.compile("http://127\\.0\\.0\\.1:\\d+");

    private GatewayCurl() {
    }

    /** @return curl's raw output ({@code -i}: headers and body) */
    static String raw(String url, String method, String body, Path bodyFile) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-i", "-m", "30", "-X", method, url));
        if (bodyFile != null) {
            cmd.addAll(List.of("--data-binary", "@" + bodyFile));
        } else if (body != null) {
            cmd.addAll(List.of("-d", body));
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("curl did not finish: " + cmd);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the normalized answer: status line, kept headers, masked body */
    static String normalized(String raw, long baseRevision) {
        String text = raw.replace("\r", "");
        // curl prints "100 Continue" for large bodies, then the real answer.
        while (text.startsWith("HTTP/1.1 100")) {
            text = text.substring(text.indexOf("\n\n") + 2);
        }
        int split = text.indexOf("\n\n");
        String head = split < 0 ? text : text.substring(0, split);
        String body = split < 0 ? "" : text.substring(split + 2);
        String[] lines = head.split("\n");
        TreeSet<String> headers = new TreeSet<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (KEPT_HEADERS.contains(name)) {
                headers.add(name + ": " + lines[i].substring(colon + 1).trim());
            }
        }
        // etcd's error answers carry a trailer that curl prints after the body
        body = body.replace("Grpc-Trailer-Content-Type: application/grpc", "").stripTrailing();
        body = REVISION.matcher(body).replaceAll(m -> "\"" + m.group(1) + "\":\"r+"
                + (Long.parseLong(m.group(2)) - baseRevision) + "\"");
        body = IDS.matcher(body).replaceAll("\"$1\":\"#\"");
        body = VERSION.matcher(body).replaceAll("\"version\":\"3.4.x\"");
        body = PORT.matcher(body).replaceAll("http://127.0.0.1:PORT");
        return lines[0].trim() + "\n" + String.join("\n", headers) + "\n\n" + body + "\n";
    }
}
