package dev.keel.node.compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One gateway session run against etcd and against Keel, step by step, each step's answers normalized by
 * {@link GatewayCurl#normalized} (and a session's own mask for what timing decides) and compared. Revisions in a
 * step's bodies are written relative to the cluster's revision before the session: {@code {r+1}} is the base plus
 * one. The transcripts are kept in {@code target/compat/}.
 */
final class GatewaySession {
    private static final Pattern RELATIVE = Pattern.compile("\\{r\\+(\\d+)}");
    private static final Pattern REVISION = Pattern.compile("\"revision\":\"(\\d+)\"");

    /** A unary (or self-ending stream) call: one curl that ends by itself. */
    record Call(String method, String path, String body) {
        /** A POST of {@code body} to {@code path}. */
        static Call post(String path, String body) {
            return new Call("POST", path, body);
        }

        String title() {
            return "$ curl -X " + method + " " + path + (body == null ? "" : " -d '" + body + "'");
        }
    }

    /** A step of a session: what it printed, run against one cluster. */
    interface Step {
        String title();

        /** @return the normalized output of the step against {@code url}, revisions relative to {@code base} */
        String run(String url, long base);
    }

    private final String keel;
    private final String etcd;
    private final UnaryOperator<String> mask;
    private final StringBuilder etcdTranscript = new StringBuilder();
    private final StringBuilder keelTranscript = new StringBuilder();
    private final List<String> mismatches = new ArrayList<>();
    private final long keelBase;
    private final long etcdBase;
    private int steps;

    /** Starts a session now: the revisions it writes are counted from each cluster's current revision. */
    GatewaySession(String keelUrl, String etcdUrl, UnaryOperator<String> mask) {
        this.keel = keelUrl;
        this.etcd = etcdUrl;
        this.mask = mask;
        this.keelBase = revision(keelUrl);
        this.etcdBase = revision(etcdUrl);
    }

    /** The store's revision now. */
    static long revision(String url) {
        String out = GatewayCurl.raw(url + "/v3/kv/range", "POST", "{\"key\":\"AA==\"}", null);
        Matcher m = REVISION.matcher(out);
        if (!m.find()) {
            throw new AssertionError(out);
        }
        return Long.parseLong(m.group(1));
    }

    /** Writes revision {@code r+n} of the session into a body. */
    static String body(String template, long base) {
        if (template == null) {
            return null;
        }
        return RELATIVE.matcher(template).replaceAll(r -> Long.toString(base + Long.parseLong(r.group(1))));
    }

    /** Runs each call against both clusters, etcd first. */
    void calls(List<Call> calls) {
        for (Call c : calls) {
            step(new Step() {
                @Override
                public String title() {
                    return c.title();
                }

                @Override
                public String run(String url, long base) {
                    return GatewayCurl.normalized(GatewayCurl.raw(url + c.path(), c.method(), body(c.body(), base),
                            null), base);
                }
            });
        }
    }

    /** Runs a step against etcd, then against Keel, and compares what they printed. */
    void step(Step s) {
        steps++;
        String expected = mask.apply(s.run(etcd, etcdBase));
        String actual = mask.apply(s.run(keel, keelBase));
        etcdTranscript.append(s.title()).append('\n').append(expected).append('\n');
        keelTranscript.append(s.title()).append('\n').append(actual).append('\n');
        if (!expected.equals(actual)) {
            mismatches.add(s.title() + "\n--- etcd\n" + expected + "--- Keel\n" + actual);
        }
    }

    /**
     * Writes the transcripts as {@code target/compat/<name>-etcd.txt} and {@code -keel.txt}.
     *
     * @return the steps whose outputs differ, each with both outputs, and a summary (empty list: none differ)
     */
    List<String> finish(String name) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "compat"));
        Files.writeString(dir.resolve(name + "-etcd.txt"), etcdTranscript);
        Files.writeString(dir.resolve(name + "-keel.txt"), keelTranscript);
        return mismatches;
    }

    /** @return the failure message for {@link #finish}'s mismatches */
    String summary() {
        return mismatches.size() + " of " + steps + " steps differ:\n" + String.join("\n", mismatches);
    }
}
