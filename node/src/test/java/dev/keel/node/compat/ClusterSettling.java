package dev.keel.node.compat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.keel.node.Awaits;
import io.etcd.jetcd.api.StatusResponse;

import java.util.List;

/**
 * Waits until a freshly started cluster has nothing left in flight: every member follows m1, every member has
 * applied the last committed entry, and (etcd only) the cluster version is decided, which etcd commits as an
 * entry of its own shortly after the election. Only then are raft indexes a fair base to compare against.
 */
final class ClusterSettling {
    private static final long DEADLINE_MILLIS = 30_000;

    private ClusterSettling() {
    }

    /** @return the applied index every member agrees on */
    static long awaitSettled(ClusterFacts facts, boolean isEtcd, String why) {
        long leader = facts.id("m1");
        long[] agreed = new long[1];
        String[] last = {"no answer yet"};
        try {
            Awaits.until(why + ": every member follows m1 and applied all", DEADLINE_MILLIS, () -> {
                try {
                    List<StatusResponse> statuses = facts.statuses();
                    long index = statuses.get(0).getRaftIndex();
                    StringBuilder seen = new StringBuilder();
                    boolean settled = true;
                    for (StatusResponse s : statuses) {
                        seen.append(" [leader=").append(Long.toHexString(s.getLeader())).append(" term=")
                                .append(s.getRaftTerm()).append(" index=").append(s.getRaftIndex())
                                .append(" applied=").append(appliedIndex(s)).append(']');
                        settled &= s.getLeader() == leader && s.getRaftIndex() == index && appliedIndex(s) == index;
                    }
                    last[0] = seen.toString();
                    if (!settled || (isEtcd && !clusterVersionDecided(facts.endpoint("m1")))) {
                        return false;
                    }
                    agreed[0] = index;
                    return true;
                } catch (RuntimeException notYet) {
                    last[0] = notYet.toString();
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; m1 is " + Long.toHexString(leader) + ", last seen:"
                    + last[0], e);
        }
        return agreed[0];
    }

    /** @return etcd 3.4's raftAppliedIndex (field 7), which jetcd-grpc's older proto keeps as an unknown field */
    static long appliedIndex(StatusResponse s) {
        var field = s.getUnknownFields().getField(7);
        return field.getVarintList().isEmpty() ? -1 : field.getVarintList().get(0);
    }

    private static boolean clusterVersionDecided(String endpoint) {
        // HTTP/1.1: etcd serves /version outside gRPC, and an HTTP/2 request would reach its gRPC handler.
        AggregatedHttpResponse r = WebClient.of("h1c://" + endpoint).get("/version").aggregate().join();
        return r.status().code() == 200 && !r.contentUtf8().contains("not_decided");
    }
}
