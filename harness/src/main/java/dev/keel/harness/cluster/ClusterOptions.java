package dev.keel.harness.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * How {@link TortureCluster} starts its members.
 *
 * @param members     how many members to start (3 or 5 in practice; 1 to 7 accepted)
 * @param dir         the run's folder: every member's data directory and log go under it, and stay there
 * @param launcher    the command that starts one member, before its {@code bin/keel} flags: by default
 *                    {@code java <jvm options> -jar node/target/keel.jar} ({@link #defaultLauncher}); tests give
 *                    a launcher that starts a member with a deliberate bug
 * @param extraFlags  more {@code bin/keel} flags for every member (e.g. {@code --heartbeat-interval 50})
 * @param clockFaults whether to start members under libfaketime so that {@link ClusterControl#clocks()} works
 * @param log         where the cluster writes one line per thing it does (started, killed, proxy cut ...)
 */
public record ClusterOptions(int members, Path dir, List<String> launcher, List<String> extraFlags,
                             boolean clockFaults, Consumer<String> log) {
    /** JVM options for a member: a small heap and the serial collector, since several share two cores. */
    public static final List<String> MEMBER_JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC",
            "-Dcom.linecorp.armeria.useOpenSsl=false", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");

    /** @return {@code java <MEMBER_JVM_OPTIONS> -jar keelJar}, with the java of the running JVM */
    public static List<String> defaultLauncher(Path keelJar) {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(MEMBER_JVM_OPTIONS);
        command.add("-jar");
        command.add(keelJar.toAbsolutePath().toString());
        return List.copyOf(command);
    }
}
