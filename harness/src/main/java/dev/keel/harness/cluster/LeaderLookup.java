package dev.keel.harness.cluster;

import dev.keel.harness.client.EtcdClients;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Finds the leader the way an operator would: etcd's Maintenance.Status on each member, asked in parallel with
 * a short deadline, and the leader is the one they all name. Each answer also tells which member ID the
 * answering member has, which it records.
 */
final class LeaderLookup {
    /** Status deadline: a member that cannot answer this fast counts as not agreeing. */
    static final long STATUS_DEADLINE_MILLIS = 500;

    private final EtcdClients statusClients;
    private final ExecutorService pool;

    /** @param pool runs the Status calls (one task per asked member) */
    LeaderLookup(ExecutorService pool) {
        this.statusClients = new EtcdClients(STATUS_DEADLINE_MILLIS);
        this.pool = pool;
    }

    /**
     * @param asked the members to ask (running and not paused)
     * @param known every member, to find the named leader among (it may be one that was not asked)
     * @return the member every asked one names as leader; empty when one does not answer, names none, or they
     *         disagree, or nothing was asked
     */
    Optional<MemberProcess> agreedLeader(List<MemberProcess> asked, List<MemberProcess> known) {
        if (asked.isEmpty()) {
            return Optional.empty();
        }
        List<CompletableFuture<Optional<StatusResponse>>> answers = new ArrayList<>();
        for (MemberProcess member : asked) {
            answers.add(CompletableFuture.supplyAsync(() -> status(member), pool));
        }
        long leader = 0;
        for (CompletableFuture<Optional<StatusResponse>> answer : answers) {
            Optional<StatusResponse> status = answer.join();
            if (status.isEmpty() || status.get().getLeader() == 0) {
                return Optional.empty();
            }
            if (leader != 0 && status.get().getLeader() != leader) {
                return Optional.empty();
            }
            leader = status.get().getLeader();
        }
        long leaderId = leader;
        return known.stream().filter(m -> m.id() == leaderId).findFirst();
    }

    /** @return the member's Status, or empty when it does not answer within the deadline */
    Optional<StatusResponse> status(MemberProcess member) {
        try {
            StatusResponse status = statusClients.maintenance(member.clientEndpoint())
                    .status(StatusRequest.getDefaultInstance());
            if (status.getHeader().getMemberId() != 0) {
                member.id(status.getHeader().getMemberId());
            }
            return Optional.of(status);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
