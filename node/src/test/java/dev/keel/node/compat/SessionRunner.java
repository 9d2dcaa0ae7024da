package dev.keel.node.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the steps of an {@link EtcdctlScenario} against one cluster and renders each as masked transcript text. */
final class SessionRunner {
    private final ClusterFacts facts;
    private final boolean isEtcd;
    private final OutputMasks masks;
    private final java.nio.file.Path snapshotFile;
    private final LeaseIds leases = new LeaseIds();

    SessionRunner(ClusterFacts facts, long baseIndex, boolean isEtcd) {
        this.facts = facts;
        this.isEtcd = isEtcd;
        try {
            this.snapshotFile = java.nio.file.Files.createTempDirectory("etcdctl-session-").resolve("snapshot.db");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.masks = new OutputMasks(facts, baseIndex, snapshotFile.toString());
    }

    /** @return the step's transcript: the command, its stdin, stdout, stderr (each line marked) and exit code */
    String run(EtcdctlScenario.Step step) {
        if (step.awaitApplied()) {
            ClusterSettling.awaitSettled(facts, isEtcd, step.text());
            return "# " + step.text() + "\n";
        }
        List<String> args = new ArrayList<>();
        String endpoints = facts.endpoint("m1");
        for (String a : step.args()) {
            if (a.startsWith("--endpoints=")) {
                endpoints = resolve(a.substring("--endpoints=".length()));
            } else {
                args.add(leases.resolve(a));
            }
        }
        args.replaceAll(this::placeholders);
        Etcdctl.Outcome outcome = Etcdctl.run(endpoints, args, step.stdin());
        leases.learn(args, outcome.stdout());
        StringBuilder out = new StringBuilder("$ etcdctl ").append(step.text()).append('\n');
        if (step.stdin() != null) {
            for (String line : step.stdin().split("\n", -1)) {
                out.append("< ").append(line).append('\n');
            }
        }
        appendLines(out, "", masks.mask(args, leases.mask(args, outcome.stdout())));
        appendLines(out, "stderr: ", masks.mask(args, leases.mask(args, outcome.stderr())));
        return out.append("[exit ").append(outcome.exitCode()).append("]\n").toString();
    }

    /** {@code {id:m2}}: member m2's ID as etcdctl takes it (hex); {@code {snapshot}}: this run's snapshot file. */
    private String placeholders(String arg) {
        String resolved = arg.replace(EtcdctlScenario.SNAPSHOT, snapshotFile.toString());
        for (Map.Entry<String, Long> e : facts.ids().entrySet()) {
            resolved = resolved.replace("{id:" + e.getKey() + "}", Long.toHexString(e.getValue()));
        }
        return resolved;
    }

    private String resolve(String endpoints) {
        if (endpoints.equals("{all}")) {
            return facts.allEndpoints();
        }
        String resolved = endpoints;
        for (Map.Entry<String, String> e : facts.clientEndpoints().entrySet()) {
            resolved = resolved.replace("{" + e.getKey() + "}", e.getValue());
        }
        return resolved;
    }

    /** Deletes this run's snapshot file (and etcdctl's partial file) and their folder. */
    void close() {
        java.nio.file.Path dir = snapshotFile.getParent();
        for (java.nio.file.Path p : new java.nio.file.Path[]{snapshotFile, dir.resolve("snapshot.db.part"), dir}) {
            try {
                java.nio.file.Files.deleteIfExists(p);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static void appendLines(StringBuilder out, String prefix, String text) {
        if (text.isEmpty()) {
            return;
        }
        for (String line : text.split("\n", -1)) {
            out.append(prefix).append(line).append('\n');
        }
    }
}
