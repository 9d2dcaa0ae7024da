package dev.keel.harness.cluster;

import dev.keel.harness.client.EtcdClients;
import dev.keel.harness.client.Failures;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.MoveLeaderRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * etcd's Cluster and Maintenance calls that change who is in the cluster and who leads, each tried on one
 * member after another until one answers or a few seconds passed.
 */
final class Membership {
    private static final long CALL_DEADLINE_MILLIS = 5_000;
    private static final long RETRY_FOR_MILLIS = 8_000;
    private static final long RETRY_PAUSE_MILLIS = 200;

    private final EtcdClients clients = new EtcdClients(CALL_DEADLINE_MILLIS);

    /** @return the members the cluster lists, asked of the first of {@code askable} that answers */
    List<Member> list(List<MemberProcess> askable) {
        return retry("MemberList", askable, endpoint ->
                clients.cluster(endpoint).memberList(MemberListRequest.getDefaultInstance()).getMembersList());
    }

    /** @return every member after the add (the new one with an empty name), as the answering member lists them */
    List<Member> add(List<MemberProcess> askable, String peerUrl) {
        return retry("MemberAdd " + peerUrl, askable, endpoint -> clients.cluster(endpoint)
                .memberAdd(MemberAddRequest.newBuilder().addPeerURLs(peerUrl).build()).getMembersList());
    }

    void remove(List<MemberProcess> askable, long memberId) {
        retry("MemberRemove " + Long.toHexString(memberId), askable, endpoint -> clients.cluster(endpoint)
                .memberRemove(MemberRemoveRequest.newBuilder().setID(memberId).build()));
    }

    /** Asks {@code leader} (only it: etcd refuses MoveLeader elsewhere) to hand leadership to {@code targetId}. */
    void moveLeader(MemberProcess leader, long targetId) {
        clients.maintenance(leader.clientEndpoint())
                .moveLeader(MoveLeaderRequest.newBuilder().setTargetID(targetId).build());
    }

    /**
     * Runs {@code call} on each member in turn, round after round, until one succeeds.
     *
     * @throws IllegalStateException with every member's last error when none succeeded in time
     */
    private <T> T retry(String what, List<MemberProcess> askable, Function<String, T> call) {
        if (askable.isEmpty()) {
            throw new IllegalStateException(what + ": no running member to ask");
        }
        long deadline = System.nanoTime() + RETRY_FOR_MILLIS * 1_000_000;
        List<String> errors = new ArrayList<>();
        while (true) {
            for (MemberProcess member : askable) {
                try {
                    return call.apply(member.clientEndpoint());
                } catch (RuntimeException e) {
                    errors.add(member.name() + ": " + Failures.describe(e));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(what + " refused: "
                            + String.join("; ", errors.subList(Math.max(0, errors.size() - askable.size()),
                            errors.size())));
                }
            }
            Waits.pause(RETRY_PAUSE_MILLIS);
        }
    }
}
