package dev.keel.kernel.raft;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Executes the commands of a data-driven Raft scenario against a {@link TestCluster} and renders what happened
 * as text, in the spirit of etcd-raft's {@code testdata/}. Commands:
 *
 * <pre>
 * cluster voters=1,2,3 [learners=4] [prevote=false] [checkquorum=false] [stickiness=false] [election=10] [heartbeat=1]
 *         [readmode=lease] [maxbytes=N] [inflight=N] [chunk=N] [catchup=N]
 * add-node ID                       a new node with an empty configuration (joins via the log)
 * tick IDS [N]                      IDS: 1,2 or all
 * campaign ID | propose ID TEXT | batch ID TEXT,TEXT,... | propose-conf ID add-voter|add-learner|remove|promote MEMBER
 * read-index ID CTX | transfer ID TARGET | snapshot ID | compact ID INDEX
 * deliver [from=ID] [to=ID] [type=MsgApp] [drop] [count=N]   deliver (or drop) matching queued messages
 * stabilize [quiet]                 deliver everything until no message is left
 * settle [MAX]                      tick all nodes and deliver until a leader of the highest term exists
 * partition 1,2 3,4,5 | isolate ID | block FROM TO | heal
 * crash ID | crash-before-ready ID TEXT | restart ID
 * slow-sync ID on|off               the host writes each batch, sends its early messages, and leaves the sync in
 *                                   flight (messages and ticks for the node wait) until
 * sync ID                           the sync in flight completes: the other messages go, inputs are stepped
 * status [IDS] | log ID | applied ID | reads ID | queue | raw ID BYTES-HEX | check
 * </pre>
 */
final class ScenarioRunner {
    private final TestCluster cluster = new TestCluster();
    private final List<String> output = new ArrayList<>();
    private final Map<String, String> defaults = new HashMap<>();

    ScenarioRunner() {
        cluster.events = output::add;
    }

    /** Runs one command and returns its rendered output. */
    String run(String command) {
        output.clear();
        String[] words = command.trim().split("\\s+");
        execute(words);
        return String.join("\n", output);
    }

    private void execute(String[] w) {
        switch (w[0]) {
            case "cluster": cluster(w); break;
            case "add-node": addNode(w); break;
            case "tick": tick(w); break;
            case "campaign": onNode(w[1], n -> n.node.campaign()); break;
            case "propose": propose(w); break;
            case "propose-conf": proposeConf(w); break;
            case "batch": batch(w); break;
            case "read-index": onNode(w[1], n -> result(n.node.readIndex(Long.parseLong(w[2])))); break;
            case "transfer": onNode(w[1], n -> result(n.node.transferLeadership(Long.parseLong(w[2])))); break;
            case "snapshot": onNode(w[1], n -> result(n.takeSnapshot())); break;
            case "compact": onNode(w[1], n -> result(n.compact(Long.parseLong(w[2])))); break;
            case "deliver": deliver(w); break;
            case "stabilize": stabilize(w.length > 1 && w[1].equals("quiet")); break;
            case "settle": settle(w.length > 1 ? Integer.parseInt(w[1]) : 1000); break;
            case "partition": partition(w); break;
            case "isolate": isolate(Long.parseLong(w[1])); break;
            case "block": cluster.block(Long.parseLong(w[1]), Long.parseLong(w[2])); break;
            case "heal": cluster.heal(); break;
            case "crash": crash(Long.parseLong(w[1])); break;
            case "crash-before-ready": crashBeforeReady(w); break;
            case "restart": restart(Long.parseLong(w[1])); break;
            case "slow-sync": slowSync(w); break;
            case "sync": cluster.completeSync(cluster.node(Long.parseLong(w[1]))); break;
            case "status": status(w); break;
            case "log": log(Long.parseLong(w[1])); break;
            case "applied": output.add(String.valueOf(cluster.node(Long.parseLong(w[1])).applied)); break;
            case "reads": output.add(String.valueOf(cluster.node(Long.parseLong(w[1])).readStates)); break;
            case "queue": cluster.queue.forEach(e -> output.add(MessageFormatter.describe(e))); break;
            case "raw": raw(w); break;
            case "check": cluster.checkLogMatching(); output.add("ok"); break;
            default: throw new IllegalArgumentException("unknown command: " + w[0]);
        }
    }

    private void cluster(String[] w) {
        Map<String, String> opts = options(w);
        ConfState initial = new ConfState();
        for (String v : opts.get("voters").split(",")) {
            initial.addVoter(Long.parseLong(v));
        }
        if (opts.containsKey("learners")) {
            for (String v : opts.get("learners").split(",")) {
                initial.addLearner(Long.parseLong(v));
            }
        }
        defaults.putAll(opts);
        for (int i = 0; i < initial.voterCount(); i++) {
            cluster.add(config(initial.voter(i)), initial);
        }
        for (int i = 0; i < initial.learnerCount(); i++) {
            cluster.add(config(initial.learner(i)), initial);
        }
    }

