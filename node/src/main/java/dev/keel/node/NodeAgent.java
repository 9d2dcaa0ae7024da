package dev.keel.node;

import dev.keel.kernel.mvcc.MvccError;
import dev.keel.kernel.raft.ConfState;
import dev.keel.node.config.MemberIds;
import dev.keel.node.config.NodeConfig;
import dev.keel.node.metrics.KernelGauges;
import dev.keel.replica.Disk;
import dev.keel.replica.Fate;
import dev.keel.replica.Replica;
import dev.keel.replica.ReplicaConfig;
import dev.keel.replica.ReplicaError;
import dev.keel.replica.ReplicaObserver;
import dev.keel.replica.ReplyPort;
import dev.keel.replica.StartResult;
import dev.keel.replica.TickSchedule;
import dev.keel.transport.MessageHandler;
import dev.keel.transport.Transport;
import io.grpc.Status;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * The kernel thread's duty cycle: the only code that touches the {@link Replica}. Each turn delivers the ticks
 * that are due (overdue ones first), the peers' messages, and the requests the API threads left in the
 * {@link Inbox}; after each batch it reports completed disk syncs back to the replica. It decides nothing
 * itself: it moves bytes, time and answers.
 */
final class NodeAgent implements Agent, ReplyPort, ReplicaObserver {
    private static final Logger LOG = LoggerFactory.getLogger("keel");
    /** The etcd API level Keel serves, reported as etcd's server version (etcdctl and clients gate on it). */
    static final String API_VERSION = "3.4.0";
    private static final int BATCH = 256;

    private final NodeConfig config;
    private final LongSupplier completedSyncs;
    private final Transport transport;
    private final Inbox inbox;
    private final Calls calls;
    private final MemberDirectory directory;
    private final Replica replica;
    private final MessageHandler fromPeer;
    private final Inbox.Handler fromApi = this::onRequest;
    private final KernelContext context;
    private final KernelGauges gauges;
    private final PeerSync peers;
    private long seenRegistryVersion = -1;
    private final ConfState seenConf = new ConfState();
    private TickSchedule ticks;
    private long knownLeader;
    private volatile boolean stopped;
    /** True while {@link #start} recovers: what recovery repaired comes back in its result, logged by the host. */
    private boolean recovering;
    private final dev.keel.node.auth.AuthEvents authEvents = new dev.keel.node.auth.AuthEvents();

    NodeAgent(NodeConfig config, Disk disk, LongSupplier completedSyncs, Transport transport,
              LongFunction<byte[]> peerInfo, Inbox inbox, Calls calls, PeerSync peers, KernelGauges gauges) {
        this.gauges = gauges;
        this.config = config;
        this.completedSyncs = completedSyncs;
        this.transport = transport;
        this.inbox = inbox;
        this.calls = calls;
        this.peers = peers;
        this.directory = new MemberDirectory(config, peerInfo);
        ReplicaConfig replicaConfig = config.replicaConfig(System.nanoTime());
        // Set before recovery: a restored snapshot reports its auth state through it.
        replicaConfig.mvcc().authListener(authEvents);
        this.replica = new Replica(replicaConfig, disk, transport, this, this);
        this.fromPeer = replica::receive;
        this.context = new KernelContext(replica, calls, config, directory,
                peers == null ? id -> true : peers::connected);
    }

    /** @return the fan-out of this member's applied auth changes */
    dev.keel.node.auth.AuthEvents authEvents() {
        return authEvents;
    }

    /** Recovers the replica from its disk; call before the agent runs. */
    StartResult start() {
        recovering = true;
        StartResult result;
        try {
            result = replica.start(System.currentTimeMillis() / 100);
        } finally {
            recovering = false;
        }
        ticks = new TickSchedule(TimeUnit.MILLISECONDS.toNanos(config.heartbeatMillis()), System.nanoTime());
        if (result.started()) {
            followMembers();
        }
        return result;
    }

    @Override
    public String roleName() {
        return "keel-kernel-" + config.name();
    }

