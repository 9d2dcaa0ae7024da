package dev.keel.harness.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@link ClusterControl} over real {@code bin/keel} processes on loopback, every peer link through a
 * {@link ProxyNetwork} proxy. Each member {@code nK} keeps its data in {@code <dir>/nK.keel} and appends its
 * output to {@code <dir>/nK.log}. Every action writes one line to {@link ClusterOptions#log()}.
 *
 * <p>Thread-safe: actions are serialized; {@link #members()}, {@link #clientEndpoints()} and {@link #leader()}
 * read snapshots and never wait for an action.
 */
public final class TortureCluster implements ClusterControl {
    /** Three JVMs starting at once on two shared cores have taken over 30 s here. */
    private static final long START_LEADER_WAIT_MILLIS = 90_000;
    private static final long STOP_WAIT_MILLIS = 5_000;
    private static final int LOG_TAIL_LINES = 15;

    private final ClusterOptions options;
    private final Consumer<String> log;
    private final ProxyNetwork network;
    private final ClockControl clocks;
    private final ExecutorService pool;
    private final LeaderLookup leaders;
    private final Membership membership = new Membership();
    private final MemberLauncher launcher;
    /** Current members in joining order; replaced whole, so readers need no lock. */
    private volatile List<MemberProcess> members = List.of();
    private volatile List<String> endpoints = List.of();

    private TortureCluster(ClusterOptions options) {
        this.options = options;
        this.log = options.log();
        this.network = new ProxyNetwork(options.dir().toString().hashCode(), log);
        Function<String, Map<String, String>> environment;
        if (options.clockFaults()) {
            FaketimeClocks faketime = new FaketimeClocks(options.dir());
            this.clocks = faketime;
            environment = faketime::environment;
        } else {
            this.clocks = new UnsupportedClocks("clock faults were not asked for (ClusterOptions.clockFaults)");
            environment = name -> Map.of();
        }
        this.pool = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "cluster status");
            thread.setDaemon(true);
            return thread;
        });
        this.leaders = new LeaderLookup(pool);
        this.launcher = new MemberLauncher(options, network, environment,
                "keel-torture-" + Long.toHexString(System.nanoTime()));
    }

    /**
     * Starts {@code options.members()} members behind proxies and waits until they agree on a leader.
     *
     * @throws IllegalStateException naming the log tails when they do not within 90 s
     */
    public static TortureCluster start(ClusterOptions options) {
        check(options);
        try {
            Files.createDirectories(options.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + options.dir(), e);
        }
        TortureCluster cluster = new TortureCluster(options);
        try {
            cluster.startFounders();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private static void check(ClusterOptions options) {
        if (options.members() < 1 || options.members() > 7) {
            throw new IllegalArgumentException("members: 1 to 7, got " + options.members());
        }
        if (options.dir() == null || options.launcher() == null || options.launcher().isEmpty()
                || options.extraFlags() == null || options.log() == null) {
            throw new IllegalArgumentException("options need a folder, a launcher command, extra flags (maybe "
                    + "none) and a log: " + options);
        }
    }

    private synchronized void startFounders() {
        List<MemberLauncher.Slot> slots = new ArrayList<>();
        for (int i = 0; i < options.members(); i++) {
            slots.add(launcher.reserve());
        }
        String initialCluster = MemberLauncher.initialCluster(slots);
        List<MemberProcess> founders = new ArrayList<>();
        for (MemberLauncher.Slot slot : slots) {
            founders.add(launcher.process(slot, initialCluster, true));
        }
        setMembers(founders);
        for (MemberProcess member : founders) {
            member.start();
            log.accept(member.name() + " started (pid " + member.pid() + ", client " + member.clientEndpoint()
                    + ", peer " + member.peerUrl() + ")");
        }
        Optional<Member> leader = Waits.poll(START_LEADER_WAIT_MILLIS, 100, () -> {
            Optional<MemberProcess> exited = founders.stream().filter(m -> !m.alive()).findFirst();
            if (exited.isPresent()) {
                throw new IllegalStateException(exited.get().name() + " exited while the cluster started\n"
                        + logTails());
            }
            return leader();
        });
        if (leader.isEmpty()) {
            throw new IllegalStateException("no agreed leader among " + founders + " within "
                    + START_LEADER_WAIT_MILLIS + " ms\n" + logTails());
        }
        log.accept("cluster of " + founders.size() + " up, leader " + leader.get().name());
    }

    @Override
    public List<Member> members() {
        return List.copyOf(members);
    }

    @Override
    public List<String> clientEndpoints() {
        return endpoints;
    }

    @Override
    public Optional<Member> leader() {
        return leaderAmong(members());
    }

    /**
     * @param among the members to ask (those not running, or paused, are skipped)
     * @return the member every running, unpaused one of {@code among} names as leader, when they agree
     */
    public Optional<Member> leaderAmong(List<Member> among) {
        List<MemberProcess> asked = new ArrayList<>();
        for (Member member : among) {
            MemberProcess process = own(member);
            if (process.alive() && !process.paused()) {
                asked.add(process);
            }
        }
        return leaders.agreedLeader(asked, members).map(Member.class::cast);
    }

    @Override
    public ProxyNetwork network() {
        return network;
    }

    @Override
    public ClockControl clocks() {
        return clocks;
    }

    @Override
    public synchronized void kill(Member member) {
        MemberProcess process = current(member);
        long pid = process.pid();
        process.kill();
        log.accept(member.name() + " killed (pid " + pid + ")");
    }

    @Override
    public synchronized void restart(Member member) {
        act(member, MemberProcess::start, "restarted");
    }

    @Override
    public synchronized void pause(Member member) {
        act(member, MemberProcess::pause, "paused");
    }

    @Override
    public synchronized void resume(Member member) {
        act(member, MemberProcess::resume, "resumed");
    }

    /** Applies {@code action} to the member's process and logs it with the pid it has afterwards. */
    private void act(Member member, Consumer<MemberProcess> action, String done) {
        MemberProcess process = current(member);
        action.accept(process);
        log.accept(member.name() + " " + done + " (pid " + process.pid() + ")");
    }

    @Override
    public synchronized Member addMember() {
        List<MemberProcess> askable = askable(null);
        MemberLauncher.Slot slot = launcher.reserve();
        List<io.etcd.jetcd.api.Member> listed;
        try {
            listed = membership.add(askable, slot.peerUrl());
        } catch (IllegalStateException refused) {
            listed = addedAnyway(askable, slot.peerUrl()).orElse(null);
            if (listed == null) {
                network.removeProxy(slot.name());
                log.accept("add of " + slot.name() + " refused: " + refused.getMessage());
                throw refused;
            }
        }
        MemberProcess joiner = launcher.process(slot, joinersInitialCluster(listed, slot), false);
        idOf(listed, slot.peerUrl()).ifPresent(joiner::id);
        List<MemberProcess> grown = new ArrayList<>(members);
        grown.add(joiner);
        setMembers(grown);
        joiner.start();
        log.accept(joiner.name() + " added and started (pid " + joiner.pid() + ", id " + Long.toHexString(joiner.id())
                + ", client " + joiner.clientEndpoint() + ", peer " + joiner.peerUrl() + ")");
        return joiner;
    }

    /** @return the member list when a MemberAdd that seemed to fail (a timeout) did take effect */
    private Optional<List<io.etcd.jetcd.api.Member>> addedAnyway(List<MemberProcess> askable, String peerUrl) {
        try {
            List<io.etcd.jetcd.api.Member> listed = membership.list(askable);
            return idOf(listed, peerUrl).isPresent() ? Optional.of(listed) : Optional.empty();
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** @return every listed member as {@code name=url}, names from this cluster's own records by peer URL */
    private String joinersInitialCluster(List<io.etcd.jetcd.api.Member> listed, MemberLauncher.Slot joiner) {
        List<String> entries = new ArrayList<>();
        for (io.etcd.jetcd.api.Member m : listed) {
            for (String url : m.getPeerURLsList()) {
                entries.add(nameOf(url, joiner).orElse(m.getName()) + "=" + url);
            }
        }
        return String.join(",", entries);
    }

    private Optional<String> nameOf(String peerUrl, MemberLauncher.Slot joiner) {
        if (peerUrl.equals(joiner.peerUrl())) {
            return Optional.of(joiner.name());
        }
        return members.stream().filter(m -> m.peerUrl().equals(peerUrl)).map(MemberProcess::name).findFirst();
    }

    private static Optional<Long> idOf(List<io.etcd.jetcd.api.Member> listed, String peerUrl) {
        return listed.stream().filter(m -> m.getPeerURLsList().contains(peerUrl))
                .map(io.etcd.jetcd.api.Member::getID).findFirst();
    }

    @Override
    public synchronized void removeMember(Member member) {
        MemberProcess leaving = current(member);
        List<MemberProcess> askable = askable(leaving);
        long id = idOf(membership.list(askable), leaving.peerUrl()).orElseThrow(() ->
                new IllegalStateException(member.name() + " (" + leaving.peerUrl() + ") is not in the member list"));
        leaving.id(id);
        membership.remove(askable, id);
        List<MemberProcess> shrunk = new ArrayList<>(members);
        shrunk.remove(leaving);
        setMembers(shrunk);
        leaving.stop(STOP_WAIT_MILLIS);
        network.removeProxy(leaving.name());
        log.accept(member.name() + " removed (id " + Long.toHexString(id) + ") and stopped");
    }

    @Override
    public synchronized boolean moveLeader(Member target) {
        MemberProcess to = current(target);
        Optional<Member> leader = leader();
        if (leader.isEmpty()) {
            log.accept("move leader to " + target.name() + ": no agreed leader to ask");
            return false;
        }
        if (leader.get() == to) {
            log.accept("move leader to " + target.name() + ": it already leads");
            return true;
        }
        try {
            membership.moveLeader((MemberProcess) leader.get(), to.id());
            log.accept("leader moved from " + leader.get().name() + " to " + target.name());
            return true;
        } catch (RuntimeException e) {
            log.accept("move leader from " + leader.get().name() + " to " + target.name() + " refused: "
                    + dev.keel.harness.client.Failures.describe(e));
            return false;
        }
    }

    @Override
    public synchronized void healAll() {
        network.heal();
        for (MemberProcess member : members) {
            if (member.paused()) {
                resume(member);
            } else if (!member.alive()) {
                restart(member);
            }
            if (clocks.supported()) {
                clocks.reset(member);
            }
        }
        log.accept("all healed");
    }

    @Override
    public synchronized void close() {
        for (MemberProcess member : members) {
            if (member.alive()) {
                long pid = member.pid();
                member.kill();
                log.accept(member.name() + " killed at close (pid " + pid + ")");
            }
        }
        network.close();
        pool.shutdownNow();
        log.accept("cluster closed; data and logs stay in " + options.dir());
    }

    /** @return the last lines of every current member's log */
    public String logTails() {
        StringBuilder out = new StringBuilder();
        for (MemberProcess member : members) {
            out.append(member.logTail(LOG_TAIL_LINES));
        }
        return out.toString();
    }

    /** @return the running, unpaused members other than {@code except}; {@code except} alone if none other */
    private List<MemberProcess> askable(MemberProcess except) {
        List<MemberProcess> up = members.stream().filter(m -> m.alive() && !m.paused() && m != except).toList();
        if (up.isEmpty() && except != null && except.alive() && !except.paused()) {
            return List.of(except);
        }
        return up;
    }

    private MemberProcess current(Member member) {
        MemberProcess process = own(member);
        if (!members.contains(process)) {
            throw new IllegalArgumentException(member.name() + " is no longer a member");
        }
        return process;
    }

    private MemberProcess own(Member member) {
        if (member instanceof MemberProcess process) {
            return process;
        }
        throw new IllegalArgumentException(member + " is not a member of this cluster");
    }

    private void setMembers(List<MemberProcess> now) {
        members = List.copyOf(now);
        endpoints = now.stream().map(MemberProcess::clientEndpoint).toList();
    }
}
