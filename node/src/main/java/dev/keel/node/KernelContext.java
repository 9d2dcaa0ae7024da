package dev.keel.node;

import dev.keel.node.config.NodeConfig;
import dev.keel.replica.Replica;

import java.util.List;

/**
 * What a {@link KernelTask} may use, on the kernel thread only: the replica, the member's facts for response
 * headers, the reply table (so the replica's later answer by token reaches the task's reply), and what the
 * member knows about its peers.
 */
public final class KernelContext {
    private final Replica replica;
    private final Calls calls;
    private final NodeConfig config;
    private final MemberDirectory directory;
    private final java.util.function.LongPredicate connected;

    KernelContext(Replica replica, Calls calls, NodeConfig config, MemberDirectory directory,
                  java.util.function.LongPredicate connected) {
        this.connected = connected;
        this.replica = replica;
        this.calls = calls;
        this.config = config;
        this.directory = directory;
    }

    /** @return the replica (kernel thread only: never keep it or hand it to another thread) */
    public Replica replica() {
        return replica;
    }

    /** @return cluster ID, member ID and current term, for a response header */
    public HeaderFacts facts() {
        return new HeaderFacts(config.clusterId(), config.memberId(),
                replica.raft() == null ? 0 : replica.raft().term());
    }

    /** @return this member's configuration */
    public NodeConfig config() {
        return config;
    }

    /**
     * Registers a reply for a replica request answered later by token through the {@code ReplyPort}
     * ({@code write}, {@code keepAlive}, {@code addMember}, ...).
     *
     * @return the token, or -1 when the table is full (answer "too many requests")
     */
    public long register(Reply reply) {
        return calls.register(reply);
    }

    /** @return the client URLs a member advertised (empty when it has not been heard from) */
    public List<String> clientUrlsOf(long memberId) {
        return directory.clientUrls(memberId);
    }

    /** @return the peer URLs known for a member (from the replicated registry; empty when none) */
    public List<String> peerUrlsOf(long memberId) {
        return directory.peerUrls(memberId);
    }

    /**
     * @return whether member {@code id} has started: it connected to this member at least once since this
     *         process started (it told its name), or it is this member — etcd's "published its attributes"
     */
    public boolean started(long memberId) {
        return memberId == config.memberId() || !directory.nameOf(memberId).isEmpty();
    }

    /** @return whether a connection to member {@code id} is up now (this member itself: true) */
    public boolean connected(long memberId) {
        return connected.test(memberId);
    }
}
