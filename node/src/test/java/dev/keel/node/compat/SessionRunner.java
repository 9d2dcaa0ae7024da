package dev.keel.node.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the steps of an {@link EtcdctlScenario} against one cluster and renders each as masked transcript text. */
final class SessionRunner {
    private final ClusterFacts facts;
    private final boolean isEtcd;
    private final OutputMasks masks;
    private final LeaseIds leases = new LeaseIds();

    SessionRunner(ClusterFacts facts, long baseIndex, boolean isEtcd) {
        this.facts = facts;
        this.isEtcd = isEtcd;
        this.masks = new OutputMasks(facts, baseIndex);
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

    private static void appendLines(StringBuilder out, String prefix, String text) {
        if (text.isEmpty()) {
            return;
        }
        for (String line : text.split("\n", -1)) {
            out.append(prefix).append(line).append('\n');
        }
    }
}