    @Override
    public int doWork() {
        if (stopped) {
            // The replica halted (removed, or failed): it refuses what still arrives with its reason, so no
            // request or task waits for a kernel thread that no longer serves until the node closes.
            return inbox.drain(fromApi, BATCH) + inbox.drainTasks(context, BATCH);
        }
        int work = 0;
        long due = ticks.due(System.nanoTime());
        for (long i = 0; i < due && replica.running(); i++) {
            replica.tick();
            reportSyncs();
        }
        work += (int) Math.min(due, BATCH);
        work += transport.poll(fromPeer, BATCH);
        reportSyncs();
        work += inbox.drain(fromApi, BATCH);
        reportSyncs();
        work += inbox.drainTasks(context, BATCH);
        reportSyncs();
        noticeLeader();
        publishGauges();
        if (replica.running()) {
            followMembers();
        }
        if (!replica.running() && !stopped) {
            stopped = true;
            LOG.warn("member={} stopped: {}", MemberIds.hex(config.memberId()),
                    replica.removed() ? REMOVED : "the replica halted");
        }
        return work;
    }

    /** etcd's words for a member whose removal committed. */
    /** @return the replica's Raft node, for {@link KeelNode}'s test-only kernel setup before the thread starts */
    dev.keel.kernel.raft.RaftNode raft() {
        return replica.raft();
    }

    static final String REMOVED = ReplicaError.REMOVED.message().replace("etcdserver: ", "");

    /** @return whether the replica stopped because this member was removed from the cluster */
    boolean removed() {
        return replica.removed();
    }

    /**
     * The replicated member registry or the configuration changed: the directory, the transport's peers and
     * the answer to joining members follow.
     */
    private void followMembers() {
        ConfState conf = replica.raft().configuration();
        long version = replica.members().version();
        if (version == seenRegistryVersion && conf.equals(seenConf)) {
            return;
        }
        seenRegistryVersion = version;
        seenConf.copyFrom(conf);
        java.util.Map<Long, java.util.List<String>> urls = new java.util.TreeMap<>();
        replica.members().all().forEach((id, m) -> urls.put(id, dev.keel.node.config.MemberMetadata.decode(m)));
        directory.registryChanged(urls);
        if (peers != null) {
            peers.update(urls, directory.peerUrlsOf(conf));
        }
    }

    /** @return whether the replica stopped on its own (removed from the cluster or halted) */
    boolean stopped() {
        return stopped;
    }

    private void reportSyncs() {
        for (long id = completedSyncs.getAsLong(); id >= 0; id = completedSyncs.getAsLong()) {
            replica.onSynced(id);
        }
    }

    /** Plain numbers into volatile fields for /metrics and /health: no lock, no allocation. */
    private void publishGauges() {
        var raft = replica.raft();
        var mvcc = replica.mvcc();
        gauges.publish(raft.commitIndex(), raft.appliedIndex(), Math.max(0, raft.lastIndex() - raft.appliedIndex()),
                raft.leaderId(), replica.isLeader(), raft.configuration().isLearner(config.memberId()),
                mvcc.usedBytes(), mvcc.keyCount(), mvcc.revision(), mvcc.compactRevision(), mvcc.watcherCount(),
                mvcc.noSpaceAlarm());
    }

    private void noticeLeader() {
        long leader = replica.leaderId();
        if (leader != knownLeader) {
            knownLeader = leader;
            if (leader != 0) {
                gauges.leaderChanged();
            }
            if (leader == 0) {
                LOG.info("member={} lost the leader term={}", MemberIds.hex(config.memberId()), replica.raft().term());
            } else {
                LOG.info("member={} leader={} term={}{}", MemberIds.hex(config.memberId()), MemberIds.hex(leader),
                        replica.raft().term(), leader == config.memberId() ? " (this member)" : "");
            }
        }
    }

