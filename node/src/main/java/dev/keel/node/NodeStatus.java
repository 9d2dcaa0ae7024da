package dev.keel.node;

/**
 * etcd's {@code StatusResponse}, read on the kernel thread ({@code noSpaceAlarm}: the NOSPACE alarm is raised, which
 * etcd lists in the response's errors).
 */
public record NodeStatus(HeaderFacts header, long revision, long dbSize, long dbSizeInUse, long leader,
                         long raftIndex, long raftAppliedIndex, boolean isLearner, String version,
                         boolean noSpaceAlarm) {
}
