package dev.keel.node.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the installed {@code etcdctl} (API v3) as a person would, capturing stdout, stderr and the exit code. */
final class Etcdctl {
    private static final long TIMEOUT_SECONDS = 30;

    /** What one run printed and returned. */
    record Outcome(int exitCode, String stdout, String stderr) {
    }

    private Etcdctl() {
    }

    /**
     * @param endpoints {@code --endpoints}
     * @param args      the arguments after {@code etcdctl}
     * @param stdin     what to type on standard input, or null for none
     */
    static Outcome run(String endpoints, List<String> args, String stdin) {
        List<String> cmd = new ArrayList<>();
        cmd.add(EtcdTools.etcdctl().toString());
        cmd.add("--endpoints=" + endpoints);
        cmd.addAll(args);
        Path out = null;
        Path err = null;
        Path in = null;
        try {
            out = Files.createTempFile("etcdctl-", ".out");
            err = Files.createTempFile("etcdctl-", ".err");
            in = Files.createTempFile("etcdctl-", ".in");
            Files.writeString(in, stdin == null ? "" : stdin);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(in.toFile());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("ETCDCTL_"));
            env.put("ETCDCTL_API", "3");
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("etcdctl did not finish within " + TIMEOUT_SECONDS + " s: " + cmd);
            }
            return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + cmd, e);
        } finally {
            for (Path p : new Path[]{out, err, in}) {
                if (p != null) {
                    p.toFile().delete();
                }
            }
        }
    }
}
