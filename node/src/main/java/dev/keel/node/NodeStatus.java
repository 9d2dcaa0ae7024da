package dev.keel.node;

/** etcd's {@code StatusResponse}, read on the kernel thread. */
public record NodeStatus(HeaderFacts header, long revision, long dbSize, long dbSizeInUse, long leader,
                         long raftIndex, long raftAppliedIndex, boolean isLearner, String version) {
}
