package dev.keel.harness.cluster;

import java.util.List;
import java.util.Optional;

/**
 * What the nemesis and the runner may do to a cluster of real {@code bin/keel} processes. Every operation acts
 * as an operator or the environment would (signals, proxies between members, etcd's Cluster and Maintenance
 * APIs); none reaches into a member. Thread-safe: the nemesis thread acts while client threads ask for
 * endpoints.
 */
public interface ClusterControl extends AutoCloseable {
    /** @return the current members (removed ones dropped, added ones appended), in the order they joined */
    List<Member> members();

    /** @return the client endpoints ({@code host:port}) of the current members, running or not */
    List<String> clientEndpoints();

    /** @return the member every running, unpaused member names as leader, when they agree; empty otherwise */
    Optional<Member> leader();

    /** @return the proxies between members */
    Network network();

    /** @return clock faults per member, or a control whose {@link ClockControl#supported()} is false */
    ClockControl clocks();

    /** SIGKILL: the process dies without flushing anything; waits until it is gone. */
    void kill(Member member);

    /** Starts a new life of a killed or stopped member on its data directory. */
    void restart(Member member);

    /** SIGSTOP: the process freezes with everything it believes (a paused leader still thinks it leads). */
    void pause(Member member);

    /** SIGCONT after {@link #pause}. */
    void resume(Member member);

    /**
     * Adds a new member through etcd's MemberAdd on a current member and starts its process with
     * {@code --initial-cluster-state existing}.
     *
     * @return the new member, running
     * @throws IllegalStateException when the cluster refused (no quorum, or a reconfiguration in progress)
     */
    Member addMember();

    /**
     * Removes {@code member} through etcd's MemberRemove and stops its process (its data is kept for the run's
     * folder).
     *
     * @throws IllegalStateException when the cluster refused
     */
    void removeMember(Member member);

    /**
     * Asks the current leader to hand leadership to {@code target} (etcd's Maintenance.MoveLeader).
     *
     * @return whether the leader accepted
     */
    boolean moveLeader(Member target);

    /**
     * Undoes every fault: heals the network, resumes paused members, restarts killed ones, resets clocks. The
     * runner calls it before the final reads.
     */
    void healAll();

    /** Stops every process and proxy; the run's folder (data, logs) stays. */
    @Override
    void close();
}
