package dev.keel.node.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.node.process.KeelProcess;
import dev.keel.node.process.LogsOnFailure;
import dev.keel.node.process.ProcessCluster;
import dev.keel.node.process.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Membership changes with etcdctl 3.4 on real processes: {@code member add} prints what etcd prints (IDs and
 * addresses masked) and a member started with those settings and {@code --initial-cluster-state existing}
 * joins and catches up; a learner cannot be promoted before it caught up and can after; {@code member update};
 * {@code member remove} stops the removed process, which says why; a replacement at the removed member's URL
 * joins under a new ID; bad input gets etcd's errors, and so does an add while a voter has not started (etcd's
 * strict reconfiguration check). Each etcdctl answer that etcd can give in the same state
 * is compared with a 3-member etcd 3.4 cluster's.
 */
class MembershipIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ADDED = Pattern.compile("Member +([0-9a-f]+) added to cluster +([0-9a-f]+)");
    private static final Pattern INITIAL_CLUSTER = Pattern.compile("ETCD_INITIAL_CLUSTER=\"([^\"]*)\"");

    @RegisterExtension
    final LogsOnFailure logs = new LogsOnFailure();
    private ProcessCluster keel;
    private ReferenceEtcd etcd;
    private final List<KeelProcess> joiners = new ArrayList<>();

    @AfterEach
    void stop() {
        joiners.forEach(KeelProcess::close);
        if (keel != null) {
            keel.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void membersJoinArePromotedUpdatedAndRemovedAsWithEtcd() throws Exception {
        EtcdTools.requireEtcd();
        keel = logs.watch(ProcessCluster.builder().members(3).start());
        etcd = ReferenceEtcd.start(3, "membership-it", List.of());
        String k1 = keel.member(0).endpoint();
        String k2 = keel.member(1).endpoint(); // admin calls go through m2: forwarded when it does not lead
        String e1 = etcd.clientEndpoints().get(0);
        String e2 = etcd.clientEndpoints().get(1);
        keel.awaitLeader(90_000);
        awaitWrite(k1);
        awaitWrite(e1);
        for (int i = 0; i < 20; i++) {
            ok(k1, "put", "k" + i, "v" + i);
        }
        int[] ports = ProcessCluster.freePorts(6);
        int[] etcdPorts = ProcessCluster.freePorts(2);

        // Bad input: the same errors as etcd, and the cluster keeps serving.
        String k1Peer = "http://127.0.0.1:" + keel.member(0).peerPort();
        String e1Peer = memberList(e1).get(0).get("peerURLs").get(0).asText();
        same(run(k2, "member", "add", "x", "--peer-urls=" + k1Peer), run(e2, "member", "add", "x",
                "--peer-urls=" + e1Peer));
        same(run(k2, "member", "add", "x", "--peer-urls=foo"), run(e2, "member", "add", "x", "--peer-urls=foo"));
        for (String command : new String[]{"remove", "promote"}) {
            same(run(k2, "member", command, "1234"), run(e2, "member", command, "1234"));
        }
        same(run(k2, "member", "update", "1234", "--peer-urls=http://127.0.0.1:1"),
                run(e2, "member", "update", "1234", "--peer-urls=http://127.0.0.1:1"));
        same(run(k2, "member", "promote", idOf(k1, "m1")), run(e2, "member", "promote", idOf(e1, "m1")));

        // A learner: added (same output as etcd), not promotable before it catches up, promotable after.
        String url4 = "http://127.0.0.1:" + ports[1];
        Etcdctl.Outcome add4 = run(k2, "member", "add", "m4", "--learner", "--peer-urls=" + url4);
        same(add4, run(e2, "member", "add", "m4", "--learner", "--peer-urls=http://127.0.0.1:" + etcdPorts[0]));
        same(run(k2, "member", "list", "-w", "table"), run(e2, "member", "list", "-w", "table"));
        String id4 = addedId(add4);
        same(run(k2, "member", "promote", id4), run(e2, "member", "promote", idOf(e1, "")));
        KeelProcess m4 = join("m4", ports[0], ports[1], add4);
        awaitSameData(k1, m4);
        Waits.until("the caught-up learner can be promoted", 60_000, () -> {
            Etcdctl.Outcome o = run(k2, "member", "promote", id4);
            return o.exitCode() == 0 && o.stdout().matches("Member +" + id4 + " promoted in cluster +[0-9a-f]+\\n");
        });

        // A voter joins the same way.
        String url5 = "http://127.0.0.1:" + ports[3];
        Etcdctl.Outcome add5 = run(k2, "member", "add", "m5", "--peer-urls=" + url5);
        assertEquals(0, add5.exitCode(), add5.stderr());
        Etcdctl.Outcome etcdAdd5 = run(e2, "member", "add", "m5", "--peer-urls=http://127.0.0.1:" + etcdPorts[1]);
        assertEquals(0, etcdAdd5.exitCode(), etcdAdd5.stderr());
        // While a voter has not started, etcd's strict reconfiguration check refuses the next add.
        String spare = "--peer-urls=http://127.0.0.1:" + ports[5];
        same(run(k2, "member", "add", "y", spare), run(e2, "member", "add", "y", spare));
        KeelProcess m5 = join("m5", ports[2], ports[3], add5);
        awaitSameData(k1, m5);
        assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), startedNames(k1));

        // Update: new peer URLs (the same port by another name) are replicated to every member's list.
        String id5 = addedId(add5);
        String moved5 = "http://localhost:" + ports[3];
        Etcdctl.Outcome update = run(k2, "member", "update", id5, "--peer-urls=" + moved5);
        assertEquals(0, update.exitCode(), update.stderr());
        assertTrue(update.stdout().matches("Member +" + id5 + " updated in cluster +[0-9a-f]+\\n"), update.stdout());
        Waits.until("every member lists m5's new peer URL", 30_000, () ->
                List.of(k1, k2, m4.endpoint()).stream().allMatch(e -> peerUrlOf(e, "m5").equals(moved5)));

        // A joined member restarts on its data dir: its ID from there, its peers from the replicated registry.
        int exit = m5.terminate(30_000);
        assertTrue(exit == 0 || exit == 128 + 15, "SIGTERM exit code " + exit);
        m5.start();
        ok(k1, "put", "while", "m5-restarted");
        awaitSameData(k1, m5);
        assertTrue(m5.logOfThisLife().contains("member=" + id5), m5.logTail(10));

        // Remove: the removed process stops and says why.
        Etcdctl.Outcome remove = run(k2, "member", "remove", id4);
        assertEquals(0, remove.exitCode(), remove.stderr());
        assertTrue(remove.stdout().matches("Member +" + id4 + " removed from cluster +[0-9a-f]+\\n"), remove.stdout());
        assertNotEquals(0, m4.awaitExit(60_000), "the removed member exits with an error");
        assertTrue(m4.log().contains("the member has been permanently removed from the cluster"), m4.logTail(20));
        assertEquals(List.of("m1", "m2", "m3", "m5"), startedNames(k1));

        // A replacement at the removed member's URL gets a new ID and joins.
        Etcdctl.Outcome add6 = run(k2, "member", "add", "m6", "--peer-urls=" + url4);
        assertEquals(0, add6.exitCode(), add6.stderr());
        assertNotEquals(id4, addedId(add6), "member IDs are never reused");
        KeelProcess m6 = join("m6", ports[4], ports[1], add6);
        ok(k1, "put", "after", "replacement");
        awaitSameData(k1, m6);
        assertEquals(List.of("m1", "m2", "m3", "m5", "m6"), startedNames(m6.endpoint()));
        Etcdctl.Outcome table = run(m6.endpoint(), "member", "list", "-w", "table");
        assertEquals(0, table.exitCode(), table.stderr());
        assertTrue(table.stdout().contains(moved5) && !table.stdout().contains(id4), table.stdout());
    }

    private KeelProcess join(String name, int clientPort, int peerPort, Etcdctl.Outcome added) {
        Matcher m = INITIAL_CLUSTER.matcher(added.stdout());
        assertTrue(m.find(), added.stdout());
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        KeelProcess p = new KeelProcess(name, keel.root().resolve(name + ".keel"), keel.root().resolve(name + ".log"),
                clientPort, peerPort, List.of("--name", name, "--data-dir", keel.root().resolve(name + ".keel").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", m.group(1), "--initial-cluster-state", "existing",
                "--initial-cluster-token", "keel-proc-" + keel.root().getFileName()));
        joiners.add(p);
        p.start();
        return p;
    }

    private static Etcdctl.Outcome run(String endpoint, String... args) {
        return Etcdctl.run(endpoint, Arrays.asList(args), null);
    }

    private static void ok(String endpoint, String... args) {
        Etcdctl.Outcome o = run(endpoint, args);
        assertEquals(0, o.exitCode(), String.join(" ", args) + ": " + o.stderr());
    }

    private static void awaitWrite(String endpoint) {
        Waits.until("a write on " + endpoint + " succeeds", 90_000,
                () -> run(endpoint, "put", "ready", "1").exitCode() == 0);
    }

    private static void awaitSameData(String reference, KeelProcess member) {
        Waits.until(member.name() + " holds the same data as " + reference, 120_000, () -> {
            Etcdctl.Outcome expected = run(reference, "get", "", "--prefix");
            Etcdctl.Outcome actual = run(member.endpoint(), "get", "", "--prefix", "--consistency=s");
            return expected.exitCode() == 0 && expected.stdout().equals(actual.stdout());
        });
    }

    private static List<JsonNode> memberList(String endpoint) throws Exception {
        Etcdctl.Outcome o = run(endpoint, "member", "list", "-w", "json");
        assertEquals(0, o.exitCode(), o.stderr());
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(o.stdout()).get("members").forEach(out::add);
        return out;
    }

    /** @return the hex ID of the member named {@code name} ("" for the one that has not started) */
    private static String idOf(String endpoint, String name) throws Exception {
        for (JsonNode m : memberList(endpoint)) {
            if (m.path("name").asText("").equals(name)) {
                return Long.toHexString(Long.parseUnsignedLong(m.get("ID").asText()));
            }
        }
        throw new AssertionError("no member named '" + name + "' on " + endpoint);
    }

    private static String peerUrlOf(String endpoint, String name) {
        try {
            for (JsonNode m : memberList(endpoint)) {
                if (m.path("name").asText("").equals(name)) {
                    return m.get("peerURLs").get(0).asText();
                }
            }
        } catch (Exception | AssertionError e) {
            return "";
        }
        return "";
    }

    /** @return the names of the started members (they have a name and client URLs), sorted */
    private static List<String> startedNames(String endpoint) throws Exception {
        List<String> names = new ArrayList<>();
        Waits.until("every member in the list has started", 60_000, () -> {
            try {
                names.clear();
                for (JsonNode m : memberList(endpoint)) {
                    if (m.path("name").asText("").isEmpty() || !m.has("clientURLs")) {
                        return false;
                    }
                    names.add(m.get("name").asText());
                }
                return true;
            } catch (Exception e) {
                return false;
            }
        });
        names.sort(null);
        return names;
    }

    private static String addedId(Etcdctl.Outcome add) {
        Matcher m = ADDED.matcher(add.stdout());
        assertTrue(m.find(), add.stdout() + add.stderr());
        return m.group(1);
    }

    /** Keel's and etcd's answers agree: exit code, stdout and the error line, IDs and addresses masked. */
    private static void same(Etcdctl.Outcome keelOutcome, Etcdctl.Outcome etcdOutcome) {
        assertEquals(normalize(etcdOutcome), normalize(keelOutcome));
    }

    private static String normalize(Etcdctl.Outcome o) {
        String out = o.stdout();
        out = out.replaceAll("(?<![0-9a-z])[0-9a-f]{12,16}(?![0-9a-z])", "<id>");
        out = out.replaceAll(" +<id>", " <id>"); // etcdctl pads IDs to 16 digits; the IDs differ
        out = out.replaceAll("127\\.0\\.0\\.1:\\d+", "<addr>");
        Matcher m = INITIAL_CLUSTER.matcher(out);
        if (m.find()) {
            String[] parts = m.group(1).split(",");
            Arrays.sort(parts);
            out = m.replaceFirst(Matcher.quoteReplacement("ETCD_INITIAL_CLUSTER=\"" + String.join(",", parts)
                    + "\""));
        }
        out = sortTableRows(out);
        String error = o.stderr().lines().filter(l -> l.startsWith("Error:")).findFirst().orElse("");
        return "exit " + o.exitCode() + "\n" + out + error;
    }

    /** Rows of a table in a stable order: the members' order follows their IDs, which differ. */
    private static String sortTableRows(String out) {
        List<String> lines = new ArrayList<>(out.lines().toList());
        if (lines.size() < 5 || !lines.get(0).startsWith("+")) {
            return out;
        }
        Map<String, String> rows = new TreeMap<>();
        for (String row : lines.subList(3, lines.size() - 1)) {
            rows.put(row.replaceAll("\\s+", " "), row.replaceAll("\\s+", " "));
        }
        return lines.get(1).replaceAll("\\s+", " ") + "\n" + String.join("\n", rows.values()) + "\n";
    }
}