    private RaftConfig config(long id) {
        Map<String, String> o = defaults;
        RaftConfig c = RaftConfig.defaults(id, id * 7919)
                .withTimeouts(intOpt(o, "election", 10), intOpt(o, "heartbeat", 1))
                .withPreVote(Boolean.parseBoolean(o.getOrDefault("prevote", "true")))
                .withCheckQuorum(Boolean.parseBoolean(o.getOrDefault("checkquorum", "true")))
                .withLeaderStickiness(Boolean.parseBoolean(o.getOrDefault("stickiness", "true")))
                .withFlowControl(intOpt(o, "maxbytes", 1024 * 1024), intOpt(o, "inflight", 256))
                .withSnapshotChunkBytes(intOpt(o, "chunk", 512 * 1024))
                .withLearnerCatchUpEntries(intOpt(o, "catchup", 1000));
        return "lease".equals(o.get("readmode")) ? c.withReadMode(ReadMode.LEASE_BASED) : c;
    }

    private void addNode(String[] w) {
        long id = Long.parseLong(w[1]);
        cluster.add(config(id), new ConfState());
    }

    private void tick(String[] w) {
        int times = w.length > 2 ? Integer.parseInt(w[2]) : 1;
        for (int t = 0; t < times; t++) {
            for (TestNode n : select(w[1])) {
                cluster.tick(n);
            }
        }
    }

    private void propose(String[] w) {
        byte[] data = w[2].getBytes(StandardCharsets.UTF_8);
        onNode(w[1], n -> {
            long index = n.node.propose(new UnsafeBuffer(data), 0, data.length);
            output.add(index > 0 ? "index " + index : RaftError.describe(index));
        });
    }

    /** Several proposals before the host handles a ready batch: they should travel together. */
    private void batch(String[] w) {
        onNode(w[1], n -> {
            StringBuilder indexes = new StringBuilder();
            for (String value : w[2].split(",")) {
                byte[] data = value.getBytes(StandardCharsets.UTF_8);
                long index = n.node.propose(new UnsafeBuffer(data), 0, data.length);
                indexes.append(indexes.length() == 0 ? "" : " ").append(index > 0 ? index : RaftError.describe(index));
            }
            output.add("indexes " + indexes);
        });
    }

    private void proposeConf(String[] w) {
        byte type;
        switch (w[2]) {
            case "add-voter": type = ConfChange.ADD_VOTER; break;
            case "add-learner": type = ConfChange.ADD_LEARNER; break;
            case "remove": type = ConfChange.REMOVE; break;
            case "promote": type = ConfChange.PROMOTE; break;
            case "update": type = ConfChange.UPDATE; break;
            default: throw new IllegalArgumentException("unknown change " + w[2]);
        }
        onNode(w[1], n -> {
            long index = n.node.proposeConfChange(type, Long.parseLong(w[3]));
            output.add(index > 0 ? "index " + index : RaftError.describe(index));
        });
    }

    private void deliver(String[] w) {
        Map<String, String> o = options(w);
        boolean drop = containsWord(w, "drop");
        int limit = intOpt(o, "count", Integer.MAX_VALUE);
        List<Envelope> chosen = new ArrayList<>();
        for (Iterator<Envelope> it = cluster.queue.iterator(); it.hasNext() && chosen.size() < limit; ) {
            Envelope e = it.next();
            if (matches(e, o)) {
                chosen.add(e);
                it.remove();
            }
        }
        for (Envelope e : chosen) {
            if (drop) {
                output.add("dropped " + MessageFormatter.describe(e));
            } else {
                output.add(MessageFormatter.describe(e));
                int status = cluster.deliver(e);
                if (status != DecodeStatus.OK && status != -100) {
                    output.add("  refused: " + DecodeStatus.describe(status));
                }
            }
        }
    }

    private void stabilize(boolean quiet) {
        java.util.function.Consumer<String> events = cluster.events;
        if (quiet) {
            cluster.events = line -> { };
        }
        cluster.reportSends = false;
        int rounds = 0;
        while (!cluster.queue.isEmpty()) {
            if (++rounds > 100_000) {
                throw new AssertionError("stabilize did not converge");
            }
            Envelope e = cluster.queue.remove(0);
            if (!quiet) {
                output.add(MessageFormatter.describe(e));
            }
            cluster.deliver(e);
        }
        cluster.events = events;
        cluster.reportSends = true;
    }

    /** Lets time pass on every node, delivering everything, until a leader of the highest term exists. */
    private void settle(int maxTicks) {
        java.util.function.Consumer<String> events = cluster.events;
        cluster.events = line -> { };
        int ticks = 0;
        try {
            while (!settled()) {
                if (++ticks > maxTicks) {
                    throw new AssertionError("no leader after " + maxTicks + " ticks");
                }
                for (TestNode n : cluster.nodes.values()) {
                    cluster.tick(n);
                }
                stabilize(true);
            }
        } finally {
            cluster.events = events;
        }
        long leader = cluster.leader();
        output.add("leader " + leader + " at term " + cluster.node(leader).node.term() + " after " + ticks
                + " ticks");
    }