    private void onRequest(int type, long token, DirectBuffer body, int offset, int length) {
        switch (type) {
            case RequestGate.WRITE -> replica.write(token, body, offset, length);
            case RequestGate.READ -> replica.read(token, body, offset, length, false);
            case RequestGate.READ_SERIALIZABLE -> replica.read(token, body, offset, length, true);
            case RequestGate.STATUS -> answerStatus(token);
            case RequestGate.MEMBER_LIST -> answerMembers(token);
            default -> failed(token, ReplicaError.STOPPED, Fate.NOT_APPLIED, 0);
        }
    }

    private HeaderFacts facts() {
        return context.facts();
    }

    private void answerStatus(long token) {
        Reply r = calls.take(token);
        if (r != null) {
            var raft = replica.raft();
            long used = replica.mvcc().usedBytes();
            r.status(new NodeStatus(facts(), replica.mvcc().revision(), used, used, raft.leaderId(),
                    raft.commitIndex(), raft.appliedIndex(), raft.configuration().isLearner(config.memberId()),
                    API_VERSION, replica.mvcc().noSpaceAlarm()));
        }
    }

    private void answerMembers(long token) {
        Reply r = calls.take(token);
        if (r != null) {
            followMembers(); // a change applied earlier in this turn: list it as it is now
            ConfState conf = replica.raft().configuration();
            r.members(new MemberListing(facts(), replica.mvcc().revision(), directory.list(conf)));
        }
    }

    // ---------------------------------------------------------------- ReplyPort (kernel thread)

    @Override
    public void succeeded(long token, DirectBuffer response, int offset, int length) {
        Reply r = calls.take(token);
        if (r != null) {
            byte[] copy = new byte[length];
            response.getBytes(offset, copy);
            r.succeeded(copy, facts());
        }
    }

    @Override
    public void rejected(long token, MvccError error) {
        Reply r = calls.take(token);
        if (r == null) {
            return;
        }
        Status status = Status.fromCodeValue(error.grpcCode()).withDescription(error.message());
        if (error == MvccError.NOT_LEADER) {
            notLeader(r, replica.leaderId(), status);
        } else {
            r.failed(status);
        }
    }

    @Override
    public void failed(long token, ReplicaError error, Fate fate, long leaderHint) {
        gauges.proposalFailed();
        Reply r = calls.take(token);
        if (r == null) {
            return;
        }
        Status status = Status.fromCodeValue(error.grpcCode()).withDescription(error.message());
        if (error == ReplicaError.NOT_LEADER) {
            notLeader(r, leaderHint != 0 ? leaderHint : replica.leaderId(), status);
        } else {
            r.failed(status);
        }
    }

    private void notLeader(Reply r, long leader, Status status) {
        r.notLeader(leader, leader == 0 || leader == config.memberId() ? java.util.List.of()
                : directory.clientUrls(leader), status);
    }

    @Override
    public void adminSucceeded(long token, ConfState members, long leader) {
        Reply r = calls.take(token);
        if (r != null) {
            ConfState copy = new ConfState();
            copy.copyFrom(members);
            r.adminSucceeded(copy, leader, facts());
        }
    }

    // ---------------------------------------------------------------- ReplicaObserver

    @Override
    public void onLeader(long member, long term, dev.keel.kernel.raft.LogStorage log) {
        // logged by noticeLeader, which also sees followers learn of a new leader
    }

    @Override
    public void onEvent(long member, String what) {
        if (recovering) {
            return; // StartResult.note() carries it; KeelNode logs it once, naming the segment file
        }
        if (what.startsWith("installed a snapshot")) {
            LOG.info("member={} {}", MemberIds.hex(member), what); // routine catch-up, not trouble
        } else {
            LOG.warn("member={} {}", MemberIds.hex(member), what);
        }
    }

    @Override
    public void onClose() {
        if (replica.running()) {
            replica.stop();
        }
        // What is still queued gets the stopped replica's refusal; whatever never reached it, "server stopped".
        inbox.drain(fromApi, Integer.MAX_VALUE);
        inbox.drainTasks(context, Integer.MAX_VALUE);
        calls.drainAll(r -> r.failed(Status.UNAVAILABLE.withDescription(ReplicaError.STOPPED.message())));
    }
}
