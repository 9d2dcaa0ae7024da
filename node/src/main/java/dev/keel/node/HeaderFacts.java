package dev.keel.node;

/** What etcd's {@code ResponseHeader} says besides the revision (which the MVCC response carries). */
public record HeaderFacts(long clusterId, long memberId, long raftTerm) {
}