    private boolean settled() {
        long leader = cluster.leader();
        if (leader == 0) {
            return false;
        }
        long term = cluster.node(leader).node.term();
        for (TestNode n : cluster.nodes.values()) {
            if (!n.crashed && n.node.term() > term && !cluster.isBlocked(leader, n.id)) {
                return false;
            }
        }
        return true;
    }

    private void partition(String[] w) {
        cluster.heal();
        for (int a = 1; a < w.length; a++) {
            for (int b = 1; b < w.length; b++) {
                if (a != b) {
                    for (String x : w[a].split(",")) {
                        for (String y : w[b].split(",")) {
                            cluster.block(Long.parseLong(x), Long.parseLong(y));
                        }
                    }
                }
            }
        }
    }

    private void isolate(long id) {
        for (long other : cluster.nodes.keySet()) {
            if (other != id) {
                cluster.block(id, other);
                cluster.block(other, id);
            }
        }
    }

    private void crash(long id) {
        cluster.node(id).crash();
        cluster.queue.removeIf(e -> e.from() == id);
        output.add(id + " crashed");
    }

    /** Proposes, then crashes before the host handles the ready batch: nothing of it was made durable. */
    private void crashBeforeReady(String[] w) {
        TestNode n = cluster.node(Long.parseLong(w[1]));
        byte[] data = w[2].getBytes(StandardCharsets.UTF_8);
        long index = n.node.propose(new UnsafeBuffer(data), 0, data.length);
        output.add(index > 0 ? "index " + index : RaftError.describe(index));
        crash(n.id);
    }

    private void slowSync(String[] w) {
        TestNode n = cluster.node(Long.parseLong(w[1]));
        n.slowSync = w[2].equals("on");
        if (!n.slowSync) {
            cluster.completeSync(n);
        }
    }

    private void restart(long id) {
        TestNode n = cluster.node(id);
        n.restart();
        output.add(id + " restarted: " + n.node);
        cluster.processReady(n);
    }

    private void status(String[] w) {
        for (TestNode n : select(w.length > 1 ? w[1] : "all")) {
            if (n.crashed) {
                output.add(n.id + ": crashed");
                continue;
            }
            RaftNode r = n.node;
            output.add(n.id + ": " + Role.name(r.role()) + " term=" + r.term() + " lead=" + r.leaderId()
                    + " vote=" + r.vote() + " commit=" + r.commitIndex() + " applied=" + r.appliedIndex()
                    + " last=" + r.lastIndex() + " " + r.configuration()
                    + (n.syncing != null ? " (sync in flight, durable to " + n.durable.lastIndex() + ")" : ""));
        }
    }

    private void log(long id) {
        LogStorage s = cluster.node(id).node.storage();
        output.add("base=" + s.baseIndex() + "/" + s.term(s.baseIndex()) + " snapshot=" + s.snapshotIndex()
                + "/" + s.snapshotTerm());
        EntryView v = new EntryView();
        for (long i = s.firstIndex(); i <= s.lastIndex(); i++) {
            output.add(MessageFormatter.entry(s.entry(i, v)));
        }
    }

    private void raw(String[] w) {
        TestNode n = cluster.node(Long.parseLong(w[1]));
        byte[] bytes = hex(w.length > 2 ? w[2] : "");
        int status = n.node.step(new UnsafeBuffer(bytes), 0, bytes.length);
        output.add(DecodeStatus.describe(status));
        cluster.processReady(n);
    }

    private void onNode(String id, java.util.function.Consumer<TestNode> action) {
        TestNode n = cluster.node(Long.parseLong(id));
        action.accept(n);
        cluster.processReady(n);
    }

    private void result(long code) {
        output.add(RaftError.describe(code));
    }

    private List<TestNode> select(String ids) {
        List<TestNode> out = new ArrayList<>();
        if (ids.equals("all")) {
            out.addAll(cluster.nodes.values());
        } else {
            for (String id : ids.split(",")) {
                out.add(cluster.node(Long.parseLong(id)));
            }
        }
        return out;
    }

    private static boolean matches(Envelope e, Map<String, String> o) {
        return (!o.containsKey("from") || Long.parseLong(o.get("from")) == e.from())
                && (!o.containsKey("to") || Long.parseLong(o.get("to")) == e.to())
                && (!o.containsKey("type") || MessageType.name(e.type()).equals(o.get("type")));
    }

    private static Map<String, String> options(String[] w) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < w.length; i++) {
            int eq = w[i].indexOf('=');
            if (eq > 0) {
                o.put(w[i].substring(0, eq), w[i].substring(eq + 1));
            }
        }
        return o;
    }

    private static boolean containsWord(String[] w, String word) {
        for (String s : w) {
            if (s.equals(word)) {
                return true;
            }
        }
        return false;
    }

    private static int intOpt(Map<String, String> o, String key, int fallback) {
        return o.containsKey(key) ? Integer.parseInt(o.get(key)) : fallback;
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    TestCluster cluster() {
        return cluster;
    }
}
