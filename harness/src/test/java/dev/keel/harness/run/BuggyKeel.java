package dev.keel.harness.run;

import dev.keel.kernel.raft.BugInjector;
import dev.keel.node.cli.KeelMain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code bin/keel} member with one of the kernel's deliberate protocol bugs turned on — the bug switch that only
 * tests can reach: it needs the kernel's test jar (its {@link BugInjector}) on the classpath, which no shipped jar
 * holds. Usage: {@code java -cp <test classpath> dev.keel.harness.run.BuggyKeel BUG <bin/keel flags>}.
 */
public final class BuggyKeel {
    private BuggyKeel() {
    }

    /** Starts the member with bug {@code args[0]} (one of {@link BugInjector#KERNEL_BUGS}). */
    public static void main(String[] args) {
        String bug = args[0];
        if (!BugInjector.KERNEL_BUGS.contains(bug)) {
            System.err.println("BuggyKeel: unknown bug " + bug + "; known: " + BugInjector.KERNEL_BUGS);
            System.exit(64);
        }
        System.err.println("BuggyKeel: this member runs with the deliberate bug " + bug);
        System.exit(KeelMain.run(raft -> BugInjector.inject(raft, bug), Arrays.copyOfRange(args, 1, args.length)));
    }

    /** @return the launcher that starts members with {@code bug}, on this test JVM's classpath */
    public static List<String> launcher(String bug) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(dev.keel.harness.cluster.ClusterOptions.MEMBER_JVM_OPTIONS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BuggyKeel.class.getName());
        command.add(bug);
        return List.copyOf(command);
    }
}
