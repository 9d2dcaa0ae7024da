package dev.keel.simulator;

import dev.keel.kernel.mvcc.MvccConfig;
import dev.keel.kernel.raft.ConfState;
import dev.keel.kernel.raft.LogStorage;
import dev.keel.kernel.raft.RaftConfig;
import dev.keel.kernel.raft.RaftNode;
import dev.keel.kernel.raft.ReadMode;
import dev.keel.kernel.util.SplitMix64;
import dev.keel.linearizability.search.CheckResult;
import dev.keel.replica.AutoCompaction;
import dev.keel.replica.ReplicaConfig;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One deterministic run of a whole cluster in one thread: the real kernel on every node, a simulated network,
 * disks and clocks, clients recording a history, and the faults this seed drew. The fault phase lasts the
 * configured virtual time; then every fault heals and the cluster must commit a new write within
 * {@link SimConfig#LIVENESS_SECONDS}. Safety is checked throughout; the history is checked for
 * linearizability at the end.
 */
public final class Simulation {
    /** A tick is 100 ms of virtual time, as etcd's default heartbeat interval. */
    static final long TICK_MICROS = 100_000;
    /** The leader auto-compacts every so many ticks, keeping this many revisions (etcd's revision mode). */
    private static final long COMPACT_EVERY_TICKS = 50;
    private static final long COMPACT_KEEP_REVISIONS = 200;
    /** The leader checkpoints remaining lease TTLs this often (etcd: 5 minutes; a run is 60 s). */
    private static final long LEASE_CHECKPOINT_TICKS = 30;
    private static final int EVENT_LOG = 200;

    final SimConfig config;
    final FaultPlan plan;
    final SimNetwork network;
    final SafetyMonitor monitor = new SafetyMonitor();
    final WatchMonitor watchMonitor = new WatchMonitor();
    final HistoryRecorder history = new HistoryRecorder();
    final ReadSafetyMonitor readSafety;
    /** The committed log replayed into a simple model; every replica's answers are compared with it. */
    final ReferenceStore reference = new ReferenceStore();
    /** What the lease clients achieved (reported with the result). */
    long leasesGranted;
    long leasesRevoked;
    long leaseKeysRead;
    /** Log indexes at which a leader's revoke of an expired lease was applied. */
    final java.util.TreeSet<Long> leaseExpiries = new java.util.TreeSet<>();
    final TraceHash trace = new TraceHash();
    private final EventQueue agenda = new EventQueue();
    private final SimNode[] nodes;
    /** Processes that exist: the founders, and spares once the operator started them (removed ones stay). */
    private final List<SimNode> present = new ArrayList<>();
    final MembershipOperator operator;
    private final List<Client> clients = new ArrayList<>();
    private ColdKeyClient coldClient;
    private final FaultInjector injector;
    private final SplitMix64 workloadRandom;
    private final ArrayDeque<String> recentEvents = new ArrayDeque<>();
    private final long[][] recentValues;
    private long now;
    private long nextRequestId = 1;
    private long nextValue = 1;
    private long nextProcess;
    private boolean faultPhase = true;
    private boolean probeDone;
    boolean stopIssuing;
    /** Test-only host bug: disks that report a sync complete before its data is durable (a lying fsync). */
    boolean lyingDisks;
    /** Test-only kernel bugs, applied to every node (also after restarts). */
    Consumer<RaftNode> kernelBugs = node -> { };

    /** Told, every {@link #PROGRESS_EVERY_EVENTS} events, how far a seed has come (for progress on long seeds). */
    interface ProgressListener {
        /** The run reached {@code virtualMicros} after {@code events} events. */
        void reached(long virtualMicros, long events);
    }

    static final int PROGRESS_EVERY_EVENTS = 1 << 16;
    /** Does nothing by default: the simulation itself never reads the wall clock. */
    ProgressListener progress = (virtualMicros, events) -> { };
    private long events;
    /** Benchmarks of the simulation alone skip the (separately measured) history check. */
    boolean skipHistoryCheck;
    /** Wall time the simulation itself took, checks excluded. */
    long simulatedNanos;
    private long wallNanos;
    private String failedCheck;
    /** The checker's result, kept so a failure report does not search the history again. */
    CheckResult historyCheck;
    private String failureDetail;

    /** Prepares a run; {@link #run()} executes it. */
    public Simulation(SimConfig config) {
        this.config = config;
        SplitMix64 root = new SplitMix64(config.seed());
        this.plan = new FaultPlan(root.split(), config.faults(), config.mix());
        this.readSafety = new ReadSafetyMonitor(config.mix() != Mix.LEASE_BEYOND_BOUND);
        this.network = new SimNetwork(this, root.split(), plan);
        this.workloadRandom = root.split();
        SplitMix64 nodeRandom = root.split();
        this.nodes = new SimNode[config.nodes() + SimConfig.SPARES];
        for (int i = 0; i < nodes.length; i++) {
            long id = i + 1;
            double drift = plan.maxClockDrift == 0 ? 0
                    : (nodeRandom.nextInt(2001) - 1000) / 1000.0 * plan.maxClockDrift;
            nodes[i] = new SimNode(id, this, replicaConfig(id, nodeRandom.nextLong()), nodeRandom.split(), 1 + drift);
            if (id <= config.nodes()) {
                present.add(nodes[i]);
            }
        }
        this.injector = new FaultInjector(this, root.split(), plan);
        this.operator = new MembershipOperator(this, root.split());
        this.recentValues = new long[plan.keys + 1][];
    }

    /** Runs the simulation to its end and checks everything. */
    public SimResult run() {
        simulateAndCheckState();
        return checkHistory();
    }

    /**
     * The first half of {@link #run()}: simulates and runs every check except the history's. Hosts with a
     * spare core call {@link #checkHistory()} on another thread while the next seed simulates; the check reads
     * only this run's recorded history, so results stay deterministic.
     */
    void simulateAndCheckState() {
        long started = System.nanoTime();
        try {
            simulate();
            simulatedNanos = System.nanoTime() - started;
            checkLogs();
            watchMonitor.checkStreams();
            checkColdStreams();
        } catch (SimulationFailure f) {
            fail(f.check(), f.getMessage());
        } catch (RuntimeException | AssertionError | StackOverflowError e) {
            StringBuilder where = new StringBuilder(e.toString());
            StackTraceElement[] stack = e.getStackTrace();
            for (int i = 0; i < Math.min(12, stack.length); i++) {
                where.append("\n    at ").append(stack[i]);
            }
            fail("crash", where.toString());
        }
        if (simulatedNanos == 0) {
            simulatedNanos = System.nanoTime() - started;
        }
        wallNanos = System.nanoTime() - started;
    }

    /** The second half of {@link #run()}: the linearizability check, and the run's result. */
    SimResult checkHistory() {
        long started = System.nanoTime();
        String verdict = "not checked";
        if (failedCheck == null && !skipHistoryCheck) {
            historyCheck = LinearizabilityCheck.run(history);
            verdict = LinearizabilityCheck.describe(historyCheck);
            boolean experiment = config.mix() == Mix.LEASE_BEYOND_BOUND;
            if (!verdict.equals(LinearizabilityCheck.LINEARIZABLE) && !verdict.startsWith("unknown") && !experiment) {
                fail("linearizability", "linearizability: " + verdict);
            }
        }
        String detail = failedCheck != null ? failureDetail : "ok: " + history.size() + " operations, "
                + monitor.entriesApplied() + " entries committed, " + readSafety.checked()
                + " reads judged at the member (" + readSafety.violations() + " stale), " + reference.coverage()
                + ", " + leasesGranted + " leases granted (" + leasesRevoked + " revoked, the rest left to expire), "
                + leaseKeysRead + " lease keys read, " + watchMonitor.streamCount() + " watch streams checked against "
                + watchMonitor.eventCount() + " events" + operator.summary();
        long checkNanos = System.nanoTime() - started;
        return new SimResult(config, failedCheck, detail, trace.value(), now, wallNanos + checkNanos,
                simulatedNanos, history.size(), verdict, plan.toString(), checkNanos, history.infoCount());
    }

    private void fail(String check, String message) {
        failedCheck = check;
        failureDetail = message + "\nlast events:\n  " + String.join("\n  ", recentEvents);
    }

    private void simulate() {
        for (SimNode node : present) {
            node.start();
        }
        operator.start();
        for (int i = 0; i < plan.clients; i++) {
            Client client = new Client(this, workloadRandom.split(), nextProcess++, false);
            clients.add(client);
            client.start();
        }
        for (int i = 0; i < plan.watchers; i++) {
            new WatchClient(this, workloadRandom.split()).start();
        }
        coldClient = new ColdKeyClient(this, workloadRandom.split());
        coldClient.start();
        for (int i = 0; i < plan.leaseClients; i++) {
            new LeaseClient(this, workloadRandom.split(), i).start();
        }
        injector.start();
        long faultEnd = config.virtualSeconds() * 1_000_000L;
        schedule(faultEnd, this::startLiveness);
        long deadline = faultEnd + SimConfig.LIVENESS_SECONDS * 1_000_000L;
        while (!agenda.isEmpty()) {
            long next = agenda.peekTime();
            if (next > deadline) {
                break;
            }
            now = next;
            agenda.poll().run();
            if ((++events & (PROGRESS_EVERY_EVENTS - 1)) == 0) {
                progress.reached(now, events);
            }
            if (probeDone && now > faultEnd && stopIssuing && now >= drainUntil) {
                break;
            }
        }
        if (!probeDone) {
            throw new SimulationFailure("liveness", "no write committed within " + SimConfig.LIVENESS_SECONDS
                    + " s after every fault healed; " + describeNodes());
        }
    }

    private long drainUntil = Long.MAX_VALUE;

    private void startLiveness() {
        faultPhase = false;
        injector.healAll();
        Client probe = new Client(this, workloadRandom.split(), nextProcess++, true);
        probe.start();
    }

    void probeSucceeded() {
        probeDone = true;
        stopIssuing = true;
        drainUntil = now + plan.timeoutMicros + 1;
        event("liveness probe committed");
        if (plan.preVote && plan.checkQuorum) {
            drainUntil = Math.max(drainUntil, new DisruptionCheck(this).start() + 1);
        }
    }

    /** A node's sync just completed; the rare mix sometimes crashes it there, before the batch's messages leave. */
    boolean crashesAfterSync(SimNode node, SplitMix64 random) {
        if (!faultPhase || plan.crashAfterSyncPercent == 0 || random.nextInt(100) >= plan.crashAfterSyncPercent) {
            return false;
        }
        injector.crashAfterSync(node);
        return true;
    }

    /** @return the highest term any live member is in */
    long highestTerm() {
        long best = 0;
        for (SimNode node : nodes) {
            if (node.up) {
                best = Math.max(best, node.replica.raft().term());
            }
        }
        return best;
    }

    /** Every stream on the cold keys is exactly the reference model's changes from its start, in order. */
    private void checkColdStreams() {
        if (coldClient == null) {
            return;
        }
        for (WatchStream stream : coldClient.streams()) {
            List<long[]> expected = reference.events("c/", "c0", stream.startRevision);
            for (int i = 0; i < stream.events.size(); i++) {
                long[] got = stream.events.get(i);
                if (i >= expected.size() || !java.util.Arrays.equals(expected.get(i), got)) {
                    throw new SimulationFailure("watch stream", stream + ": event " + i + " is "
                            + java.util.Arrays.toString(got) + " but the reference model's is "
                            + (i < expected.size() ? java.util.Arrays.toString(expected.get(i)) : "none"));
                }
            }
        }
    }

    private void checkLogs() {
        List<LogStorage> logs = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (SimNode node : nodes) {
            if (node.up) {
                RaftNode raft = node.replica.raft();
                logs.add(raft.storage());
                ids.add(node.id);
                monitor.checkCommittedPrefix(node.id, raft.storage(), raft.commitIndex());
            }
        }
        monitor.checkLogMatching(logs, ids);
    }

    private ReplicaConfig replicaConfig(long id, long seed) {
        RaftConfig c = RaftConfig.defaults(id, seed).withPreVote(plan.preVote).withCheckQuorum(plan.checkQuorum)
                .withFlowControl(plan.maxMessageBytes, plan.maxInflight).withSnapshotChunkBytes(256);
        RaftConfig raft = plan.leaseReads ? c.withReadMode(ReadMode.LEASE_BASED) : c;
        ConfState members = new ConfState();
        for (int i = 1; i <= config.nodes() && id <= config.nodes(); i++) {
            members.addVoter(i); // a spare starts with none: it joins the cluster that adds it
        }
        long ticksPerSecond = 1_000_000 / TICK_MICROS;
        return ReplicaConfig.defaults(raft, members)
                .withMvcc(new MvccConfig().ticksPerSecond(ticksPerSecond))
                .withSnapshots(plan.snapshotEvery, plan.snapshotKeep)
                .withAutoCompaction(AutoCompaction.revision(COMPACT_KEEP_REVISIONS, COMPACT_EVERY_TICKS))
                .withWalSegmentBytes(plan.walSegmentBytes)
                .withLeaseCheckpointTicks(LEASE_CHECKPOINT_TICKS);
    }

    // ---------------------------------------------------------------- services for the parts of the run

    long now() {
        return now;
    }

    void schedule(long at, Runnable action) {
        agenda.schedule(at, action);
    }

    SimNode node(long id) {
        return nodes[(int) id - 1];
    }

    /** @return how many processes exist (founders and the spares started so far, removed ones included) */
    int nodeCount() {
        return present.size();
    }

    /** @return the processes that exist, in the order they were started */
    List<SimNode> present() {
        return present;
    }

    /** @return a random existing process's ID (a founder's while no spare was started) */
    long randomNodeId(SplitMix64 random) {
        return present.get(random.nextInt(present.size())).id;
    }

    /** @return spare {@code id}'s process, started (it joins once a configuration change adds it) */
    SimNode startSpare(long id) {
        SimNode node = node(id);
        if (!present.contains(node)) {
            present.add(node);
            node.start();
            event("spare " + id + " started with an empty disk (joins once added)");
        }
        return node;
    }

    int founders() {
        return config.nodes();
    }

    boolean inFaultPhase() {
        return faultPhase;
    }

    void applyKernelBugs(RaftNode node) {
        kernelBugs.accept(node);
    }

    /**
     * A node answers a client ({@code outcome} null: refused; {@code indeterminate}: a write whose fate the node
     * could not tell), which hears it one network latency later.
     */
    void respond(ClientRequest request, WorkloadCodec.Outcome outcome, long leaderHint, boolean indeterminate) {
        if (request.client != null) {
            schedule(now + network.latency(),
                    () -> request.client.onResponse(request, outcome, leaderHint, indeterminate));
        }
    }

    long currentLeader() {
        long best = 0;
        long bestTerm = -1;
        for (SimNode node : nodes) {
            if (node.up && node.replica.isLeader() && node.replica.raft().term() > bestTerm) {
                best = node.id;
                bestTerm = node.replica.raft().term();
            }
        }
        return best;
    }

    long nextRequestId() {
        return nextRequestId++;
    }

    long nextProcess() {
        return nextProcess++;
    }

    long nextValue(int key) {
        long value = nextValue++;
        long[] recent = recentValues[key];
        if (recent == null) {
            recent = new long[4];
            recentValues[key] = recent;
        }
        recent[(int) (value % recent.length)] = value;
        return value;
    }

    /** @return a value written to {@code key} recently (so a CAS has a fair chance), or 0 */
    long recentValue(int key, SplitMix64 random) {
        long[] recent = recentValues[key];
        return recent == null ? 0 : recent[random.nextInt(recent.length)];
    }

    void event(String what) {
        String line = String.format(java.util.Locale.ROOT, "%10.6fs %s", now / 1e6, what);
        recentEvents.addLast(line);
        if (recentEvents.size() > EVENT_LOG) {
            recentEvents.removeFirst();
        }
        trace.add(what.hashCode());
    }

    private String describeNodes() {
        StringBuilder sb = new StringBuilder();
        for (SimNode node : present) {
            sb.append(node.up ? node.replica.raft().toString() + " revision " + node.replica.mvcc().revision()
                    + " " + node.replica.raft().configuration()
                    : "node " + node.id + (node.removed ? " removed" : node.permanentlyDown
                    ? " down for good" : " down")).append("; ");
        }
        return sb.toString();
    }
}
