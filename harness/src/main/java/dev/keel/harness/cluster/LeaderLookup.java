package dev.keel.harness.cluster;

import dev.keel.harness.client.EtcdClients;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Finds the leader the way an operator would: etcd's Maintenance.Status on each member, asked in parallel with
 * a short deadline, and the leader is the one a majority names and that names itself. Each answer also tells which member ID the
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
     * @param known every current member: a majority of them must name the leader
     * @return the member that a majority of {@code known} names as leader and that names itself; empty otherwise
     *         (a member just starting, paused or cut off cannot answer, and the rest may still agree)
     */
    Optional<MemberProcess> agreedLeader(List<MemberProcess> asked, List<MemberProcess> known) {
        if (asked.isEmpty()) {
            return Optional.empty();
        }
        List<CompletableFuture<Optional<StatusResponse>>> answers = new ArrayList<>();
        for (MemberProcess member : asked) {
            answers.add(CompletableFuture.supplyAsync(() -> status(member), pool));
        }
        Map<Long, Integer> votes = new HashMap<>();
        Set<Long> selfNamed = new HashSet<>();
        for (CompletableFuture<Optional<StatusResponse>> answer : answers) {
            Optional<StatusResponse> status = answer.join();
            if (status.isEmpty() || status.get().getLeader() == 0) {
                continue;
            }
            long leader = status.get().getLeader();
            votes.merge(leader, 1, Integer::sum);
            if (leader == status.get().getHeader().getMemberId()) {
                selfNamed.add(leader);
            }
        }
        int majority = known.size() / 2 + 1;
        for (Map.Entry<Long, Integer> vote : votes.entrySet()) {
            if (vote.getValue() >= majority && selfNamed.contains(vote.getKey())) {
                return known.stream().filter(m -> m.id() == vote.getKey()).findFirst();
            }
        }
        return Optional.empty();
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
