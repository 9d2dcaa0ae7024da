package dev.keel.node;

import java.util.List;

/** etcd's {@code MemberListResponse}, read on the kernel thread. */
public record MemberListing(HeaderFacts header, long revision, List<Member> members) {
    /** One member: an unstarted one (never heard from) has an empty name and no client URLs, as in etcd. */
    public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {
    }
}
